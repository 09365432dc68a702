// The report's sort order: fieldOrder compares by code point only where that gives the collator's
// own order. Checked here against Intl.Collator itself (the independent reference), on random
// strings of the one-case forms and on values that must fall back to the collator.
import assert from 'node:assert/strict';
import { fieldOrder } from '../../lib/fleet/validate.js';

const collator = new Intl.Collator().compare;

/** A deterministic pseudo-random generator (xorshift32), so a failure can be replayed. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function randomStrings(alphabet: string, n: number, seed: number): string[] {
  const r = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let s = '';
    const len = Math.floor(r() * 8);
    for (let k = 0; k < len; k++) s += alphabet[Math.floor(r() * alphabet.length)];
    out.push(s);
  }
  return out;
}

describe('fleet report order: fieldOrder', () => {
  for (const [name, alphabet] of [
    ['upper case, digits and -', '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'],
    ['lower case, digits and -', '-0123456789abcdefghijklmnopqrstuvwxyz'],
  ] as const)
    it(`orders ${name} exactly as Intl.Collator does (4,000 strings, every pair of 200 and a full sort)`, () => {
      const values = randomStrings(alphabet, 4000, 0x9e3779b9);
      const order = fieldOrder(values);
      assert.notEqual(order, collator, 'the fast order is taken for these values');
      const few = values.slice(0, 200);
      for (const a of few)
        for (const b of few) assert.equal(Math.sign(order(a, b)), Math.sign(collator(a, b)), `${a} vs ${b}`);
      assert.deepEqual([...values].sort(order), [...values].sort(collator));
    });

  it('falls back to the collator where code points and collation disagree', () => {
    // Mixed case: the collator puts "a" before "B"; code points put "B" first.
    for (const values of [
      ['a', 'B'],
      ['HOST-2', 'host-1'],
      ['x_y', 'x-y'],
      ['é', 'f'],
      ['a.b', 'a-b'],
    ]) {
      const order = fieldOrder(values);
      assert.deepEqual([...values].sort(order), [...values].sort(collator), values.join(' '));
    }
    assert.equal(Math.sign(fieldOrder(['a', 'B'])('a', 'B')), -1);
  });
});
