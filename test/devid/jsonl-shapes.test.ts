// Input shapes of `devid hash --jsonl` (lib/devid/jsonl.ts) line by line: what is not an object,
// wrong serials, nulls, empty and broken lines, byte-order marks after line 1, over-long lines
// inside one chunk and at the very end. Expected messages are the documented ones, written out.

import assert from 'node:assert/strict';
import { hashJsonLine, MAX_JSONL_LINE } from '../../lib/devid/jsonl.js';
import { hashJsonlChunks } from '../helpers/jsonl.js';

const OBJECT_HINT =
  'expected an object like {"mac": "...", "serials": {"BB": "..."}, "salt": "...", "ref": "..."}';
const bad = (line: number, message: string) => ({ error: 'BAD_INPUT', line, message });
const parse = (line: string, n = 1) => {
  const r = hashJsonLine(line, n);
  return { ...JSON.parse(r.out), bad: r.bad };
};

describe('JSON Lines input shapes', () => {
  it('refuses every JSON value that is not an object, without a ref', () => {
    for (const line of ['5', 'null', '[]', '["mac"]', '"00:1a:2b:3c:4d:5e"', 'true']) {
      assert.deepEqual(parse(line, 3), { ...bad(3, OBJECT_HINT), bad: true }, line);
    }
  });

  it('names the type of a serials value that is not an object', () => {
    assert.deepEqual(parse('{"serials":"CZC1234XYZ"}'), {
      ...bad(1, '"serials" must be an object with "BB", "SYS", "UUID", found string'),
      bad: true,
    });
    assert.deepEqual(parse('{"serials":["CZC1234XYZ"]}'), {
      ...bad(1, '"serials" must be an object with "BB", "SYS", "UUID", found array'),
      bad: true,
    });
    assert.deepEqual(parse('{"serials":{"BB":7}}'), {
      ...bad(1, '"serials.BB" must be a string or null, found number'),
      bad: true,
    });
    assert.deepEqual(parse('{"mac":["x"]}'), {
      ...bad(1, '"mac" must be a string or null, found array'),
      bad: true,
    });
  });

  it('says "keys" for several unknown serial keys', () => {
    assert.deepEqual(parse('{"serials":{"bb":"x","sys":"y"}}'), {
      ...bad(
        1,
        'unknown keys "serials.bb", "serials.sys"; allowed keys in "serials" are "BB", "SYS", "UUID"',
      ),
      bad: true,
    });
  });

  it('takes null serials and null serial values as absent', () => {
    assert.deepEqual(parse('{"mac":"00:1a:2b:3c:4d:5e","serials":null}'), { error: 'NO_HW_ID', bad: false });
    const r = parse(
      '{"mac":"00:1a:2b:3c:4d:5e","serials":{"BB":null,"SYS":"VMware-56 4d 2f 1a"},"salt":null}',
    );
    assert.equal(r.source, 'SYS');
    assert.equal(r.canonical, 'DEVID1|001A2B3C4D5E|SYS:VMWARE564D2F1A|');
  });

  it('tells an empty or blank line from broken JSON', () => {
    assert.deepEqual(parse(''), { ...bad(1, 'empty line'), bad: true });
    assert.deepEqual(parse('  \t '), { ...bad(1, 'empty line'), bad: true });
    const broken = parse('{"mac":', 2);
    assert.equal(broken.error, 'BAD_INPUT');
    assert.equal(broken.line, 2);
    assert.match(broken.message, /^not valid JSON: \S/);
  });

  it('reads a byte-order mark only at the start of the input', async () => {
    const { lines } = await hashJsonlChunks(['{"mac":"zz"}\n\ufeff{"mac":"zz"}\n']);
    assert.deepEqual(lines[0], { error: 'NO_NIC' });
    assert.equal((lines[1] as { error: string }).error, 'BAD_INPUT');
    assert.match((lines[1] as { message: string }).message, /^not valid JSON/);
  });

  it('refuses an over-long line that arrives in one chunk', async () => {
    const long = 'x'.repeat(MAX_JSONL_LINE + 1);
    const { lines, summary } = await hashJsonlChunks([`${long}\n{"mac":"zz"}\n`]);
    assert.deepEqual(lines, [bad(1, `line longer than ${MAX_JSONL_LINE} characters`), { error: 'NO_NIC' }]);
    assert.deepEqual(summary, { lines: 2, badLines: 1 });
  });

  it('refuses an over-long last line without a line feed', async () => {
    const part = 'x'.repeat(MAX_JSONL_LINE / 2);
    const { lines, summary } = await hashJsonlChunks(['{"mac":"zz"}\n', part, part, part]);
    assert.deepEqual(lines, [{ error: 'NO_NIC' }, bad(2, `line longer than ${MAX_JSONL_LINE} characters`)]);
    assert.deepEqual(summary, { lines: 2, badLines: 1 });
  });
});
