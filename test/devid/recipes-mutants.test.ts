// Recipe-model details the main recipe tests leave implicit (lib/devid/recipes.ts): exact paths and
// messages of refused recipes, encoded lengths (RFC 4648 arithmetic), file loading (names from file
// names, YAML errors and alias bombs, locations), resolveRecipe, recipeToDefinition, salts and serials
// at the edges, and ID shapes. Expected digests are computed here with node:crypto.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkedSalt,
  checkRecipe,
  compileRecipe,
  DEVID1_RECIPE,
  encodedLength,
  isRecipeId,
  loadRecipe,
  minTruncate,
  normalizeRecipe,
  type Recipe,
  type RecipeDefinition,
  recipeDeviceId,
  recipeIdPattern,
  recipeLinkPolicy,
  recipeToDefinition,
  recipeWarnings,
  resolveRecipe,
  type SerialPart,
  serialValue,
  validateRecipe,
} from '../../lib/devid/recipes.js';
import { InputError, ValidationError } from '../../lib/errors.js';

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');
const base = { parts: ['mac', 'serial'], joiner: '|', hash: 'sha256' } as const;
const errors = (def: unknown, at?: string) =>
  validateRecipe(def, at)
    .issues.filter((i) => i.severity === 'error')
    .map((i) => `${i.path}: ${i.message}`);
const MAC = '00:1a:2b:3c:4d:5e';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'rmmkit-recipes-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const f = join(dir, name);
  mkdirSync(join(f, '..'), { recursive: true });
  writeFileSync(f, text);
  return f;
}

describe('recipes: lengths of encoded digests (RFC 4648)', () => {
  it('hex is two characters a byte, base64 pads to fours, base64url drops the padding', () => {
    // sha256 32 bytes, sha1 20, md5 16: base64 4*ceil(n/3) = 44, 28, 24; unpadded ceil(8n/6) = 43, 27, 22.
    const want: [string, string, number][] = [
      ['sha256', 'hex', 64],
      ['sha256', 'hex-upper', 64],
      ['sha256', 'base64', 44],
      ['sha256', 'base64url', 43],
      ['sha1', 'hex', 40],
      ['sha1', 'hex-upper', 40],
      ['sha1', 'base64', 28],
      ['sha1', 'base64url', 27],
      ['md5', 'hex', 32],
      ['md5', 'base64', 24],
      ['md5', 'base64url', 22],
    ];
    for (const [h, e, n] of want) assert.equal(encodedLength(h as never, e as never), n, `${h} ${e}`);
    // The lengths agree with node's own encoders.
    assert.equal(createHash('sha1').update('x').digest('base64').length, 28);
    assert.equal(createHash('md5').update('x').digest('base64url').length, 22);
  });

  it('64 bits are 16 hex characters and 11 base64 characters', () => {
    assert.deepEqual(
      (['hex', 'hex-upper', 'base64', 'base64url'] as const).map(minTruncate),
      [16, 16, 11, 11],
    );
    assert.ok(normalizeRecipe({ ...base, hash: 'md5', truncate: 32 }), 'the full length is allowed');
    assert.deepEqual(errors({ ...base, encoding: 'hex-upper', truncate: 15 }), [
      'truncate: is 15; at least 16 hex-upper characters (64 bits) are needed to keep IDs of a large fleet apart',
    ]);
    assert.ok(normalizeRecipe({ ...base, encoding: 'base64', truncate: 11 }));
  });
});

describe('recipes: exact paths and messages', () => {
  it('checkRecipe reports paths without a prefix by default, and with one when given', () => {
    const r = normalizeRecipe({ ...base, parts: ['mac', 'serial'] });
    const bad: Recipe = { ...r, joiner: '\u00a7' };
    assert.deepEqual(
      checkRecipe(bad).map((i) => i.path),
      ['joiner'],
    );
    assert.deepEqual(
      checkRecipe(bad, 'link.recipe.').map((i) => i.path),
      ['link.recipe.joiner'],
    );
  });

  it('an empty literal, a part without device, repeated sources: each at its path', () => {
    assert.deepEqual(errors({ ...base, parts: ['mac', { literal: '' }] }), [
      'parts[1].literal: is empty; drop the part instead',
    ]);
    assert.deepEqual(errors({ ...base, parts: [{ literal: 'A' }, 'salt'] }), [
      'parts: needs a mac or a serial part: without one, every device of an account gets the same ID',
    ]);
    assert.deepEqual(errors({ ...base, parts: ['mac', { serial: { sources: ['SYS', 'UUID', 'SYS'] } }] }), [
      'parts[1].serial.sources: names SYS twice',
    ]);
  });

  it('names every unknown option of a part, with the options allowed', () => {
    // zod reports these as the one union form it picked, not as the union: the message is the same.
    assert.deepEqual(errors({ ...base, parts: [{ mac: { sep: ':', colon: true } }] }), [
      'parts[0].mac: sep, colon: not an option of mac (allowed: separator, case)',
    ]);
    assert.deepEqual(errors({ ...base, parts: ['mac', { serial: { trim: true } }] }), [
      'parts[1].serial: trim: not an option of serial (allowed: normalize, sources, junk, withSource)',
    ]);
    assert.deepEqual(errors({ ...base, parts: ['mac', { salt: { hashed: true } }] }), [
      'parts[1].salt: hashed: not an option of salt (allowed: form)',
    ]);
    assert.deepEqual(errors({ ...base, parts: ['mac', { serial: { sources: ['BB', 'BIOS'] } }] }), [
      'parts[1].serial.sources[1]: Invalid option: expected one of "BB"|"SYS"|"UUID"',
    ]);
  });

  it('says what a part is when it is no string and no object, or an object without a key', () => {
    const what = 'a part is mac, serial, salt, or an object with one of those keys or literal';
    assert.deepEqual(errors({ ...base, parts: ['mac', 5] }), [`parts[1]: ${what}`]);
    assert.deepEqual(errors({ ...base, parts: ['mac', null] }), [`parts[1]: ${what}`]);
    assert.deepEqual(errors({ ...base, parts: ['mac', ['serial']] }), [`parts[1]: ${what}`]);
    assert.deepEqual(errors({ ...base, parts: ['mac', {}] }), [
      'parts[1]: a part has exactly one key of mac, serial, salt, literal; found none',
    ]);
    assert.deepEqual(errors({ ...base, parts: ['mac', { hash: 'md5' }] }), [
      'parts[1]: a part has exactly one key of mac, serial, salt, literal; found hash',
    ]);
  });

  it('finds a bad part past the tenth', () => {
    const parts: unknown[] = [
      'mac',
      'serial',
      'salt',
      ...Array.from({ length: 7 }, (_, k) => ({ literal: `L${k}` })),
    ];
    parts.push('serials');
    assert.deepEqual(errors({ ...base, parts }), [
      'parts[10]: "serials" is not a part; use mac, serial, salt or {literal: TEXT}',
    ]);
  });

  it('reports schema problems alone, each once, under a prefix', () => {
    assert.deepEqual(validateRecipe({ ...base, hash: 'crc32' }).issues, [
      {
        path: 'hash',
        message: 'Invalid option: expected one of "sha256"|"sha1"|"md5"',
        severity: 'error',
      },
    ]);
    assert.deepEqual(errors({ ...base, hashh: 'md5' }, 'link.recipe.'), [
      'link.recipe.hashh: is not a recipe key (allowed: name, description, parts, joiner, hash, encoding, truncate, acceptAmbiguity)',
    ]);
    assert.deepEqual(errors({ ...base, hash: 'crc32' }, 'link.recipe.'), [
      'link.recipe.hash: Invalid option: expected one of "sha256"|"sha1"|"md5"',
    ]);
  });

  it('a joiner is ambiguous when any one of its characters can occur in a part', () => {
    // A devid1 serial holds X; a raw salt holds anything: '|X' can occur in both.
    assert.deepEqual(errors({ ...base, parts: ['mac', 'serial', { salt: { form: 'raw' } }], joiner: '|X' }), [
      `parts: parts[1] serial (devid1) and parts[2] salt (raw) can contain the joiner "|X", so two different devices can give the same canonical string; use a joiner that cannot occur in them, the devid1 normalisation or a hashed salt, or set acceptAmbiguity: true if the vendor's console already works this way`,
    ]);
  });

  it('a devid1 serial holds only A-Z and 0-9, and a colon only with its source prefix', () => {
    const parts = (withSource: boolean) => ['mac', { serial: { withSource } }, { salt: { form: 'raw' } }];
    // Without the prefix, ':' and '!' and ' ' cannot occur in the serial: only the raw salt is open-ended.
    for (const joiner of [':', '!', ' ', 'a', 'w']) {
      assert.deepEqual(errors({ ...base, parts: parts(false), joiner }), [], joiner);
    }
    assert.match(
      errors({ ...base, parts: parts(true), joiner: ':' }).join(),
      /parts\[1\] serial \(devid1\) and/,
    );
    assert.deepEqual(errors({ ...base, parts: ['serial', { salt: { form: 'raw' } }], joiner: '|' }), []);
  });

  it('warns of sha1 and md5 with their own messages, and of nothing for sha256', () => {
    const r = normalizeRecipe({ ...base });
    assert.deepEqual(recipeWarnings(r), []);
    assert.deepEqual(recipeWarnings({ ...r, hash: 'md5' }), [
      {
        path: 'hash',
        message:
          'md5 is legacy (collisions can be made on purpose; Windows in FIPS mode refuses it, and the script then reports NO_MD5_TOOL); use it only to match an existing console',
        severity: 'warning',
      },
    ]);
    assert.deepEqual(recipeWarnings({ ...r, hash: 'sha1' }, 'x.'), [
      {
        path: 'x.hash',
        message:
          'sha1 is legacy (collisions can be made on purpose); use it only to match an existing console',
        severity: 'warning',
      },
    ]);
  });

  it('names an unnamed recipe "recipe" and says "Recipe" in errors by default', () => {
    assert.equal(normalizeRecipe({ ...base }).name, 'recipe');
    assert.throws(
      () => normalizeRecipe({ ...base, parts: [] }),
      (e: unknown) =>
        e instanceof ValidationError && e.message.startsWith('Recipe is not valid (1 error):\n  parts: '),
    );
  });

  it('takes the string devid1 as DEVID1, and no other string', () => {
    assert.equal(normalizeRecipe('devid1'), DEVID1_RECIPE);
    assert.throws(() => normalizeRecipe('devid2'), ValidationError);
    assert.throws(() => normalizeRecipe('mac'), ValidationError);
  });

  it('compileRecipe refuses a recipe with a problem, naming it', () => {
    assert.throws(
      () => compileRecipe({ ...(DEVID1_RECIPE as Recipe), name: 'odd', joiner: '\u00a7' }),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.message.startsWith('Recipe odd is not valid (1 error):\n  joiner: '),
    );
  });
});

describe('recipes: files', () => {
  const body = 'parts: [mac, serial]\njoiner: "|"\nhash: md5\n';

  it('names a recipe after its file, unless it names itself or the file name is no recipe name', async () => {
    assert.equal((await loadRecipe(file('sub/dir/acme.v2.yaml', body))).name, 'acme.v2');
    assert.equal((await loadRecipe(file('sub/bright.yml', body))).name, 'bright');
    assert.equal((await loadRecipe(file('sub/upper.YAML', body))).name, 'upper');
    assert.equal((await loadRecipe(file('sub/json.json', JSON.stringify({ ...base })))).name, 'json');
    assert.equal((await loadRecipe(file('sub/v1.json.yaml', body))).name, 'v1.json');
    assert.equal((await loadRecipe(file('named.yaml', `name: own\n${body}`))).name, 'own');
    assert.equal((await loadRecipe(file('My Recipe.yaml', body))).name, 'recipe');
    assert.equal((await loadRecipe(file('noext', body))).name, 'noext');
  });

  it('a file holding just devid1 is DEVID1; a scalar or an empty file is refused as no recipe', async () => {
    assert.equal(await loadRecipe(file('alias.yaml', 'devid1\n')), DEVID1_RECIPE);
    await assert.rejects(
      loadRecipe(file('scalar.yaml', 'hello\n')),
      (e: unknown) => e instanceof ValidationError,
    );
    await assert.rejects(loadRecipe(file('empty.yaml', '')), (e: unknown) => e instanceof ValidationError);
    await assert.rejects(
      loadRecipe(file('list.yaml', '- mac\n')),
      (e: unknown) => e instanceof ValidationError,
    );
  });

  it('keeps the read error as the cause', async () => {
    await assert.rejects(
      loadRecipe(join(dir, 'missing.yaml')),
      (e: unknown) =>
        e instanceof InputError && (e.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT',
    );
  });

  it('refuses a repeated key with its line, and an alias bomb as bad input', async () => {
    const twice = file('twice.yaml', 'parts: [mac]\nhash: md5\nhash: sha1\n');
    await assert.rejects(
      loadRecipe(twice),
      (e: unknown) =>
        e instanceof InputError &&
        e.message.startsWith(`${twice}: not valid YAML: Map keys must be unique at line 3, column 1:`),
    );
    // 60 uses of one anchor: above the limit of 50 (yaml's own default, 100, would let it through).
    const bomb = file(
      'bomb.yaml',
      `description: &a x\nparts: [${Array(60).fill('*a').join(', ')}]\nhash: md5\n`,
    );
    await assert.rejects(
      loadRecipe(bomb),
      (e: unknown) =>
        e instanceof InputError &&
        /cannot be read as YAML: Excessive alias count/.test(e.message) &&
        e.cause instanceof Error,
    );
  });

  it('locates each problem at the deepest node that exists, or the document start', async () => {
    // YAML reads the key 10 as an integer, and 2fa as a string.
    await assert.rejects(
      loadRecipe(file('numeric.yaml', 'parts: [mac]\nhash: md5\n10: x\n2fa: y\n')),
      (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.deepEqual(
          e.issues.map((i) => `${i.path}: ${i.message}`),
          [
            '10: is not a recipe key (allowed: name, description, parts, joiner, hash, encoding, truncate, acceptAmbiguity) (line 3, column 5)',
            '2fa: is not a recipe key (allowed: name, description, parts, joiner, hash, encoding, truncate, acceptAmbiguity) (line 4, column 6)',
          ],
        );
        return true;
      },
    );
    const f = file(
      'located.yaml',
      [
        'name: located',
        'parts:',
        '  - mac',
        '  - {serial: &o {sources: [BB, BB]}}',
        '  - {serial: *o}',
        'hash2: md5',
        '',
      ].join('\n'),
    );
    await assert.rejects(loadRecipe(f), (e: unknown) => {
      assert.ok(e instanceof ValidationError);
      assert.deepEqual(
        e.issues.map((i) => `${i.path}: ${i.message}`),
        [
          // 'hash' is missing: no node, so the document start.
          'hash: Invalid option: expected one of "sha256"|"sha1"|"md5" (line 1, column 1)',
          'hash2: is not a recipe key (allowed: name, description, parts, joiner, hash, encoding, truncate, acceptAmbiguity) (line 6, column 8)',
        ],
      );
      return true;
    });
    const g = file(
      'located2.yaml',
      [
        'name: located',
        'parts:',
        '  - mac',
        '  - {serial: &o {sources: [BB, BB]}}',
        '  - {serial: *o}',
        'hash: md5',
        'joiner: "|"',
        '',
      ].join('\n'),
    );
    await assert.rejects(loadRecipe(g), (e: unknown) => {
      assert.ok(e instanceof ValidationError);
      assert.deepEqual(
        e.issues.filter((i) => i.severity === 'error').map((i) => `${i.path}: ${i.message}`),
        [
          'parts[1].serial.sources: names BB twice (line 4, column 27)',
          'parts[2]: repeats serial (already parts[1]); each may occur once (line 5, column 5)',
          // Inside an alias there is no node of its own: the alias itself.
          'parts[2].serial.sources: names BB twice (line 5, column 14)',
        ],
      );
      return true;
    });
  });
});

describe('recipes: resolveRecipe', () => {
  it('absent is DEVID1, devid1 is DEVID1, a path is relative to the folder, an object is inline', async () => {
    assert.equal(await resolveRecipe(undefined, dir), DEVID1_RECIPE);
    assert.equal(await resolveRecipe(null, dir), DEVID1_RECIPE);
    assert.equal(await resolveRecipe('devid1', dir), DEVID1_RECIPE);
    file('rel/r.yaml', 'parts: [mac]\nhash: md5\n');
    assert.equal((await resolveRecipe('rel/r.yaml', dir)).name, 'r');
    assert.equal((await resolveRecipe(join(dir, 'rel', 'r.yaml'), '/nonexistent')).name, 'r');
    assert.equal((await resolveRecipe({ ...base, name: 'inline' }, dir)).name, 'inline');
    await assert.rejects(
      resolveRecipe({ ...base, hash: 'x' }, dir),
      (e: unknown) => e instanceof ValidationError && e.message.startsWith('link.recipe is not valid'),
    );
  });
});

describe('recipes: recipeToDefinition', () => {
  it('writes every field of every part, and reads back as the same recipe', () => {
    assert.deepEqual(recipeToDefinition(DEVID1_RECIPE as Recipe), {
      name: 'devid1',
      parts: [
        { literal: 'DEVID1' },
        { mac: { separator: '', case: 'upper' } },
        { serial: { normalize: 'devid1', sources: ['BB', 'SYS', 'UUID'], junk: true, withSource: true } },
        { salt: { form: 'sha256' } },
      ],
      joiner: '|',
      hash: 'sha256',
      encoding: 'hex',
      truncate: null,
      acceptAmbiguity: false,
    } satisfies RecipeDefinition);
    const r = normalizeRecipe({
      name: 'other',
      parts: [
        { mac: { separator: ':', case: 'lower' } },
        { serial: { normalize: 'raw', sources: ['UUID'], junk: false } },
      ],
      joiner: '',
      hash: 'md5',
      encoding: 'base64url',
      truncate: 12,
      acceptAmbiguity: true,
    });
    assert.deepEqual(normalizeRecipe(recipeToDefinition(r)), r);
    const d = recipeToDefinition(DEVID1_RECIPE as Recipe);
    (d.parts[2] as { serial: { sources: string[] } }).serial.sources.pop();
    assert.deepEqual((DEVID1_RECIPE.parts[2] as SerialPart).sources, ['BB', 'SYS', 'UUID'], 'a copy');
  });
});

describe('recipes: values at the edges', () => {
  it('checkedSalt: nothing is "", controls and lone surrogates are BAD_SALT, blanks are trimmed', () => {
    assert.equal(checkedSalt(''), '');
    assert.equal(checkedSalt(null), '');
    assert.equal(checkedSalt(undefined), '');
    assert.equal(checkedSalt(' \tAcme\t '), 'Acme');
    assert.equal(checkedSalt('a\x01b'), null);
    assert.equal(checkedSalt('a\x7fb'), null);
    assert.equal(checkedSalt('a\ud800b'), null);
    assert.equal(checkedSalt('a\u{1F600}b'), 'a\u{1F600}b');
  });

  it('serialValue: raw and trimmed serials with a lone surrogate or nothing left are unusable', () => {
    const part = (normalize: SerialPart['normalize'], junk = false): SerialPart => ({
      kind: 'serial',
      normalize,
      sources: ['BB'],
      junk,
      withSource: false,
    });
    assert.equal(serialValue('AB\ud800CD', 'BB', part('raw')), null);
    assert.equal(serialValue('AB\udc00CD', 'BB', part('trim')), null);
    assert.equal(serialValue(' \t ', 'BB', part('trim')), null);
    assert.equal(serialValue(' ab ', 'BB', part('trim')), 'ab');
    assert.equal(serialValue(' ab ', 'BB', part('raw')), ' ab ');
    assert.equal(serialValue('-.-', 'BB', part('devid1')), null);
  });

  it('a raw salt goes into the canonical string as it is (trimmed), not hashed', () => {
    const r = normalizeRecipe({
      parts: [{ mac: { case: 'lower' } }, { salt: { form: 'raw' } }],
      joiner: '|',
      hash: 'md5',
    });
    const got = recipeDeviceId(r, { mac: MAC, salt: ' Acme Site\t' });
    assert.deepEqual(got, {
      id: md5('001a2b3c4d5e|Acme Site'),
      source: null,
      canonical: '001a2b3c4d5e|Acme Site',
    });
    assert.deepEqual(recipeDeviceId(r, { mac: MAC, salt: 'a\x1bb' }), { error: 'BAD_SALT' });
    assert.deepEqual(recipeDeviceId(r, { mac: MAC }), {
      id: md5('001a2b3c4d5e|'),
      source: null,
      canonical: '001a2b3c4d5e|',
    });
  });

  it('checks only the parts a recipe has: no MAC needed without a mac part, no serial without a serial part', () => {
    const noMac = normalizeRecipe({ parts: ['serial'], hash: 'md5' });
    assert.deepEqual(recipeDeviceId(noMac, { mac: 'zz', serials: { BB: 'czc1234xyz' } }), {
      id: md5('CZC1234XYZ'),
      source: 'BB',
      canonical: 'CZC1234XYZ',
    });
    const noSerial = normalizeRecipe({ parts: ['mac'], hash: 'md5' });
    assert.deepEqual(recipeDeviceId(noSerial, { mac: MAC }), {
      id: md5('001A2B3C4D5E'),
      source: null,
      canonical: '001A2B3C4D5E',
    });
    // A serial part and no serials at all: NO_HW_ID, not a crash.
    assert.deepEqual(recipeDeviceId(normalizeRecipe({ ...base }), { mac: MAC }), { error: 'NO_HW_ID' });
  });
});

describe('recipes: ID shapes', () => {
  const r = (encoding: string, hash = 'md5', truncate: number | null = null) =>
    normalizeRecipe({ ...base, hash, encoding, truncate });
  it('one pattern a encoding, of the full or truncated length', () => {
    assert.equal(recipeIdPattern(r('hex')).source, '^[0-9a-f]{32}$');
    assert.equal(recipeIdPattern(r('hex-upper')).source, '^[0-9A-F]{32}$');
    assert.equal(recipeIdPattern(r('base64')).source, '^[A-Za-z0-9+/=]{24}$');
    assert.equal(recipeIdPattern(r('base64url', 'sha1', 20)).source, '^[A-Za-z0-9_-]{20}$');
    assert.equal(isRecipeId(r('hex-upper'), 'A'.repeat(32)), true);
    assert.equal(isRecipeId(r('hex-upper'), 'a'.repeat(32)), false);
    assert.equal(isRecipeId(r('hex'), 'a'.repeat(33)), false);
  });

  it('link policies carry the ID length; base64 is refused with the reason', () => {
    assert.equal(recipeLinkPolicy(DEVID1_RECIPE as Recipe, 'h.example').idLength, 64);
    assert.equal(recipeLinkPolicy(r('base64url', 'sha1', 22), 'h.example').idLength, 22);
    assert.throws(() => recipeLinkPolicy({ ...r('base64'), name: 'b64' }, 'h.example'), {
      code: 'BAD_RECIPE',
      message:
        'Recipe b64: base64 IDs contain + / and =, which change meaning inside a URL; use encoding: base64url for a deep link',
    });
  });
});
