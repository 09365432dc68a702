// The JSON export splitter: for any array, split at any chunk boundaries, the elements it cuts out
// parse to exactly what JSON.parse gives for the whole text; broken structure is refused with the
// byte where it breaks. Expected values come from JSON.parse of the whole document.
import assert from 'node:assert/strict';
import { JsonArraySplitter } from '../../lib/fleet/export.js';

/** Deterministic pseudo-random numbers (xorshift32). */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

const NASTY = [
  '',
  '"',
  '\\',
  '\\"',
  '\\\\',
  '\\\\\\"',
  ']',
  '[',
  '}',
  '{',
  ',',
  'é',
  '東京',
  '\u{1F600}',
  '\u2028',
  '\t',
];

function value(r: () => number, depth: number): unknown {
  const k = Math.floor(r() * (depth > 3 ? 4 : 7));
  switch (k) {
    case 0:
      return Math.floor(r() * 1e6) / (r() < 0.5 ? 1 : 7);
    case 1:
      return r() < 0.5 ? null : r() < 0.5;
    case 2:
    case 3: {
      let t = '';
      for (let i = Math.floor(r() * 6); i > 0; i--) t += NASTY[Math.floor(r() * NASTY.length)];
      return t;
    }
    case 4:
    case 5: {
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(r() * 4); i > 0; i--)
        o[`k${i}${NASTY[Math.floor(r() * NASTY.length)]}`] = value(r, depth + 1);
      return o;
    }
    default:
      return Array.from({ length: Math.floor(r() * 4) }, () => value(r, depth + 1));
  }
}

/** Splits `text` at random points and returns the parsed elements. */
function splitAll(text: string, r: () => number): unknown[] {
  const bytes = Buffer.from(text, 'utf8');
  const out: unknown[] = [];
  const s = new JsonArraySplitter();
  let at = 0;
  while (at < bytes.length) {
    const len = 1 + Math.floor(r() * (r() < 0.3 ? 3 : 40));
    s.push(bytes.subarray(at, at + len), (b, from, to) => out.push(JSON.parse(b.toString('utf8', from, to))));
    at += len;
  }
  s.end();
  return out;
}

describe('JSON export splitter', () => {
  it('gives JSON.parse’s elements for 300 random arrays at random chunk boundaries', () => {
    const r = rng(20261129);
    for (let t = 0; t < 300; t++) {
      const arr = Array.from({ length: Math.floor(r() * 8) }, () => value(r, 0));
      const pretty = r() < 0.5;
      const text = `${r() < 0.2 ? '\uFEFF' : ''}${JSON.stringify(arr, null, pretty ? 2 : undefined)}\n`;
      const want = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown[];
      assert.deepEqual(splitAll(text, r), want, text);
    }
  });

  it('keeps an escaped quote or backslash run that straddles a chunk boundary', () => {
    const text = JSON.stringify([{ a: 'x\\"y\\\\' }, 'z\\\\\\"', { b: ['\\'] }]);
    const want = JSON.parse(text);
    for (let cut = 1; cut < text.length; cut++) {
      const out: unknown[] = [];
      const s = new JsonArraySplitter();
      const b = Buffer.from(text);
      s.push(b.subarray(0, cut), (e, from, to) => out.push(JSON.parse(e.toString('utf8', from, to))));
      s.push(b.subarray(cut), (e, from, to) => out.push(JSON.parse(e.toString('utf8', from, to))));
      s.end();
      assert.deepEqual(out, want, `cut at ${cut}`);
    }
  });

  const bad: [string, RegExp][] = [
    ['{"a":1}', /at byte 0: expected \[/],
    ['[1,]', /at byte 3: a comma before \]/],
    ['[,1]', /at byte 1: an element is missing/],
    ['[1] x', /at byte 4: content after the end/],
    ['[1, 2', /ends at byte 5 before the array is closed/],
    ['[ {"a": 1}}, 2]', /at byte 10: a } with no \{/],
    ['["unterminated]', /before the array is closed/],
  ];
  for (const [text, want] of bad) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      assert.throws(() => {
        const s = new JsonArraySplitter();
        s.push(Buffer.from(text), () => {});
        s.end();
      }, want);
    });
  }

  it('passes an element JSON.parse then refuses (two values without a comma) to the caller whole', () => {
    const got: string[] = [];
    const s = new JsonArraySplitter();
    s.push(Buffer.from('[{"a":1} {"b":2}]'), (b, from, to) => got.push(b.toString('utf8', from, to)));
    s.end();
    assert.deepEqual(got, ['{"a":1} {"b":2}']);
    assert.throws(() => JSON.parse(got[0] as string));
  });
});
