// The export readers to the letter: every raw device and where it came from, the batches they are
// handed on in (their sizes follow from the batch sizes and read-chunk sizes, worked out here from
// the file's own bytes), what is skipped before a JSON document, and each error's exact text.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  formatFromName,
  JsonArraySplitter,
  type RawItem,
  readCsvExport,
  readExport,
  readExportBatches,
  readJsonExport,
  readJsonLinesExport,
} from '../../lib/fleet/export.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'rmmkit-export-mutants-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const batchesOf = async (gen: AsyncGenerator<RawItem[]>) => {
  const out: RawItem[][] = [];
  for await (const b of gen) out.push(b);
  return out;
};
const items = async (gen: AsyncGenerator<RawItem[]>) => (await batchesOf(gen)).flat();
/** The error a reader throws, after the items it handed on before it. */
const failure = async (gen: AsyncGenerator<RawItem[]>) => {
  const before: RawItem[] = [];
  try {
    for await (const b of gen) before.push(...b);
  } catch (e) {
    return { error: e as Error & { cause?: unknown }, before };
  }
  assert.fail('no error');
};
const sizes = (n: number, per: number) =>
  Array.from({ length: Math.ceil(n / per) }, (_, i) => Math.min(per, n - i * per));

describe('export formats by name', () => {
  it('knows .json, .jsonl, .ndjson and .csv in any case', () => {
    assert.deepEqual(['a.JSON', 'a.jsonl', 'a.NDJSON', 'a.Csv', 'a.txt', 'a'].map(formatFromName), [
      'json',
      'jsonl',
      'jsonl',
      'csv',
      null,
      null,
    ]);
  });
});

describe('JSON export, exactly', () => {
  it('an unreadable, an empty and a blank file: clear errors', async () => {
    const missing = join(dir, 'none.json');
    const m = await failure(readJsonExport(missing));
    assert.equal(m.error.message, `${missing}: cannot read (ENOENT)`);
    assert.ok(m.error.cause);
    // Before: a directory failed with Node's own EISDIR error, naming no file.
    const folder = join(dir, 'folder.json');
    mkdirSync(folder);
    const d = await failure(readJsonExport(folder));
    assert.equal(d.error.message, `${folder}: cannot read (EISDIR)`);
    assert.ok(d.error.cause);
    const empty = write('empty.json', '');
    const blank = write('blank.json', ' \n'.repeat(3000));
    for (const f of [empty, blank])
      assert.equal(
        (await failure(readJsonExport(f))).error.message,
        `${f}: is empty; expected a JSON array of devices or a page {"devices": [...]}`,
      );
  });

  it('skips a byte-order mark and every kind of white space before the array, and only those', async () => {
    const f = write(
      'ws.json',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(' \t\r\n[{"uid":"a"}]')]),
    );
    assert.deepEqual(await items(readJsonExport(f)), [{ raw: { uid: 'a' }, where: `${f} device 1` }]);
    // A byte-order mark belongs at the very start only.
    const late = write(
      'late.json',
      Buffer.concat([Buffer.from('   '), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[1]')]),
    );
    assert.equal(
      (await failure(readJsonExport(late))).error.message,
      `${late}: invalid JSON: at byte 3: expected [`,
    );
  });

  it('white space inside and after the array', async () => {
    assert.deepEqual(await items(readJsonExport(write('e.json', '[\r\n\t ]'))), []);
    const f = write('t.json', '[1]\t\r\n ');
    assert.deepEqual(await items(readJsonExport(f)), [{ raw: 1, where: `${f} device 1` }]);
  });

  it('elements before a break in the structure are handed on, then the break is reported', async () => {
    const f = write('x.json', '[{"uid":"a"}] x');
    const r = await failure(readJsonExport(f));
    assert.deepEqual(r.before, [{ raw: { uid: 'a' }, where: `${f} device 1` }]);
    assert.equal(r.error.message, `${f}: invalid JSON: at byte 14: content after the end of the array`);
    assert.ok(r.error.cause instanceof Error);
  });

  it('an element that is not JSON is named by its number, pages counted', async () => {
    const f = write('n.json', '[{"devices":[{"uid":"a"}]}, {"uid":"b"}, {bad}]');
    assert.match((await failure(readJsonExport(f))).error.message, /n\.json: invalid JSON: element 3: /);
  });

  it('hands devices on 128 at a time, one JSON.parse per batch', async () => {
    // About 100 kB: one read chunk (1 MiB), so only the batch size cuts.
    const devices = Array.from({ length: 1000 }, (_, i) => ({
      uid: `u${i}`,
      siteUid: 's',
      pad: 'x'.repeat(60),
    }));
    const f = write('b.json', JSON.stringify(devices));
    const parse = JSON.parse;
    let calls = 0;
    JSON.parse = ((text: string, reviver?: Parameters<typeof parse>[1]) => {
      calls++;
      return parse(text, reviver);
    }) as typeof JSON.parse;
    let got: RawItem[][];
    try {
      got = await batchesOf(readJsonExport(f));
    } finally {
      JSON.parse = parse;
    }
    assert.deepEqual(
      got.map((b) => b.length),
      sizes(1000, 128),
    );
    assert.equal(calls, 8);
    assert.deepEqual(
      got.flat().map((i) => i.raw),
      devices,
    );
    assert.equal(got[7]?.[103]?.where, `${f} device 1000`);
  });

  it('refuses one element over 64 MiB, and takes one of exactly 64 MiB', () => {
    const MiB = 1 << 20;
    const letters = Buffer.alloc(MiB, 0x61);
    const feed = (extra: number) => {
      const s = new JsonArraySplitter();
      const got: number[] = [];
      const emit = (_b: Buffer, from: number, to: number) => got.push(to - from);
      s.push(Buffer.concat([Buffer.from('['), Buffer.from('"'), Buffer.alloc(MiB - 2, 0x61)]), emit);
      for (let i = 0; i < 63; i++) s.push(letters, emit);
      s.push(Buffer.alloc(extra, 0x61), emit);
      s.push(Buffer.from('"]'), emit);
      s.end();
      return got;
    };
    // The element's bytes before its last chunk: MiB - 1 + 63 MiB + extra.
    assert.deepEqual(feed(1), [64 * MiB + 1]);
    assert.throws(
      () => feed(2),
      /at byte 67108866: an element larger than 67108864 bytes; a device is a few kilobytes/,
    );
  });
});

describe('JSON page object, exactly', () => {
  it('a truncated page and a broken one are invalid JSON', async () => {
    const cut = write('cut.json', '{"devices": [{"uid":"a"}');
    assert.match((await failure(readJsonExport(cut))).error.message, /cut\.json: invalid JSON: /);
    const broken = write('broken.json', '{"devices": [1, }]}');
    const r = await failure(readJsonExport(broken));
    assert.match(r.error.message, /broken\.json: invalid JSON: /);
    assert.ok(r.error.cause);
  });

  it('hands on what each 256 KiB read completed', async () => {
    // 1000 small devices (about 150 kB), one of 600 kB, one small: the first read completes the
    // 1000, the second none, the third the last two.
    const small = Array.from({ length: 1000 }, (_, i) => ({ uid: `u${i}`, pad: 'x'.repeat(120) }));
    const devices = [...small, { uid: 'big', pad: 'x'.repeat(600_000) }, { uid: 'last' }];
    const f = write('page.json', JSON.stringify({ pageDetails: {}, devices }));
    const got = await batchesOf(readJsonExport(f));
    assert.deepEqual(
      got.map((b) => b.length),
      [1000, 2],
    );
    assert.deepEqual(got[1]?.[1], { raw: { uid: 'last' }, where: `${f} device 1002` });
    // One device at a time through readExport.
    const one: RawItem[] = [];
    for await (const item of readExport(f, { slot: 5, maxSlots: 30 })) one.push(item);
    assert.deepEqual(one, got.flat());
  });
});

describe('JSON Lines export, exactly', () => {
  it('skips blank lines, reads pages, null and broken lines, each named by its line', async () => {
    const f = write(
      'a.jsonl',
      ['{"uid":"a"}', '   ', '{"devices":[{"uid":"b"},{"uid":"c"}]}', 'null', '{"uid":', ''].join('\n'),
    );
    const got = await items(readJsonLinesExport(f));
    assert.deepEqual(got.slice(0, 4), [
      { raw: { uid: 'a' }, where: `${f} line 1` },
      { raw: { uid: 'b' }, where: `${f} line 3` },
      { raw: { uid: 'c' }, where: `${f} line 3` },
      { raw: null, where: `${f} line 4` },
    ]);
    assert.equal(got.length, 5);
    assert.equal(got[4]?.where, `${f} line 5`);
    assert.match(got[4]?.error ?? '', /^not JSON \(/);
  });

  it('hands devices on 512 at a time', async () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `{"uid":"u${i}"}`).join('\n');
    for (const n of [1100, 1024]) {
      const got = await batchesOf(readJsonLinesExport(write(`n${n}.jsonl`, lines(n))));
      assert.deepEqual(
        got.map((b) => b.length),
        sizes(n, 512),
        String(n),
      );
    }
  });

  it('an unreadable file', async () => {
    const missing = join(dir, 'none.jsonl');
    const r = await failure(readJsonLinesExport(missing));
    assert.equal(r.error.message, `${missing}: cannot read (ENOENT)`);
    assert.ok(r.error.cause);
  });
});

describe('CSV export, exactly', () => {
  it('every row in the API Device shape: trimmed header names, audit columns, short rows', async () => {
    const f = write(
      'a.csv',
      [
        ' uid , siteUid ,udf5,udf30,macAddresses,biosSerial,baseboardSerial,hostname,foo',
        'a,s,L,x, ;00:11:22:33:44:55;;66:77:88:99:aa:bb ,,,h,z',
        'b,s,,,,SN1,',
        'c,s,,,,,MB1',
        'd,s',
        '',
      ].join('\n'),
    );
    const none = { hostname: undefined, siteName: undefined, operatingSystem: undefined };
    assert.deepEqual(await items(readCsvExport(f, 5, 30)), [
      {
        raw: {
          uid: 'a',
          hostname: 'h',
          siteUid: 's',
          siteName: undefined,
          operatingSystem: undefined,
          udf: { udf5: 'L', udf30: 'x' },
          audit: {
            nics: [{ macAddress: '00:11:22:33:44:55' }, { macAddress: '66:77:88:99:aa:bb' }],
            bios: { serialNumber: null },
            baseBoard: { serialNumber: null },
          },
        },
        where: `${f} line 2`,
      },
      {
        raw: {
          uid: 'b',
          siteUid: 's',
          ...none,
          udf: { udf5: '', udf30: '' },
          audit: { nics: [], bios: { serialNumber: 'SN1' }, baseBoard: { serialNumber: null } },
        },
        where: `${f} line 3`,
      },
      {
        raw: {
          uid: 'c',
          siteUid: 's',
          ...none,
          udf: { udf5: '', udf30: '' },
          audit: { nics: [], bios: { serialNumber: null }, baseBoard: { serialNumber: 'MB1' } },
        },
        where: `${f} line 4`,
      },
      { raw: { uid: 'd', siteUid: 's', ...none, udf: {} }, where: `${f} line 5` },
    ]);
  });

  it('header errors, word for word', async () => {
    const two = write('two.csv', 'siteUid\r\nx\r\n');
    assert.equal(
      (await failure(readCsvExport(two, 5, 30))).error.message,
      `${two}: the header has no uid, udf5 column; found: siteUid`,
    );
    const blank = write('blank.csv', ' \r\n');
    assert.equal(
      (await failure(readCsvExport(blank, 5, 30))).error.message,
      `${blank}: the header has no uid, siteUid, udf5 column; found: (nothing)`,
    );
    const beyond = write('beyond.csv', 'uid,siteUid,udf5,udf31\r\n');
    assert.equal(
      (await failure(readCsvExport(beyond, 5, 30))).error.message,
      `${beyond}: column udf31 is beyond the platform's 30 UDF slots`,
    );
  });

  it('a directory, and CSV errors after some rows', async () => {
    const d = join(dir, 'd.csv');
    mkdirSync(d);
    assert.equal((await failure(readCsvExport(d, 5, 30))).error.message, `${d}: cannot read (EISDIR)`);
    // A quote error: the rows before it are handed on, then it is reported.
    const q = write('q.csv', 'uid,siteUid,udf5\na,s,x\nb,"s"x,y\n');
    const r = await failure(readCsvExport(q, 5, 30));
    assert.deepEqual(
      r.before.map((i) => i.where),
      [`${q} line 2`],
    );
    assert.match(r.error.message, /q\.csv: invalid CSV: /);
    assert.ok(r.error.cause);
    // An unclosed quote is found at the end: the rows before it were handed on.
    const open = write('open.csv', 'uid,siteUid,udf5\na,s,x\nb,"s\n');
    const o = await failure(readCsvExport(open, 5, 30));
    assert.deepEqual(
      o.before.map((i) => i.where),
      [`${open} line 2`],
    );
    assert.match(o.error.message, /open\.csv: invalid CSV: .*quote/i);
  });

  it('hands devices on 128 at a time', async () => {
    // About 100 kB: one read chunk (1 MiB), so only the batch size cuts.
    const rows = Array.from({ length: 2000 }, (_, i) => `u${i},s,${'x'.repeat(40)}`);
    const f = write('b.csv', `uid,siteUid,udf5\n${rows.join('\n')}\n`);
    const got = await batchesOf(readExportBatches(f, { slot: 5, maxSlots: 30 }));
    // csv-parse completes the last record only when the input ends.
    assert.deepEqual(
      got.map((b) => b.length),
      [...sizes(1999, 128), 1],
    );
    const header = write('h.csv', 'uid,siteUid,udf5\n');
    assert.deepEqual(await batchesOf(readCsvExport(header, 5, 30)), []);
  });
});
