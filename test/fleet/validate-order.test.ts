// The report's sort order: site, host name, uid as Intl.Collator orders them, collator ties broken
// by code point. sortReportRows sorts by code point and lets the collator check the result; these
// tests check its output against the defining properties, with String#localeCompare as the
// independent reference, on random rows from alphabets where code points and collation agree and
// where they do not.
import assert from 'node:assert/strict';
import { sortReportRows } from '../../lib/fleet/validate.js';

interface Row {
  siteUid: string;
  hostname: string;
  uid: string;
}

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

function randomRows(alphabet: string[], n: number, seed: number): Row[] {
  const r = rng(seed);
  const word = (max: number) => {
    let s = '';
    const len = Math.floor(r() * max);
    for (let k = 0; k < len; k++) s += alphabet[Math.floor(r() * alphabet.length)];
    return s;
  };
  // Few sites and short names, so rows share sites and host names and later keys decide; uids are
  // distinct strings (as in a report) that the collator may still tie.
  const rows = new Map<string, Row>();
  while (rows.size < n) {
    const row = { siteUid: word(2), hostname: word(3), uid: word(6) };
    rows.set(JSON.stringify(row), row);
  }
  return [...rows.values()];
}

const locale = (a: string, b: string) => Math.sign(a.localeCompare(b));
const cp = (a: string, b: string) => (a === b ? 0 : a < b ? -1 : 1);
const keyOrder = (a: Row, b: Row) =>
  locale(a.siteUid, b.siteUid) || locale(a.hostname, b.hostname) || locale(a.uid, b.uid);
const cpOrder = (a: Row, b: Row) =>
  cp(a.siteUid, b.siteUid) || cp(a.hostname, b.hostname) || cp(a.uid, b.uid);

/** The defining properties: a permutation, neighbours in collator order, ties in code-point order. */
function assertReportOrder(input: Row[], sorted: Row[]): void {
  assert.equal(sorted.length, input.length);
  assert.deepEqual(new Set(sorted), new Set(input), 'the same rows');
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1] as Row;
    const b = sorted[i] as Row;
    const k = keyOrder(a, b);
    assert.ok(
      k < 0 || (k === 0 && cpOrder(a, b) < 0),
      `row ${i - 1} ${JSON.stringify(a)} before ${JSON.stringify(b)}`,
    );
  }
}

describe('fleet report order: sortReportRows', () => {
  const split = (s: string) => [...s];
  for (const [name, alphabet] of [
    [
      'upper case, digits and - (code points agree with the collator)',
      split('-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
    ],
    [
      'lower case, digits and - (code points agree with the collator)',
      split('-0123456789abcdefghijklmnopqrstuvwxyz'),
    ],
    ['mixed case (the collator puts a before B)', split('aAbBcC-1')],
    ['punctuation and digits (_ . - sort apart from code points)', split('._-~01aZ')],
    ['accents and non-Latin letters', split('aáeéEÉzßøØж1')],
    // Canonically equivalent spellings: the collator ties them, code points break the tie.
    ['collator ties (a + combining acute vs á)', ['a', '\u0301', 'á', 'b']],
  ] as const)
    it(`orders ${name}`, () => {
      const input = randomRows([...alphabet], 3000, 0x9e3779b9);
      if (name.startsWith('collator ties'))
        assert.ok(
          input.some((a) => input.some((b) => a !== b && keyOrder(a, b) === 0)),
          'the input has rows the collator ties',
        );
      assertReportOrder(input, sortReportRows([...input]));
    });

  it('keeps the order whichever way the rows arrive (one total order)', () => {
    const input = randomRows(split('aAbB-1'), 500, 7);
    const once = sortReportRows([...input]);
    assert.deepEqual(sortReportRows([...input].reverse()), once);
  });

  it('sorts by site first, then host name, then uid', () => {
    const rows = [
      { siteUid: 'b', hostname: 'A', uid: '1' },
      { siteUid: 'a', hostname: 'Z', uid: '2' },
      { siteUid: 'a', hostname: 'B', uid: '4' },
      { siteUid: 'a', hostname: 'B', uid: '3' },
    ];
    assert.deepEqual(
      sortReportRows(rows).map((r) => r.uid),
      ['3', '4', '2', '1'],
    );
  });
});
