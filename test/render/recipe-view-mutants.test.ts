// The recipe view (lib/render/devid-recipe-view.ts) field by field, written out by hand from each
// recipe: what the hash-core partials test and print. The golden scripts cover the example recipes;
// these recipes reach the other branches (no MAC, no serial, literals, truncation, every encoding).
import assert from 'node:assert/strict';
import { JUNK_SERIALS, JUNK_UUIDS } from '../../lib/devid/recipe.js';
import { DEVID1_RECIPE, normalizeRecipe, type Recipe } from '../../lib/devid/recipes.js';
import { ValidationError } from '../../lib/errors.js';
import { type RecipeView, recipeView, recipeViewOf } from '../../lib/render/devid-recipe-view.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const part = (over: Partial<RecipeView['parts'][number]>) => ({
  hasSep: true,
  sep: '',
  isLiteral: false,
  isMac: false,
  isSerial: false,
  isSalt: false,
  text: '',
  literalLooksExpanded: false,
  ...over,
});
const JUNK = { junkSerials: [...JUNK_SERIALS], junkUuids: [...JUNK_UUIDS] };

describe('recipe view: every field', () => {
  it('a colon MAC and a raw serial, sha256 hex', () => {
    const r = normalizeRecipe({
      name: 'colon',
      parts: [{ mac: { separator: ':' } }, { serial: { normalize: 'raw' } }],
      joiner: '|',
      hash: 'sha256',
    });
    assert.deepEqual(recipeView(r), {
      name: 'colon',
      summary: 'colon = sha256 hex of mac(upper ":") + serial(raw BB>SYS>UUID) joined by "|"',
      idDescription: '64 lower-case hex digits',
      idLength: '64',
      idCharsSh: '0123456789abcdef',
      idPatternPs: '^[0123456789abcdef]{64}\\z',
      parts: [part({ hasSep: false, isMac: true }), part({ sep: '|', isSerial: true })],
      hasMac: true,
      macLower: false,
      macSeparator: ':',
      hasSerial: true,
      serialSources: [
        { name: 'BB', shArg: '2', psVar: '$BB' },
        { name: 'SYS', shArg: '3', psVar: '$Sys' },
        { name: 'UUID', shArg: '4', psVar: '$Uuid' },
      ],
      normDevid1: false,
      normTrim: false,
      normRaw: true,
      serialJunk: true,
      serialWithSource: false,
      hasSalt: false,
      saltHashed: false,
      hashSha256: true,
      hashSha1: false,
      hashMd5: false,
      hashError: 'NO_SHA256_TOOL',
      hexPattern: '?'.repeat(64),
      psProvider: 'SHA256CryptoServiceProvider',
      psAlgorithm: 'SHA256',
      psNeedsCore: true,
      encHex: true,
      encHexUpper: false,
      encBase64: false,
      encBase64url: false,
      hasTruncate: false,
      truncate: '',
      truncatePattern: '',
      needCanonSerial: true,
      needTrim: false,
      needUtf8: true,
      needSha256: true,
      ...JUNK,
    } satisfies RecipeView);
  });

  it('a literal with a backquote, a lower-case dashed MAC, a trimmed UUID with its source, md5 hex-upper cut to 20', () => {
    const r = normalizeRecipe({
      name: 'b',
      parts: [
        { literal: 'V`1' },
        { mac: { separator: '-', case: 'lower' } },
        { serial: { normalize: 'trim', sources: ['UUID'], junk: false, withSource: true } },
      ],
      joiner: ';',
      hash: 'md5',
      encoding: 'hex-upper',
      truncate: 20,
    });
    assert.deepEqual(recipeView(r), {
      name: 'b',
      summary:
        'b = md5 hex-upper first 20 of "V`1" + mac(lower "-") + serial(trim UUID no-junk-list SRC:) joined by ";"',
      idDescription: '20 upper-case hex digits',
      idLength: '20',
      idCharsSh: '0123456789ABCDEF',
      idPatternPs: '^[0123456789ABCDEF]{20}\\z',
      parts: [
        part({ hasSep: false, isLiteral: true, text: 'V`1', literalLooksExpanded: true }),
        part({ sep: ';', isMac: true }),
        part({ sep: ';', isSerial: true }),
      ],
      hasMac: true,
      macLower: true,
      macSeparator: '-',
      hasSerial: true,
      serialSources: [{ name: 'UUID', shArg: '4', psVar: '$Uuid' }],
      normDevid1: false,
      normTrim: true,
      normRaw: false,
      serialJunk: false,
      serialWithSource: true,
      hasSalt: false,
      saltHashed: false,
      hashSha256: false,
      hashSha1: false,
      hashMd5: true,
      hashError: 'NO_MD5_TOOL',
      hexPattern: '?'.repeat(32),
      psProvider: 'MD5CryptoServiceProvider',
      psAlgorithm: 'MD5',
      psNeedsCore: false,
      encHex: false,
      encHexUpper: true,
      encBase64: false,
      encBase64url: false,
      hasTruncate: true,
      truncate: '20',
      truncatePattern: '?'.repeat(20),
      needCanonSerial: false,
      needTrim: true,
      needUtf8: true,
      needSha256: false,
      ...JUNK,
    } satisfies RecipeView);
  });

  it('no MAC: a devid1 serial and a hashed salt, sha1 base64', () => {
    const v = recipeView(
      normalizeRecipe({
        name: 'c',
        parts: ['serial', 'salt'],
        joiner: '|',
        hash: 'sha1',
        encoding: 'base64',
      }),
    );
    assert.equal(v.summary, 'c = sha1 base64 of serial(devid1 BB>SYS>UUID) + salt(sha256) joined by "|"');
    assert.equal(v.idDescription, '28 base64 characters');
    assert.equal(v.idCharsSh, `${B64}+/=`);
    assert.equal(v.idPatternPs, `^[${B64}+/=]{28}\\z`);
    assert.deepEqual(
      [v.hasMac, v.macLower, v.macSeparator, v.normDevid1, v.normTrim, v.normRaw, v.hasSalt, v.saltHashed],
      [false, false, '', true, false, false, true, true],
    );
    assert.deepEqual(
      [
        v.hashSha256,
        v.hashSha1,
        v.hashMd5,
        v.hashError,
        v.hexPattern.length,
        v.psProvider,
        v.psAlgorithm,
        v.psNeedsCore,
      ],
      [false, true, false, 'NO_SHA1_TOOL', 40, 'SHA1CryptoServiceProvider', 'SHA1', false],
    );
    assert.deepEqual([v.encHex, v.encHexUpper, v.encBase64, v.encBase64url], [false, false, true, false]);
    // The salt is hashed with SHA-256 even though the recipe's hash is SHA-1.
    assert.deepEqual([v.needCanonSerial, v.needTrim, v.needUtf8, v.needSha256], [true, true, true, true]);
    assert.deepEqual(v.parts[1], part({ sep: '|', isSalt: true }));
  });

  it('a MAC alone, sha256 base64url: "-" escaped in the PowerShell class; no serial flags', () => {
    const v = recipeView(
      normalizeRecipe({
        name: 'd',
        parts: [{ mac: { case: 'upper' } }],
        hash: 'sha256',
        encoding: 'base64url',
      }),
    );
    assert.equal(v.summary, 'd = sha256 base64url of mac(upper) joined by ""');
    assert.equal(v.idDescription, '43 base64url characters');
    assert.equal(v.idCharsSh, `${B64}_-`);
    assert.equal(v.idPatternPs, `^[${B64}_\\-]{43}\\z`);
    assert.deepEqual(
      [v.hasSerial, v.serialSources, v.normDevid1, v.normTrim, v.normRaw, v.serialJunk, v.serialWithSource],
      [false, [], false, false, false, false, false],
    );
    assert.deepEqual([v.needCanonSerial, v.needTrim, v.needUtf8, v.needSha256], [false, false, false, true]);
    assert.deepEqual([v.encBase64url, v.encBase64, v.hasSalt, v.saltHashed], [true, false, false, false]);
  });

  it('a raw salt under md5: trimmed and UTF-8, but no SHA-256 anywhere; a devid1 serial without junk list', () => {
    const v = recipeView(
      normalizeRecipe({
        name: 'e',
        parts: ['mac', { serial: { junk: false } }, { salt: { form: 'raw' } }],
        joiner: '|',
        hash: 'md5',
      }),
    );
    assert.deepEqual(
      [v.hasSalt, v.saltHashed, v.needTrim, v.needUtf8, v.needSha256],
      [true, false, true, true, false],
    );
    assert.deepEqual([v.needCanonSerial, v.serialJunk], [true, false]);
    assert.equal(
      v.summary,
      'e = md5 hex of mac(upper) + serial(devid1 BB>SYS>UUID no-junk-list) + salt(raw) joined by "|"',
    );
    // A devid1 serial without a salt needs neither the trim nor the UTF-8 helper.
    const f = recipeView(normalizeRecipe({ name: 'f', parts: ['mac', 'serial'], joiner: '|', hash: 'md5' }));
    assert.deepEqual([f.needTrim, f.needUtf8, f.needCanonSerial], [false, false, true]);
  });

  it('refuses a recipe with a problem, naming it', () => {
    assert.throws(
      () => recipeView({ ...(DEVID1_RECIPE as Recipe), name: 'bad', joiner: '\u00a7' }),
      (e: unknown) =>
        e instanceof ValidationError && e.message.startsWith('Recipe bad is not valid (1 error):'),
    );
  });
});

describe('recipe view: recipeViewOf', () => {
  it("DEVID1's view when the context has none, the same object each time", () => {
    const a = recipeViewOf(null);
    assert.equal(a.name, 'devid1');
    assert.equal(a.summary.startsWith('devid1 = sha256 hex of "DEVID1" + mac(upper)'), true);
    assert.equal(recipeViewOf({}), a);
    assert.equal(recipeViewOf({ recipe: null }), a);
    assert.equal(recipeViewOf(undefined), a);
  });

  it("the context's own view, and an error for anything else in recipe", () => {
    const v = recipeView(normalizeRecipe({ name: 'own', parts: ['mac'], hash: 'md5' }));
    assert.equal(recipeViewOf({ recipe: v }), v);
    for (const bad of ['devid1', 5, {}, { name: 'x' }]) {
      assert.throws(() => recipeViewOf({ recipe: bad }), {
        code: 'BAD_VIEW',
        message: 'view field recipe must be built by recipeView(recipe)',
      });
    }
  });
});
