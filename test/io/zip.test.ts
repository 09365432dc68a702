// Tests of the zip reader's defences (lib/io/zip.ts): archive-wide bomb ratio, the default caps,
// overlapping entries, local headers that disagree with the central directory, ZIP64 end-of-directory
// counts, directory entries and over-long names. Archives are built by hand here, byte by byte from
// the zip format (APPNOTE 4.3.7, 4.3.12, 4.3.16), not with the writer under test.
import assert from 'node:assert/strict';
import { crc32, deflateRawSync } from 'node:zlib';
import { InputError } from '../../lib/errors.js';
import { DEFAULT_ZIP_LIMITS, readZip, type ZipLimits } from '../../lib/io/zip.js';

interface RawEntry {
  name: string;
  /** The bytes stored after the local header. */
  stored: Uint8Array;
  method?: number;
  /** What the central directory declares; default: the stored bytes' length (and crc of `data`). */
  size?: number;
  data?: Uint8Array;
  /** Compression method written in the local header, when it should disagree. */
  localMethod?: number;
}

/** One local header + data per entry, then the central directory; `layout` may move things. */
function buildZip(
  entries: RawEntry[],
  opts: { offsets?: (natural: number[]) => number[]; body?: Buffer; count?: number } = {},
): Buffer {
  const locals: Buffer[] = [];
  const natural: number[] = [];
  let at = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(0x0800, 6);
    h.writeUInt16LE(e.localMethod ?? e.method ?? 0, 8);
    h.writeUInt32LE(crc32(e.data ?? e.stored) >>> 0, 14);
    h.writeUInt32LE(e.stored.length, 18);
    h.writeUInt32LE(e.size ?? e.stored.length, 22);
    h.writeUInt16LE(name.length, 26);
    const part = Buffer.concat([h, name, e.stored]);
    natural.push(at);
    locals.push(part);
    at += part.length;
  }
  const body = opts.body ?? Buffer.concat(locals);
  const offsets = opts.offsets ? opts.offsets(natural) : natural;
  const central = entries.map((e, k) => {
    const name = Buffer.from(e.name, 'utf8');
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(e.method ?? 0, 10);
    c.writeUInt32LE(crc32(e.data ?? e.stored) >>> 0, 16);
    c.writeUInt32LE(e.stored.length, 20);
    c.writeUInt32LE(e.size ?? e.stored.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offsets[k]!, 42);
    return Buffer.concat([c, name]);
  });
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(opts.count ?? entries.length, 8);
  end.writeUInt16LE(opts.count ?? entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(body.length, 16);
  return Buffer.concat([body, cd, end]);
}

function refuses(bytes: Uint8Array, message: RegExp, code = 'BAD_ZIP', limits?: ZipLimits) {
  assert.throws(
    () => readZip('bad.zip', bytes, limits),
    (e: unknown) => {
      assert.ok(e instanceof InputError, String(e));
      assert.match(e.message, /^(bad\.zip: |"bad\.zip!)/);
      assert.match(e.message, message);
      assert.equal(e.code, code);
      return true;
    },
  );
}

const MiB = 1024 * 1024;

describe('zip reader defences', () => {
  it('reads a hand-built stored archive (the builder itself is sound)', () => {
    const z = readZip('ok.zip', buildZip([{ name: 'a.txt', stored: Buffer.from('hello') }]));
    assert.deepEqual(
      z.entries.map((e) => [e.name, Buffer.from(e.data).toString()]),
      [['a.txt', 'hello']],
    );
  });

  it('refuses many entries each just under the per-entry ratio: the ratio applies to the archive as a whole', () => {
    // 500 entries of exactly 1 MiB of zeros, each deflated to about 1 KB: no entry is above the
    // per-entry ratio's floor, so each passes alone.
    const zeros = Buffer.alloc(MiB);
    const packed = deflateRawSync(zeros, { level: 9 });
    assert.ok(MiB <= DEFAULT_ZIP_LIMITS.ratioFloor, 'each entry passes the per-entry ratio');
    const bomb = buildZip(
      Array.from({ length: 500 }, (_, k) => ({
        name: `z${k}.bin`,
        stored: packed,
        method: 8,
        size: MiB,
        data: zeros,
      })),
    );
    assert.ok(500 * MiB < DEFAULT_ZIP_LIMITS.maxTotal, 'and the total stays under maxTotal');
    refuses(
      bomb,
      /declare 524288000 bytes from a \d+-byte archive, a ratio above 100:1 for the archive as a whole/,
      'ZIP_BOMB',
    );
    // the same entries, fewer of them, stay below the archive-wide floor and are read
    const fine = buildZip(
      Array.from({ length: 3 }, (_, k) => ({
        name: `z${k}.bin`,
        stored: packed,
        method: 8,
        size: MiB,
        data: zeros,
      })),
    );
    assert.equal(readZip('ok.zip', fine).entries.length, 3);
  });

  it('applies the archive-wide ratio from the declared sizes, above its floor only', () => {
    // 4 entries of 64 KiB of zeros (~70 bytes each deflated): 256 KiB from about 600 bytes of archive.
    const zeros = Buffer.alloc(64 * 1024);
    const packed = deflateRawSync(zeros, { level: 9 });
    const z = buildZip(
      Array.from({ length: 4 }, (_, k) => ({
        name: `z${k}.bin`,
        stored: packed,
        method: 8,
        size: zeros.length,
        data: zeros,
      })),
    );
    const limits = { ...DEFAULT_ZIP_LIMITS, maxArchiveRatio: 50, archiveRatioFloor: 200 * 1024 };
    refuses(
      z,
      new RegExp(`declare 262144 bytes from a ${z.length}-byte archive, a ratio above 50:1`),
      'ZIP_BOMB',
      limits,
    );
    // the same archive below the floor, or within the ratio, is read
    assert.equal(readZip('ok.zip', z, { ...limits, archiveRatioFloor: 256 * 1024 }).entries.length, 4);
    assert.equal(
      readZip('ok.zip', z, { ...limits, maxArchiveRatio: Math.ceil(262144 / z.length) }).entries.length,
      4,
    );
    assert.equal(DEFAULT_ZIP_LIMITS.maxArchiveRatio, 100);
    assert.equal(DEFAULT_ZIP_LIMITS.archiveRatioFloor, 64 * MiB);
  });

  it('applies the default total cap of 512 MiB from the declared sizes, before inflating', () => {
    // One deflated entry declaring 513 MiB from 600 KB: a per-entry ratio under 1000:1, the archive
    // ratio not reached first (the total is checked first); the data is never inflated.
    const junk = Buffer.alloc(600 * 1024, 1);
    const z = buildZip([
      { name: 'big.bin', stored: junk, method: 8, size: 513 * MiB, data: Buffer.alloc(0) },
    ]);
    refuses(
      z,
      /the entries declare 537919488 bytes in total; an archive may hold at most 536870912/,
      'ZIP_BOMB',
    );
    assert.equal(DEFAULT_ZIP_LIMITS.maxTotal, 512 * MiB);
  });

  it('stops inflating at the declared size (the per-entry inflate cap)', () => {
    // 16 MiB of zeros declared as 1000 bytes. With caps far above it, only the declared size stops
    // the inflate: it must stop there (ZIP_BOMB), not inflate everything and then compare sizes.
    const zeros = Buffer.alloc(16 * MiB);
    const packed = deflateRawSync(zeros, { level: 1 });
    const z = buildZip([
      { name: 'liar.bin', stored: packed, method: 8, size: 1000, data: zeros.subarray(0, 1000) },
    ]);
    const wide = {
      ...DEFAULT_ZIP_LIMITS,
      ratioFloor: 1024 * MiB,
      archiveRatioFloor: 1024 * MiB,
      maxTotal: 1024 * MiB,
    };
    refuses(z, /"bad\.zip!liar\.bin" inflates past its declared size \(zip bomb\?\)/, 'ZIP_BOMB', wide);
  });

  it('refuses entries whose bytes overlap (one region claimed by several entries)', () => {
    // "outer.bin" is stored; its data is the whole local record of "inner.bin": both read alone.
    const inner = Buffer.from('x'.repeat(1000));
    const innerRecord = buildZip([{ name: 'inner.bin', stored: inner }]).subarray(0, 30 + 9 + 1000);
    const z = buildZip(
      [
        { name: 'outer.bin', stored: innerRecord },
        { name: 'inner.bin', stored: inner },
      ],
      {
        body: buildZip([{ name: 'outer.bin', stored: innerRecord }]).subarray(0, 30 + 9 + innerRecord.length),
        offsets: () => [0, 39],
      },
    );
    refuses(
      z,
      /entries "outer\.bin" and "inner\.bin" overlap \(bytes 39\.\.1077 belong to both\)/,
      'ZIP_BOMB',
    );
  });

  it('refuses 480 stored entries pointing into one region', () => {
    const region = Buffer.alloc(64 * 1024, 0x41);
    const first = buildZip([{ name: 'e0.bin', stored: region }]);
    const record = first.subarray(0, 30 + 6 + region.length);
    // every entry's central record points at the one local header: names differ, so the first
    // check to fail is the local header's name; with matching names the overlap check fires
    const many = Array.from({ length: 480 }, () => ({ name: 'e0.bin', stored: region }));
    refuses(
      buildZip(many, { body: Buffer.from(record), offsets: (o) => o.map(() => 0) }),
      /duplicate entry "e0\.bin"/,
    );
    const named = Array.from({ length: 480 }, (_, k) => ({ name: `e${k}.bin`, stored: region }));
    refuses(
      buildZip(named, { body: Buffer.from(record), offsets: (o) => o.map(() => 0) }),
      /"bad\.zip!e1\.bin": the local header names a different entry/,
    );
  });

  it('refuses a local header whose compression method disagrees with the central directory', () => {
    refuses(
      buildZip([{ name: 'a.txt', stored: Buffer.from('hello'), localMethod: 8 }]),
      /"bad\.zip!a\.txt": the local header says compression method 8, the central directory 0/,
    );
  });

  it('refuses ZIP64 end-of-directory counts and offsets', () => {
    const ok = buildZip([{ name: 'a.txt', stored: Buffer.from('x') }]);
    const eocd = ok.length - 22;
    const count = Buffer.from(ok);
    count.writeUInt16LE(0xffff, eocd + 8);
    count.writeUInt16LE(0xffff, eocd + 10);
    refuses(count, /^bad\.zip: ZIP64 archives are not supported$/);
    const offset = Buffer.from(ok);
    offset.writeUInt32LE(0xffffffff, eocd + 16);
    refuses(offset, /^bad\.zip: ZIP64 archives are not supported$/);
    const size = Buffer.from(ok);
    size.writeUInt32LE(0xffffffff, eocd + 12);
    refuses(size, /^bad\.zip: ZIP64 archives are not supported$/);
    // a count that only differs on this disk is a multi-disk archive
    const disk = Buffer.from(ok);
    disk.writeUInt16LE(2, eocd + 8);
    refuses(disk, /multi-disk archives are not supported/);
  });

  it('skips top-level directory entries and refuses nested or non-empty ones', () => {
    const z = readZip(
      'ok.zip',
      buildZip([
        { name: 'docs/', stored: Buffer.alloc(0) },
        { name: 'a.txt', stored: Buffer.from('x') },
      ]),
    );
    assert.deepEqual(
      z.entries.map((e) => e.name),
      ['a.txt'],
    );
    assert.deepEqual(
      z.info.map((e) => e.name),
      ['a.txt'],
    );
    refuses(
      buildZip([{ name: 'a/b/', stored: Buffer.alloc(0) }]),
      /unsafe entry name "a\/b\/": .*flat/,
      'UNSAFE_ENTRY',
    );
    refuses(
      buildZip([{ name: 'docs/', stored: Buffer.from('x') }]),
      /unsafe entry name "docs\/": .*flat/,
      'UNSAFE_ENTRY',
    );
    refuses(
      buildZip([{ name: 'con/', stored: Buffer.alloc(0) }]),
      /unsafe entry name "con": a Windows device name/,
      'UNSAFE_ENTRY',
    );
  });

  it('refuses an entry name over 255 bytes up front, naming it; 255 bytes are fine', () => {
    const long = `${'é'.repeat(127)}ab`; // 256 bytes, 129 characters
    refuses(
      buildZip([{ name: long, stored: Buffer.from('x') }]),
      new RegExp(`unsafe entry name "${long}": 256 bytes long; file systems allow at most 255 bytes`),
      'UNSAFE_ENTRY',
    );
    const fits = `${'é'.repeat(127)}a`;
    assert.equal(
      readZip('ok.zip', buildZip([{ name: fits, stored: Buffer.from('x') }])).entries[0]!.name,
      fits,
    );
  });
});
