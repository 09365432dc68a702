// Tests of streaming JSON Lines hashing (lib/devid/jsonl.ts): order, errors per line, chunk boundaries.

import assert from 'node:assert/strict';
import { WORKED_EXAMPLES } from '../../lib/devid/examples.js';
import { formatResult, hashJsonlStream, MAX_JSONL_LINE } from '../../lib/devid/jsonl.js';
import { deviceId } from '../../lib/devid/recipe.js';
import { hashJsonlChunks } from '../helpers/jsonl.js';

describe('formatResult', () => {
  it('matches JSON.stringify for results and every error code', () => {
    const results = [
      ...WORKED_EXAMPLES.map((e) => deviceId(e.input)),
      deviceId({ mac: 'x' }),
      deviceId({ mac: '00:1a:2b:3c:4d:5e' }),
      deviceId({ mac: '00:1a:2b:3c:4d:5e', serials: { UUID: 'a"b\\c\u0001ABCD' }, salt: 'q"\\' }),
      deviceId({ mac: '00:1a:2b:3c:4d:5e', serials: { SYS: 'ABCD1234' }, salt: '\n' }),
    ];
    assert.deepEqual(
      new Set(results.map((r) => ('error' in r ? r.error : r.source))),
      new Set(['BB', 'SYS', 'UUID', 'NO_NIC', 'NO_HW_ID', 'BAD_SALT']),
    );
    for (const r of results) assert.equal(formatResult(r), JSON.stringify(r));
  });
});

describe('hashJsonlStream', () => {
  it('refuses unknown keys, naming them and the allowed ones', async () => {
    const { lines, summary } = await hashJsonlChunks([
      '{"mac":"00:1a:2b:3c:4d:5e","bb":"CZC1234XYZ"}\n',
      '{"mac":"00:1a:2b:3c:4d:5e","serials":{"bb":"CZC1234XYZ"}}\n',
      '{"mac":"00:1a:2b:3c:4d:5e","serials":{"BB":"CZC1234XYZ"},"Salt":"x","extra":1}\n',
      '{"__proto__":{"mac":"x"},"mac":"00:1a:2b:3c:4d:5e"}\n',
      '{"mac":"00:1a:2b:3c:4d:5e","bb":"CZC1234XYZ","ref":"dev-42"}\n',
    ]);
    assert.deepEqual(lines, [
      {
        error: 'BAD_INPUT',
        line: 1,
        message:
          'unknown key "bb"; allowed keys are "mac", "serials", "salt", "ref" (serials go inside "serials": {"BB", "SYS", "UUID"})',
      },
      {
        error: 'BAD_INPUT',
        line: 2,
        message: 'unknown key "serials.bb"; allowed keys in "serials" are "BB", "SYS", "UUID"',
      },
      {
        error: 'BAD_INPUT',
        line: 3,
        message:
          'unknown keys "Salt", "extra"; allowed keys are "mac", "serials", "salt", "ref" (serials go inside "serials": {"BB", "SYS", "UUID"})',
      },
      {
        error: 'BAD_INPUT',
        line: 4,
        message:
          'unknown key "__proto__"; allowed keys are "mac", "serials", "salt", "ref" (serials go inside "serials": {"BB", "SYS", "UUID"})',
      },
      {
        error: 'BAD_INPUT',
        line: 5,
        message:
          'unknown key "bb"; allowed keys are "mac", "serials", "salt", "ref" (serials go inside "serials": {"BB", "SYS", "UUID"})',
        ref: 'dev-42',
      },
    ]);
    assert.deepEqual(summary, { lines: 5, badLines: 5 });
  });

  it('passes a "ref" through to its output line, on IDs, device errors and bad lines', async () => {
    const { lines, summary } = await hashJsonlChunks([
      '{"ref":"CS-DEVICE-UID-1","mac":"00:1a:2b:3c:4d:5e","serials":{"BB":"  CZC1234XYZ  "}}\n',
      '{"mac":"zz","ref":"host \\"quoted\\" \\u00fc\\n"}\n',
      '{"mac":"00:1a:2b:3c:4d:5e","serials":{"BB":"ABCD1234"},"salt":"a\\u0001","ref":"r3"}\n',
      '{"mac":5,"ref":"r4"}\n',
      '{"mac":"zz","ref":7}\n',
      '{"mac":"zz","ref":null}\n',
    ]);
    // Worked example 1 of docs/devid1.md §4, with the reference appended.
    assert.deepEqual(lines[0], {
      id: '244e9c1dba980da994b0d24b29f7df91b24134f467e8e47a6ebbf6bbc5d79ca4',
      source: 'BB',
      canonical: 'DEVID1|001A2B3C4D5E|BB:CZC1234XYZ|',
      ref: 'CS-DEVICE-UID-1',
    });
    assert.deepEqual(lines.slice(1), [
      { error: 'NO_NIC', ref: 'host "quoted" \u00fc\n' },
      { error: 'BAD_SALT', ref: 'r3' },
      { error: 'BAD_INPUT', line: 4, message: '"mac" must be a string or null, found number', ref: 'r4' },
      { error: 'BAD_INPUT', line: 5, message: '"ref" must be a string or null, found number' },
      { error: 'NO_NIC' },
    ]);
    assert.deepEqual(summary, { lines: 6, badLines: 2 });
  });

  it('refuses a salt that is not a string, naming the key and the type found', async () => {
    const { lines, summary } = await hashJsonlChunks([
      '{"mac":"00:1a:2b:3c:4d:5e","serials":{"BB":"ABCD1234"},"salt":5}\n',
      '{"mac":"00:1a:2b:3c:4d:5e","serials":{"BB":"ABCD1234"},"salt":["x"]}\n',
      '{"mac":"00:1a:2b:3c:4d:5e","serials":{"BB":"ABCD1234"},"salt":{"a":1}}\n',
      '{"mac":"00:1a:2b:3c:4d:5e","serials":{"BB":"ABCD1234"},"salt":true}\n',
      '{"mac":"00:1a:2b:3c:4d:5e","serials":{"BB":"CZC1234XYZ"},"salt":null}\n',
    ]);
    assert.deepEqual(lines.slice(0, 4), [
      { error: 'BAD_INPUT', line: 1, message: '"salt" must be a string or null, found number' },
      { error: 'BAD_INPUT', line: 2, message: '"salt" must be a string or null, found array' },
      { error: 'BAD_INPUT', line: 3, message: '"salt" must be a string or null, found object' },
      { error: 'BAD_INPUT', line: 4, message: '"salt" must be a string or null, found boolean' },
    ]);
    // null is "no salt": spec §4 example 1 (same MAC and serial, no salt).
    assert.equal(
      (lines[4] as { id: string }).id,
      '244e9c1dba980da994b0d24b29f7df91b24134f467e8e47a6ebbf6bbc5d79ca4',
    );
    assert.deepEqual(summary, { lines: 5, badLines: 4 });
  });

  it('hashes every worked example in order', async () => {
    const input = WORKED_EXAMPLES.map((e) => JSON.stringify(e.input)).join('\n');
    const { lines, summary } = await hashJsonlChunks([input]);
    assert.deepEqual(
      lines.map((l) => (l as { id: string }).id),
      WORKED_EXAMPLES.map((e) => e.id),
    );
    assert.deepEqual(summary, { lines: 5, badLines: 0 });
  });
  it('reports bad lines with their number and goes on', async () => {
    const { lines, summary } = await hashJsonlChunks([
      '{"mac":"00:1a:2b:3c:4d:5e","serials":{"BB":"CZC1234XYZ"}}\r\n',
      'not json\n',
      '\n',
      '{"mac": 5}\n',
      '[1]\n',
      '{"serials": {"BB": ["x"]}}\n',
      '{"mac":"zz"}\n',
      '{"mac":"00:1a:2b:3c:4d:5e","serials":{"BB":"None"}}\n',
      '{"mac":"00:1a:2b:3c:4d:5e","serials":{"BB":"ABCD1234"},"salt":"a\\u0000"}',
    ]);
    assert.equal((lines[0] as { source: string }).source, 'BB');
    assert.deepEqual(
      lines.slice(1, 6).map((l) => [(l as { error: string }).error, (l as { line: number }).line]),
      [
        ['BAD_INPUT', 2],
        ['BAD_INPUT', 3],
        ['BAD_INPUT', 4],
        ['BAD_INPUT', 5],
        ['BAD_INPUT', 6],
      ],
    );
    assert.match((lines[3] as { message: string }).message, /"mac" must be a string/);
    assert.match(
      (lines[5] as { message: string }).message,
      /"serials.BB" must be a string or null, found array/,
    );
    assert.deepEqual(lines.slice(6), [{ error: 'NO_NIC' }, { error: 'NO_HW_ID' }, { error: 'BAD_SALT' }]);
    assert.deepEqual(summary, { lines: 9, badLines: 5 });
  });
  it('splits lines and UTF-8 characters across chunk boundaries', async () => {
    const line = Buffer.from(`${JSON.stringify(WORKED_EXAMPLES[4]?.input)}\n`);
    const chunks: Buffer[] = [];
    for (let i = 0; i < line.length; i += 3) chunks.push(line.subarray(i, i + 3));
    const { lines } = await hashJsonlChunks([...chunks, ...chunks]);
    assert.deepEqual(
      lines.map((l) => (l as { id: string }).id),
      [WORKED_EXAMPLES[4]?.id, WORKED_EXAMPLES[4]?.id],
    );
  });
  it('refuses an over-long line without buffering it, then goes on', async () => {
    const big = 'x'.repeat(MAX_JSONL_LINE / 4);
    const { lines, summary } = await hashJsonlChunks([big, big, big, big, big, '\n{"mac":"zz"}\n']);
    assert.match((lines[0] as { message: string }).message, /line longer than/);
    assert.deepEqual(lines[1], { error: 'NO_NIC' });
    assert.deepEqual(summary, { lines: 2, badLines: 1 });
  });
  it('accepts a line of exactly the limit with LF and with CRLF', async () => {
    const ref = 'x'.repeat(MAX_JSONL_LINE - 21);
    const line = `{"mac":"zz","ref":"${ref}"}`;
    assert.equal(line.length, MAX_JSONL_LINE);
    for (const eol of ['\n', '\r\n']) {
      const { lines } = await hashJsonlChunks([line.slice(0, 1000), line.slice(1000), eol]);
      assert.deepEqual(lines, [{ error: 'NO_NIC', ref }], JSON.stringify(eol));
    }
  });
  it('ignores a byte-order mark at the start of the input', async () => {
    const { lines, summary } = await hashJsonlChunks([
      Buffer.from([0xef, 0xbb]),
      Buffer.from([0xbf]),
      `${JSON.stringify(WORKED_EXAMPLES[0]?.input)}\n`,
    ]);
    assert.equal((lines[0] as { id: string }).id, WORKED_EXAMPLES[0]?.id);
    assert.equal(summary.badLines, 0);
  });
  it('holds bounded memory on a 128 MiB line without a newline', async function () {
    this.timeout(60000);
    const chunk = Buffer.alloc(1 << 20, 0x78);
    let peak = 0;
    const before = process.memoryUsage().heapUsed;
    const gen = async function* () {
      for (let i = 0; i < 128; i++) {
        peak = Math.max(peak, process.memoryUsage().heapUsed - before);
        yield chunk;
      }
      yield '\n{"mac":"zz"}\n';
    };
    let out = '';
    await hashJsonlStream(gen(), (c) => {
      out += c;
    });
    assert.match(out, /line longer than/);
    assert.match(out, /NO_NIC/);
    // Buffering the line would hold 128 MiB of string; streaming holds a chunk or two plus garbage.
    assert.ok(peak < 64 * 1024 * 1024, `heap grew by ${(peak / 1048576).toFixed(0)} MiB while reading`);
  });
  it('writes nothing at all for an input without lines (not even an empty chunk)', async () => {
    const writes: string[] = [];
    const summary = await hashJsonlStream(
      (async function* () {
        yield '';
      })(),
      (c) => {
        writes.push(c);
      },
    );
    assert.equal(summary.lines, 0);
    assert.deepEqual(writes, []);
  });
  it('streams many lines with bounded output chunks', async () => {
    let chunks = 0;
    let maxChunk = 0;
    let count = 0;
    const gen = async function* () {
      for (let i = 0; i < 20000; i++)
        yield `{"mac":"00:1a:2b:3c:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}","serials":{"BB":"SER${i}X"}}\n`;
    };
    const summary = await hashJsonlStream(gen(), (c) => {
      chunks++;
      maxChunk = Math.max(maxChunk, c.length);
      count += c.split('\n').length - 1;
    });
    assert.equal(summary.lines, 20000);
    assert.equal(count, 20000);
    assert.ok(chunks > 10, `output came in ${chunks} chunk(s); it must stream`);
    // …and in batches of about 64 KiB (about 1.6 MB in all), not one write per line: each is a system call on a pipe.
    assert.ok(chunks < 100, `output came in ${chunks} chunks; it must be batched`);
    assert.ok(maxChunk < 1 << 17, `largest output chunk ${maxChunk} characters`);
  });
});
