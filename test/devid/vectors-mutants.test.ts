// lib/devid/vectors.ts: the xorshift32 generator against values worked out by hand from Marsaglia's
// definition (13, 17, 5), the shape of the generated tuples, and the published tuples pinned: the
// parity vectors of every recipe are derived from them, so any change to the generator must be
// deliberate (update the digest below in the same commit, and say so).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { WORKED_EXAMPLES } from '../../lib/devid/examples.js';
import { DEVID1_RECIPE, type Recipe, recipeDeviceId } from '../../lib/devid/recipes.js';
import { EXAMPLE_TUPLES, generateTuples, prng, recipeVectors, tupleInput } from '../../lib/devid/vectors.js';
import { referenceId } from '../helpers/recipe-reference.js';

describe('vectors: the generator', () => {
  it('is xorshift32 (13, 17, 5); seed 0 counts as 1, seeds are taken modulo 2^32', () => {
    // s = 1: 1 ^ 1<<13 = 8193; 8193 ^ 8193>>>17 = 8193; 8193 ^ 8193<<5 = 270369, and so on.
    const take = (r: () => number, n: number) => Array.from({ length: n }, r);
    assert.deepEqual(take(prng(1), 4), [270369, 67634689, 2647435461, 307599695]);
    assert.deepEqual(take(prng(0), 2), [270369, 67634689]);
    assert.deepEqual(take(prng(-1), 2), [253983, 4228382207]);
    assert.deepEqual(take(prng(2 ** 32 + 5), 2), [1351845, 336141829]);
    assert.deepEqual(take(prng(0xdec1d), 3), [206326170, 714485637, 62521078]);
  });

  it('gives n tuples, the same for the same seed and others for another seed', () => {
    assert.deepEqual(generateTuples(0), []);
    assert.equal(generateTuples(37).length, 37);
    assert.deepEqual(generateTuples(50), generateTuples(50, 0xdec1d));
    assert.notDeepEqual(generateTuples(50, 1), generateTuples(50));
    assert.deepEqual(generateTuples(50).slice(0, 20), generateTuples(20));
  });

  it('every eighth tuple leaves BB and SYS unusable, so the UUID decides', () => {
    const tuples = generateTuples(400);
    for (const [i, t] of tuples.entries()) {
      if (i % 8 !== 7) continue;
      // Without its UUID, such a tuple has no hardware ID under DEVID1 (or no NIC at all).
      const r = referenceId(DEVID1_RECIPE as Recipe, { ...t, uuid: undefined });
      assert.ok(
        'error' in r && (r.error === 'NO_HW_ID' || r.error === 'NO_NIC'),
        `${i}: ${JSON.stringify(t)}`,
      );
    }
    // …which ordinary tuples do not: most of them have a usable BB or SYS.
    const usable = tuples.filter((t, i) => {
      if (i % 8 === 7) return false;
      const r = referenceId(DEVID1_RECIPE as Recipe, { ...t, uuid: undefined, mac: '00:1a:2b:3c:4d:5e' });
      return 'id' in r;
    });
    assert.ok(usable.length > 200, String(usable.length));
  });

  it('the published tuples are pinned (seed 0xdec1d, 1,000 tuples)', () => {
    const json = JSON.stringify(generateTuples(1000));
    assert.equal(
      createHash('sha256').update(json).digest('hex'),
      '3b342eb319e006f5c7ba08a9270312c93b535f6ead1d0c5e8ec3f4f50cfc5815',
      'generateTuples changed: every published vector file changes with it',
    );
  });
});

describe('vectors: examples and the vector file', () => {
  it('the worked examples as tuples: absent serials and salts stay absent', () => {
    assert.equal(EXAMPLE_TUPLES.length, WORKED_EXAMPLES.length);
    for (const [k, e] of WORKED_EXAMPLES.entries()) {
      const t = EXAMPLE_TUPLES[k];
      assert.deepEqual(t, {
        mac: e.input.mac,
        bb: e.input.serials?.BB ?? undefined,
        sys: e.input.serials?.SYS ?? undefined,
        uuid: e.input.serials?.UUID ?? undefined,
        salt: e.input.salt ?? undefined,
      });
      assert.deepEqual(tupleInput(t as never), {
        mac: e.input.mac,
        serials: { BB: t?.bb, SYS: t?.sys, UUID: t?.uuid },
        salt: t?.salt,
      });
    }
  });

  it('writes the examples then 1,000 tuples by default, absent inputs as null', () => {
    const lines = [...recipeVectors(DEVID1_RECIPE as Recipe)];
    assert.equal(lines.length, WORKED_EXAMPLES.length + 1000);
    const tuples = [...EXAMPLE_TUPLES, ...generateTuples(1000, 0xdec1d)];
    for (const [k, line] of lines.entries()) {
      const t = tuples[k] as (typeof tuples)[number];
      const want = {
        input: {
          mac: t.mac,
          serials: { BB: t.bb ?? null, SYS: t.sys ?? null, UUID: t.uuid ?? null },
          salt: t.salt ?? null,
        },
        expected: recipeDeviceId(DEVID1_RECIPE as Recipe, tupleInput(t)),
      };
      assert.deepEqual(JSON.parse(line), want, String(k));
    }
    // Some inputs are absent: null in the file, not missing keys.
    assert.ok(lines.some((l) => l.includes('"BB":null')));
    assert.ok(lines.some((l) => l.includes('"salt":null')));
    assert.ok(lines.some((l) => l.includes('"SYS":null')));
    assert.ok(lines.some((l) => l.includes('"UUID":null')));
    assert.deepEqual(
      [...recipeVectors(DEVID1_RECIPE as Recipe, 3, 7)]
        .slice(WORKED_EXAMPLES.length)
        .map((l) => JSON.parse(l).input.mac),
      generateTuples(3, 7).map((t) => t.mac),
    );
  });
});
