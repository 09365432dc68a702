// The recipe model: DEVID1 as a recipe gives DEVID1's IDs, the example recipes agree with an
// independent implementation, and ambiguous or unportable recipes are refused with clear messages.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { WORKED_EXAMPLES } from '../../lib/devid/examples.js';
import { assertLinkTemplate, buildDeepLink } from '../../lib/devid/link.js';
import { deviceId } from '../../lib/devid/recipe.js';
import {
  compileRecipe,
  DEVID1_RECIPE,
  loadRecipe,
  normalizeRecipe,
  type Recipe,
  recipeCanonical,
  recipeDeviceId,
  recipeLinkPolicy,
  recipeSchema,
  resolveRecipe,
  validateRecipe,
} from '../../lib/devid/recipes.js';
import { EXAMPLE_TUPLES, generateTuples, recipeVectors, tupleInput } from '../../lib/devid/vectors.js';
import { ValidationError } from '../../lib/errors.js';
import { EXAMPLE_RECIPES, referenceId } from '../helpers/recipe-reference.js';

const TUPLES = [...EXAMPLE_TUPLES, ...generateTuples(1000)];
const sha = (alg: string, s: string) => createHash(alg).update(s, 'utf8').digest();

describe('recipes: DEVID1 is the recipe devid1', () => {
  it('gives the spec worked examples (IDs and canonical strings copied from the spec)', () => {
    for (const ex of WORKED_EXAMPLES) {
      const r = recipeDeviceId(DEVID1_RECIPE, ex.input);
      assert.deepEqual('id' in r && [r.id, r.canonical], [ex.id, ex.canonical], ex.name);
    }
  });

  it('agrees with deviceId on 1,005 hostile, junk and Unicode tuples, errors included', () => {
    const hash = compileRecipe(DEVID1_RECIPE);
    for (const t of TUPLES) {
      const a = deviceId(tupleInput(t));
      const b = hash(tupleInput(t));
      assert.deepEqual(b, a, JSON.stringify(t));
    }
  });

  it('policies/recipes/devid1.yaml is the same recipe as the built-in one', async () => {
    assert.deepEqual(await loadRecipe('policies/recipes/devid1.yaml'), DEVID1_RECIPE);
    assert.equal(await loadRecipe('devid1'), DEVID1_RECIPE);
    assert.equal(await resolveRecipe(undefined, '.'), DEVID1_RECIPE);
  });
});

describe('recipes: the example recipes', () => {
  // Canonical strings written out by hand from the recipe files' comments and worked example 2
  // (MAC 00-1A-2B-3C-4D-5E, BB czc1234xyz, salt "Acme Site").
  const SALTHEX = '09cecee9adb02b4aa8ab89ce9b1dcb75e08083f6e6abca088b54864f65ea8f61';
  const HAND: [string, string, (c: string) => string][] = [
    ['colon-mac-raw-serial-sha256', '00:1A:2B:3C:4D:5E|czc1234xyz', (c) => sha('sha256', c).toString('hex')],
    ['bare-mac-trim-serial-md5', '001a2b3c4d5e-czc1234xyz', (c) => sha('md5', c).toString('hex')],
    [
      'sha1-base64url-22',
      `00-1A-2B-3C-4D-5E;CZC1234XYZ;${SALTHEX}`,
      (c) => sha('sha1', c).toString('base64url').slice(0, 22),
    ],
  ];
  for (const [name, canonical, id] of HAND) {
    it(`${name}: worked example 2 hashes ${JSON.stringify(canonical)}`, async () => {
      const recipe = await loadRecipe(`policies/recipes/${name}.yaml`);
      const input = WORKED_EXAMPLES[1]?.input ?? {};
      assert.deepEqual(recipeCanonical(recipe, input), { canonical, source: 'BB' });
      assert.equal((recipeDeviceId(recipe, input) as { id: string }).id, id(canonical));
    });
  }

  for (const name of EXAMPLE_RECIPES) {
    it(`${name}: agrees with the independent implementation on 1,005 tuples`, async () => {
      const recipe = await loadRecipe(`policies/recipes/${name}.yaml`);
      const outcomes = new Set<string>();
      for (const t of TUPLES) {
        const want = referenceId(recipe, t);
        const got = recipeDeviceId(recipe, tupleInput(t));
        outcomes.add('error' in want ? want.error : 'ID');
        if ('error' in want) assert.deepEqual(got, want, JSON.stringify(t));
        else
          assert.deepEqual(
            'id' in got && [got.id, got.canonical],
            [want.id, want.canonical],
            JSON.stringify(t),
          );
      }
      assert.ok(
        outcomes.has('ID') && outcomes.has('NO_NIC') && outcomes.has('NO_HW_ID'),
        [...outcomes].join(),
      );
    });
  }

  it('the vector file has one JSON object a line with the documented shape', async () => {
    const recipe = await loadRecipe('policies/recipes/sha1-base64url-22.yaml');
    const lines = [...recipeVectors(recipe, 20)];
    assert.equal(lines.length, 25);
    const first = JSON.parse(lines[1] as string);
    assert.deepEqual(Object.keys(first), ['input', 'expected']);
    assert.deepEqual(Object.keys(first.input), ['mac', 'serials', 'salt']);
    assert.deepEqual(Object.keys(first.input.serials), ['BB', 'SYS', 'UUID']);
    assert.deepEqual(
      first.expected.id,
      (referenceId(recipe, EXAMPLE_TUPLES[1] as never) as { id: string }).id,
    );
  });
});

/** Messages of a refused recipe. */
function refusal(def: unknown): string {
  const { recipe, issues } = validateRecipe(def);
  assert.equal(recipe, null, 'the recipe should be refused');
  return issues
    .filter((i) => i.severity === 'error')
    .map((i) => `${i.path}: ${i.message}`)
    .join('\n');
}

describe('recipes: validation', () => {
  const base = { parts: ['mac', 'serial'], joiner: '|', hash: 'sha256' };

  it('fills defaults: bare hex, upper-case MAC, DEVID1 serial chain with the junk list, hashed salt', () => {
    const r = normalizeRecipe({ parts: ['mac', { serial: null }, 'salt'], hash: 'sha256', joiner: '|' });
    assert.deepEqual(r.parts, [
      { kind: 'mac', separator: '', case: 'upper' },
      { kind: 'serial', normalize: 'devid1', sources: ['BB', 'SYS', 'UUID'], junk: true, withSource: false },
      { kind: 'salt', form: 'sha256' },
    ]);
    assert.equal(r.encoding, 'hex');
    assert.equal(r.truncate, null);
    assert.ok(recipeSchema.safeParse(base).success);
  });

  it('refuses a raw serial and a raw salt joined by a separator that can occur in them', () => {
    const def = { ...base, parts: ['mac', { serial: { normalize: 'raw' } }, { salt: { form: 'raw' } }] };
    const text = refusal(def);
    assert.match(text, /parts\[1\] serial \(raw\) and parts\[2\] salt \(raw\) can contain the joiner "\|"/);
    assert.match(text, /acceptAmbiguity: true/);
    assert.ok(normalizeRecipe({ ...def, acceptAmbiguity: true }));
  });

  it('refuses two variable parts joined by nothing, and a joiner that occurs in a DEVID1 serial', () => {
    assert.match(refusal({ ...base, parts: ['serial', 'salt'], joiner: '' }), /are joined with nothing/);
    // '1' occurs in DEVID1 serials and in hex salts alike; 'X' only in serials, which is still fine.
    assert.match(
      refusal({ ...base, parts: ['mac', 'serial', 'salt'], joiner: '1' }),
      /can contain the joiner "1"/,
    );
    assert.ok(normalizeRecipe({ ...base, parts: ['mac', 'serial', 'salt'], joiner: 'X' }));
    // One part of unknown length is fine: everything around it has a known length.
    assert.ok(normalizeRecipe({ ...base, parts: ['mac', { serial: { normalize: 'raw' } }], joiner: '' }));
  });

  it('refuses unportable literals and joiners, repeated parts, a recipe without a device part', () => {
    assert.match(
      refusal({ ...base, parts: ['mac', { literal: 'Gr\u00fc\u00dfe' }] }),
      /parts\[1\]\.literal.*printable ASCII/,
    );
    assert.match(refusal({ ...base, joiner: '\u00a7' }), /joiner.*printable ASCII/);
    assert.match(refusal({ ...base, parts: ['mac', 'serial', 'mac'] }), /parts\[2\]: repeats mac/);
    assert.match(refusal({ ...base, parts: [{ literal: 'X' }, 'salt'] }), /needs a mac or a serial part/);
    assert.match(refusal({ ...base, parts: [{ serial: { sources: ['BB', 'BB'] } }] }), /names BB twice/);
  });

  it('refuses a truncation beyond the digest or below 64 bits, and unknown keys', () => {
    assert.match(
      refusal({ ...base, hash: 'md5', truncate: 33 }),
      /truncate: is 33, but md5 in hex has only 32/,
    );
    assert.match(
      refusal({ ...base, encoding: 'base64url', truncate: 10 }),
      /at least 11 base64url characters/,
    );
    assert.ok(normalizeRecipe({ ...base, truncate: 16 }));
    assert.match(
      refusal({ ...base, hashh: 'md5' }),
      /^hashh: is not a recipe key \(allowed: name, description, parts,/,
    );
    assert.match(
      refusal({ ...base, hash: 'crc32' }),
      /^hash: Invalid option: expected one of "sha256"\|"sha1"\|"md5"/,
    );
  });

  it('names the exact place of a bad part instead of "invalid input"', () => {
    const text = refusal({
      ...base,
      parts: [{ mac: { case: 'title', sep: ':' } }, 'serials', { serial: {}, salt: {} }, { literal: 5 }],
    });
    assert.equal(
      text,
      [
        'parts[0].mac.case: Invalid option: expected one of "upper"|"lower"',
        'parts[0].mac: sep: not an option of mac (allowed: separator, case)',
        'parts[1]: "serials" is not a part; use mac, serial, salt or {literal: TEXT}',
        'parts[2]: a part has exactly one key of mac, serial, salt, literal; found serial, salt',
        'parts[3].literal: Invalid input: expected string, received number',
      ].join('\n'),
    );
  });

  it('flags sha1 and md5 as legacy without refusing them', () => {
    const { recipe, issues } = validateRecipe({ ...base, hash: 'md5' });
    assert.ok(recipe);
    assert.deepEqual(
      issues.map((i) => [i.path, i.severity]),
      [['hash', 'warning']],
    );
    assert.match(issues[0]?.message ?? '', /legacy/);
  });

  it('throws one ValidationError naming every problem', () => {
    assert.throws(
      () => normalizeRecipe({ ...base, joiner: '\u00a7', parts: ['mac', 'mac'] }, 'Recipe x.yaml'),
      (e: unknown) =>
        e instanceof ValidationError && /Recipe x\.yaml is not valid \(2 errors\)/.test(e.message),
    );
  });

  it('loads a recipe file with an error naming the file, and refuses YAML that is not a recipe', async () => {
    await assert.rejects(
      loadRecipe('policies/recipes/no-such.yaml'),
      /no-such\.yaml: cannot read the recipe \(ENOENT\)/,
    );
  });
});

describe('recipes: links', () => {
  const template = 'https://console.example.com/d/{ID}';
  it('builds links for truncated base64url IDs and refuses IDs of another shape', async () => {
    const recipe = await loadRecipe('policies/recipes/sha1-base64url-22.yaml');
    const policy = recipeLinkPolicy(recipe, 'console.example.com');
    assertLinkTemplate(template, policy);
    const id = (recipeDeviceId(recipe, WORKED_EXAMPLES[1]?.input ?? {}) as { id: string }).id;
    assert.equal(buildDeepLink(template, id, policy), `https://console.example.com/d/${id}`);
    assert.throws(() => buildDeepLink(template, 'a'.repeat(64), policy), /not of the recipe's form/);
  });

  it('refuses base64 (with + / =) for links', () => {
    const recipe: Recipe = { ...DEVID1_RECIPE, encoding: 'base64', parts: [...DEVID1_RECIPE.parts] };
    assert.throws(() => recipeLinkPolicy(recipe, 'console.example.com'), /use encoding: base64url/);
  });
});

describe('recipes: the script view says what an ID looks like', () => {
  it('idLength, idCharsSh and idPatternPs fit every ID of each example recipe, and nothing longer', async () => {
    const { recipeView } = await import('../../lib/render/devid-recipe-view.js');
    for (const name of EXAMPLE_RECIPES) {
      const recipe = await loadRecipe(`policies/recipes/${name}.yaml`);
      const v = recipeView(recipe);
      const re = new RegExp(v.idPatternPs.replace(/\\z$/, '$'));
      for (const t of TUPLES.slice(0, 200)) {
        const r = referenceId(recipe, t);
        if (!('id' in r)) continue;
        assert.equal(String(r.id.length), v.idLength, name);
        assert.ok(re.test(r.id), `${name}: ${r.id}`);
        for (const ch of r.id) assert.ok(v.idCharsSh.includes(ch), `${name}: ${ch}`);
        assert.ok(!re.test(`${r.id}0`));
      }
      assert.ok(!v.idCharsSh.slice(0, -1).includes('-'), "'-' only last in a bracket expression");
    }
  });
});

describe('recipes: JSON Schema', () => {
  it('schema/recipe.schema.json is generated from recipeSchema (UPDATE_GOLDEN=1 rewrites it; then biome format)', async () => {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const { recipeJsonSchema } = await import('../../lib/devid/recipes.js');
    const { updatingGolden } = await import('../helpers/golden.js');
    const file = 'schema/recipe.schema.json';
    if (updatingGolden()) writeFileSync(file, `${JSON.stringify(recipeJsonSchema(), null, 2)}\n`);
    // Parsed, not byte for byte: biome formats the committed file.
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), recipeJsonSchema());
  });

  it('accepts every example recipe file and refuses an unknown key (checked with the schema itself)', async () => {
    const { readFileSync } = await import('node:fs');
    const { parse } = await import('yaml');
    const { z } = await import('zod');
    const { recipeJsonSchema } = await import('../../lib/devid/recipes.js');
    // The committed JSON Schema itself, read back by zod (not recipeSchema): what an editor would use.
    const schema = z.fromJSONSchema(recipeJsonSchema() as never);
    for (const name of EXAMPLE_RECIPES) {
      assert.ok(schema.safeParse(parse(readFileSync(`policies/recipes/${name}.yaml`, 'utf8'))).success, name);
    }
    assert.equal(schema.safeParse({ parts: ['mac'], hash: 'md5', extra: 1 }).success, false);
  });
});
