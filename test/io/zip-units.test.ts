// Edge cases of lib/io/zip.ts and lib/io/files.ts, one boundary at a time (found by mutation testing:
// each test kills mutants the broader tests let live). Archives are patched byte by byte at offsets
// from the zip format (APPNOTE 4.3.7 local header, 4.3.12 central header, 4.3.16 end record).
import assert from 'node:assert/strict';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../lib/errors.js';
import { publishOps, tmpName, writeError, writeFileAtomic, writeTreeAtomic } from '../../lib/io/files.js';
import {
  checkEntryName,
  collisionKey,
  DEFAULT_ZIP_LIMITS,
  dosFromEpoch,
  formatDosDateTime,
  parseDosDateTime,
  readZip,
  writeZipDatto,
  type ZipLimits,
} from '../../lib/io/zip.js';

const T = { date: (44 << 9) | (3 << 5) | 5, time: (10 << 11) | (20 << 5) | 15 };
const two = () =>
  Buffer.from(
    writeZipDatto(
      [
        { name: 'a.txt', data: Buffer.from('alpha') },
        { name: 'b.txt', data: Buffer.from('bravo') },
      ],
      T,
    ),
  );
const eocdOf = (b: Buffer) => b.length - 22;
const cdOf = (b: Buffer) => b.readUInt32LE(eocdOf(b) + 16);
/** Offset of the k-th central record (k from 0) of an archive without extra fields or comments. */
const centralAt = (b: Buffer, k: number) => {
  let p = cdOf(b);
  for (let n = 0; n < k; n++) p += 46 + b.readUInt16LE(p + 28);
  return p;
};

function refuses(bytes: Uint8Array, message: RegExp, limits?: ZipLimits, code?: string) {
  assert.throws(
    () => readZip('bad.zip', bytes, limits),
    (e: unknown) =>
      e instanceof InputError && message.test(e.message) && (code === undefined || e.code === code),
    String(message),
  );
}

describe('zip reader: boundaries', () => {
  it('reads an empty archive (the 22-byte end record alone)', () => {
    const empty = Buffer.alloc(22);
    empty.writeUInt32LE(0x06054b50, 0);
    const z = readZip('empty.zip', empty);
    assert.deepEqual(z.entries, []);
    assert.equal(z.dattoFingerprint, false);
    assert.equal(z.dosDateTime, undefined);
    refuses(empty.subarray(0, 21), /^bad\.zip: not a zip archive \(21 bytes, truncated or empty\)$/);
    refuses(Buffer.alloc(22), /no end-of-central-directory record/);
  });

  it('finds the end record behind the longest archive comment (65,535 bytes), not further', () => {
    const z = two();
    const withComment = (n: number) => {
      const b = Buffer.concat([z, Buffer.alloc(n, 0x20)]);
      b.writeUInt16LE(Math.min(n, 0xffff), eocdOf(z) + 20);
      return b;
    };
    assert.equal(readZip('c.zip', withComment(0xffff)).entries.length, 2);
    refuses(withComment(0x10000), /no end-of-central-directory record/);
  });

  it('refuses a multi-disk archive by its disk number or its per-disk count', () => {
    const d = two();
    d.writeUInt16LE(1, eocdOf(d) + 4);
    refuses(d, /multi-disk archives are not supported/);
    const c = two();
    c.writeUInt16LE(3, eocdOf(c) + 8);
    refuses(c, /multi-disk archives are not supported/);
  });

  it('allows exactly maxEntries entries', () => {
    assert.equal(readZip('ok.zip', two(), { ...DEFAULT_ZIP_LIMITS, maxEntries: 2 }).entries.length, 2);
    refuses(two(), /too many entries \(2; at most 1\)/, { ...DEFAULT_ZIP_LIMITS, maxEntries: 1 });
  });

  it('refuses a central directory that runs past the end record, or ends early', () => {
    const big = two();
    big.writeUInt32LE(big.readUInt32LE(eocdOf(big) + 12) + 1, eocdOf(big) + 12);
    refuses(big, /truncated: the central directory \(offset \d+, \d+ bytes\) runs past its end/);
    const more = two();
    more.writeUInt16LE(3, eocdOf(more) + 8);
    more.writeUInt16LE(3, eocdOf(more) + 10);
    refuses(more, /truncated or corrupt central directory at offset \d+ \(entry 3 of 3\)/);
    const sig = two();
    sig.writeUInt32LE(0x12345678, centralAt(sig, 1));
    refuses(sig, new RegExp(`corrupt central directory at offset ${centralAt(two(), 1)} \\(entry 2 of 2\\)`));
  });

  it('steps over extra fields and comments in the central directory, and reports them', () => {
    // rebuild a's central record with a 4-byte extra field and a 3-byte comment
    const z = two();
    const cd = cdOf(z);
    const a = z.subarray(cd, centralAt(z, 1));
    const rest = z.subarray(centralAt(z, 1), eocdOf(z));
    const a2 = Buffer.concat([a, Buffer.from([0xfe, 0xca, 0, 0]), Buffer.from('hey')]);
    a2.writeUInt16LE(4, 30);
    a2.writeUInt16LE(3, 32);
    const end = Buffer.from(z.subarray(eocdOf(z)));
    end.writeUInt32LE(a2.length + rest.length, 12);
    const r = readZip('x.zip', Buffer.concat([z.subarray(0, cd), a2, rest, end]));
    assert.deepEqual(
      r.info.map((e) => [e.name, e.hasExtra, e.hasComment]),
      [
        ['a.txt', true, true],
        ['b.txt', false, false],
      ],
    );
    assert.equal(r.dattoFingerprint, false, 'an extra field or comment is not what Datto writes');
  });

  it('refuses each ZIP64 marker of an entry: compressed size, size, local header offset', () => {
    for (const at of [20, 24, 42]) {
      const z = two();
      z.writeUInt32LE(0xffffffff, cdOf(z) + at);
      refuses(z, /entry 1 uses ZIP64 sizes or offsets/);
    }
  });

  it('refuses a local header that would overlap the central directory, even with a signature there', () => {
    // b's data is "PK\x03\x04"-terminated stored bytes; point a's header at that signature
    const data = Buffer.from('xxxxPK\x03\x04');
    const z = Buffer.from(
      writeZipDatto(
        [
          { name: 'a.txt', data: Buffer.from('a') },
          { name: 'b.bin', data },
        ],
        T,
        (d) => d, // "deflate" that stores: the bytes stay findable
      ),
    );
    const sigAt = z.indexOf(Buffer.from('PK\x03\x04'), 40);
    assert.ok(sigAt > 0);
    // move the central directory right after that signature (drop b's descriptor), point a there
    const cd = Buffer.from(z.subarray(cdOf(z), eocdOf(z)));
    cd.writeUInt32LE(sigAt, 42);
    const end = Buffer.from(z.subarray(eocdOf(z)));
    end.writeUInt32LE(sigAt + 4, 16);
    refuses(
      Buffer.concat([z.subarray(0, sigAt + 4), cd, end]),
      /"bad\.zip!a\.txt": no local header at offset \d+/,
    );
  });

  it('reads data after a local extra field, and refuses stored entries whose sizes differ', () => {
    const name = Buffer.from('a.txt');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(5, 26);
    local.writeUInt16LE(4, 28); // 4 bytes of extra field
    const body = Buffer.concat([local, name, Buffer.from([1, 2, 3, 4]), Buffer.from('hello')]);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt32LE(0x3610a686, 16); // crc32("hello")
    c.writeUInt32LE(5, 20);
    c.writeUInt32LE(5, 24);
    c.writeUInt16LE(5, 28);
    const cd = Buffer.concat([c, name]);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(cd.length, 12);
    end.writeUInt32LE(body.length, 16);
    const ok = Buffer.concat([body, cd, end]);
    assert.equal(Buffer.from(readZip('x', ok).entries[0]!.data).toString(), 'hello');
    const liar = Buffer.from(ok);
    liar.writeUInt32LE(4, body.length + 24);
    refuses(liar, /"bad\.zip!a\.txt": stored entry with differing sizes/);
  });

  it('applies the per-entry ratio above its floor only, and allows exactly the ratio', () => {
    const zeros = Buffer.alloc(1000);
    const z = writeZipDatto([{ name: 'z.bin', data: zeros }], T);
    // size == floor: any ratio passes; one byte less floor: refused
    assert.equal(readZip('x', z, { ...DEFAULT_ZIP_LIMITS, ratioFloor: 1000, maxRatio: 2 }).entries.length, 1);
    refuses(
      z,
      /declares a compression ratio above 2:1 \(1000 from \d+ bytes/,
      { ...DEFAULT_ZIP_LIMITS, ratioFloor: 999, maxRatio: 2 },
      'ZIP_BOMB',
    );
    // a stored entry has a ratio of exactly 1: allowed at maxRatio 1
    const stored = writeZipDatto([{ name: 's.bin', data: zeros }], T, (d) => d);
    const s = Buffer.from(stored);
    s.writeUInt16LE(0, 8); // local method: stored
    s.writeUInt16LE(0, cdOf(s) + 10); // central method: stored
    assert.equal(readZip('x', s, { ...DEFAULT_ZIP_LIMITS, ratioFloor: 0, maxRatio: 1 }).entries.length, 1);
  });

  it('allows exactly maxTotal bytes in total', () => {
    const z = two();
    assert.equal(readZip('x', z, { ...DEFAULT_ZIP_LIMITS, maxTotal: 10 }).entries.length, 2);
    refuses(
      z,
      /the entries declare 10 bytes in total; an archive may hold at most 9/,
      { ...DEFAULT_ZIP_LIMITS, maxTotal: 9 },
      'ZIP_BOMB',
    );
  });

  it('reads entries whose central records are not in file order (no false overlap)', () => {
    const z = two();
    const a = z.subarray(cdOf(z), centralAt(z, 1));
    const b = z.subarray(centralAt(z, 1), eocdOf(z));
    const r = readZip('x', Buffer.concat([z.subarray(0, cdOf(z)), b, a, z.subarray(eocdOf(z))]));
    assert.deepEqual(
      r.entries.map((e) => e.name),
      ['b.txt', 'a.txt'],
    );
  });

  it('reports corrupt deflate data as corruption, not as a bomb', () => {
    const z = Buffer.from(
      writeZipDatto([{ name: 'a.txt', data: Buffer.from('hello hello') }], T, () =>
        Buffer.from([0xff, 0xff, 0xff]),
      ),
    );
    refuses(z, /"bad\.zip!a\.txt": corrupt deflate data/, undefined, 'BAD_ZIP');
  });

  it("recognises Datto's fingerprint, and every single difference from it", () => {
    assert.equal(readZip('x', two()).dattoFingerprint, true);
    // [what, central offset of entry 2, value]: each breaks the fingerprint alone
    const patches: [string, number, number, 2 | 4][] = [
      ['flags', 8, 0x0800, 2],
      ['version made by', 4, 0x031e, 2],
      ['version needed', 6, 10, 2],
      ['external attributes', 38, 0x81a40000, 4],
      ['DOS time', 12, 0, 2],
      ['DOS date', 14, 0x21, 2],
    ];
    for (const [what, at, value, width] of patches) {
      const z = two();
      const p = centralAt(z, 1) + at;
      if (width === 2) z.writeUInt16LE(value, p);
      else z.writeUInt32LE(value, p);
      assert.equal(readZip('x', z).dattoFingerprint, false, what);
    }
    const stored = Buffer.from(writeZipDatto([{ name: 'a.txt', data: Buffer.from('x') }], T, (d) => d));
    stored.writeUInt16LE(0, 8);
    stored.writeUInt16LE(0, cdOf(stored) + 10);
    assert.equal(readZip('x', stored).dattoFingerprint, false, 'stored, not deflated');
  });
});

describe('zip entry names', () => {
  const why = (name: string) => {
    try {
      checkEntryName('x.cpt', name);
      return 'ok';
    } catch (e) {
      return (e as Error).message.replace(/^x\.cpt: unsafe entry name "(?:[^"\\]|\\.)*": /, '');
    }
  };
  it('names what is wrong with each unsafe name', () => {
    assert.equal(why(''), 'empty name');
    assert.equal(why('..'), '"." and ".." segments are not allowed');
    assert.equal(why('.'), '"." and ".." segments are not allowed');
    assert.equal(why('a/../b'), '"." and ".." segments are not allowed');
    assert.equal(why('a/./b'), '"." and ".." segments are not allowed');
    assert.equal(why('..a'), 'ok');
    assert.equal(why('a..b.txt'), 'ok');
    assert.equal(
      why('ä'.repeat(128)),
      '256 bytes long; file systems allow at most 255 bytes in one name (shorten it)',
    );
  });
  it('folds case the way Windows does for collisions: lower case, not upper (ß is not SS)', () => {
    assert.equal(collisionKey('Setup.MSI'), collisionKey('setup.msi'));
    assert.notEqual(collisionKey('straße.txt'), collisionKey('STRASSE.txt'));
  });
});

describe('DOS timestamps', () => {
  it('accepts every field at its largest DOS value and refuses one more', () => {
    const ok = '2107-15-31T31:63:62';
    assert.equal(formatDosDateTime(parseDosDateTime('t', ok)), ok);
    assert.equal(formatDosDateTime(parseDosDateTime('t', '1980-01-01T00:00:00')), '1980-01-01T00:00:00');
    for (const bad of [
      '1979-12-31T23:59:58',
      '2108-01-01T00:00:00',
      '2000-16-01T00:00:00',
      '2000-01-32T00:00:00',
      '2000-01-01T32:00:00',
      '2000-01-01T00:64:00',
      '2000-01-01T00:00:64',
      '2000-01-01T00:00:01',
      'x2000-01-01T00:00:00',
      '2000-01-01T00:00:00x',
      '2000-01-01 00:00:00',
    ])
      assert.throws(
        () => parseDosDateTime('archive.timestamp', bad),
        (e: unknown) =>
          e instanceof InputError &&
          e.message ===
            `archive.timestamp: timestamp ${JSON.stringify(bad)} is not a zip time: write YYYY-MM-DDTHH:MM:SS between 1980 and 2107, even seconds`,
        bad,
      );
  });
  it('clamps epoch seconds to the DOS range, as UTC', () => {
    assert.equal(formatDosDateTime(dosFromEpoch(0)), '1980-01-01T00:00:00');
    assert.equal(formatDosDateTime(dosFromEpoch(1e12)), '2107-12-31T23:59:58');
    assert.equal(
      formatDosDateTime(dosFromEpoch(Date.UTC(2024, 1, 29, 13, 7, 9) / 1000)),
      '2024-02-29T13:07:08',
    );
  });
});

describe('atomic writes (lib/io/files.ts)', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rmmkit-io-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps temporary names within 255 bytes, cutting whole characters only', () => {
    const byteLen = (p: string) => Buffer.byteLength(p.slice(p.lastIndexOf('/') + 1));
    assert.match(tmpName('/d/short.cpt'), /^\/d\/\.short\.cpt\.tmp-[0-9a-f]{12}$/);
    // the name part may hold 255 - 1 (leading dot) - 17 (.tmp- and 12 hex digits) = 237 bytes
    const fits = 'f'.repeat(237);
    assert.equal(tmpName(`/d/${fits}`).slice(3, 3 + 238), `.${fits}`);
    assert.equal(byteLen(tmpName(`/d/${fits}`)), 255);
    const cut = tmpName(`/d/${'g'.repeat(238)}`);
    assert.equal(byteLen(cut), 255);
    assert.match(cut, /^\/d\/\.g{237}\.tmp-/);
    const wide = tmpName(`/d/${'é'.repeat(200)}`); // 2 bytes each: 118 whole characters fit
    assert.match(wide, /^\/d\/\.é{118}\.tmp-[0-9a-f]{12}$/);
  });

  it('maps file-system errors to an InputError naming the path and what the code means', () => {
    const cases: [string, string][] = [
      ['EISDIR', 'it is a folder'],
      ['EEXIST', 'a file is in the way of a folder on the path'],
      ['ENOTDIR', 'a part of the path is a file, not a folder'],
      ['EACCES', 'permission denied'],
      ['EPERM', 'permission denied'],
      ['ENOSPC', 'no space left on the device'],
      ['EROFS', 'read-only file system'],
      ['ENAMETOOLONG', 'a name on the path is longer than the file system allows (255 bytes)'],
    ];
    for (const [code, why] of cases) {
      const cause = Object.assign(new Error('x'), { code });
      const e = writeError('/out/x', cause);
      assert.ok(e instanceof InputError);
      assert.equal(e.message, `/out/x: cannot write (${code}: ${why})`);
      assert.equal(e.cause, cause);
    }
    assert.equal(
      writeError('/o', Object.assign(new Error('x'), { code: 'EIO' })).message,
      '/o: cannot write (EIO)',
    );
    const own = new InputError('a', 'b');
    assert.equal(writeError('/o', own), own);
    const plain = new Error('no code');
    assert.equal(writeError('/o', plain), plain);
  });

  it('writeFileAtomic: creates the parent unless told not to, sets the mode, leaves no temporary file', async () => {
    // with no umask, a default mode of 0o666 would show: the 0o644 must be asked for
    const umask = process.umask(0);
    try {
      await writeFileAtomic(join(dir, 'a', 'b', 'f.txt'), 'x');
    } finally {
      process.umask(umask);
    }
    assert.equal(readFileSync(join(dir, 'a', 'b', 'f.txt'), 'utf8'), 'x');
    assert.equal(statSync(join(dir, 'a', 'b', 'f.txt')).mode & 0o777, 0o644);
    await writeFileAtomic(join(dir, 'g.sh'), 'y', { mode: 0o755 });
    assert.equal(statSync(join(dir, 'g.sh')).mode & 0o777, 0o755);
    await assert.rejects(
      writeFileAtomic(join(dir, 'none', 'f.txt'), 'x', { createParent: false }),
      (e: unknown) =>
        e instanceof InputError &&
        e.message.startsWith(`${join(dir, 'none', 'f.txt')}: cannot write (ENOENT`),
    );
    assert.deepEqual(readdirSync(dir).sort(), ['a', 'g.sh']);
  });

  it('writeFileAtomic replace:false: writes a new file, never replaces an existing file or symlink', async () => {
    const path = join(dir, 'new.txt');
    await writeFileAtomic(path, 'one', { replace: false, mode: 0o600 });
    assert.equal(readFileSync(path, 'utf8'), 'one');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(path).nlink, 1, 'the temporary name is gone: one link left');
    // Created by someone else between a check and the write: still not replaced.
    await assert.rejects(
      writeFileAtomic(path, 'two', { replace: false }),
      (e: unknown) =>
        e instanceof InputError &&
        e.code === 'EXISTS' &&
        e.message === `${path}: already exists; pass --force to replace it`,
    );
    assert.equal(readFileSync(path, 'utf8'), 'one');
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    await assert.rejects(writeFileAtomic(join(dir, 'dangling'), 'x', { replace: false }), /already exists/);
    assert.equal(lstatSync(join(dir, 'dangling')).isSymbolicLink(), true);
    await writeFileAtomic(path, 'three');
    assert.equal(readFileSync(path, 'utf8'), 'three', 'replace is the default');
    assert.deepEqual(readdirSync(dir).sort(), ['dangling', 'new.txt']);
  });

  it('writeFileAtomic replace:false on a file system without hard links: reserves the name, then renames', async () => {
    const { link } = publishOps;
    const calls: string[] = [];
    const refuse = (code: string) => async () => {
      calls.push(code);
      throw Object.assign(new Error(code), { code });
    };
    try {
      for (const code of ['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK', 'EXDEV']) {
        publishOps.link = refuse(code);
        const path = join(dir, `fat-${code}.txt`);
        await writeFileAtomic(path, code, { replace: false });
        assert.equal(readFileSync(path, 'utf8'), code);
        await assert.rejects(
          writeFileAtomic(path, 'again', { replace: false }),
          /already exists; pass --force/,
        );
        assert.equal(readFileSync(path, 'utf8'), code);
      }
      assert.equal(calls.length, 12);
      // A link failure without a code is passed on as it is.
      publishOps.link = async () => {
        throw new Error('no code');
      };
      await assert.rejects(
        writeFileAtomic(join(dir, 'nocode.txt'), 'x', { replace: false }),
        /^Error: no code$/,
      );
      // Another failure of the link is reported as such, naming the output.
      publishOps.link = refuse('EIO');
      await assert.rejects(
        writeFileAtomic(join(dir, 'io.txt'), 'x', { replace: false }),
        /io\.txt: cannot write \(EIO\)/,
      );
      // The name cannot be reserved for another reason: that reason, naming the output.
      publishOps.link = refuse('EPERM');
      const { open } = publishOps;
      publishOps.open = (async () => {
        throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      }) as unknown as typeof open;
      try {
        await assert.rejects(
          writeFileAtomic(join(dir, 'ro.txt'), 'x', { replace: false }),
          /ro\.txt: cannot write \(EACCES/,
        );
      } finally {
        publishOps.open = open;
      }
      // A rename that fails after the name was reserved leaves no empty file behind.
      const { rename } = publishOps;
      publishOps.rename = async () => {
        throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
      };
      try {
        await assert.rejects(
          writeFileAtomic(join(dir, 'full.txt'), 'x', { replace: false }),
          /full\.txt: cannot write \(ENOSPC/,
        );
      } finally {
        publishOps.rename = rename;
      }
    } finally {
      publishOps.link = link;
    }
    assert.deepEqual(
      readdirSync(dir).filter((f) => !f.startsWith('fat-')),
      [],
      'no temporary file, no placeholder',
    );
  });

  it('writeTreeAtomic: fills an empty folder, refuses a file, a symlink, a non-empty folder without force', async () => {
    const files = new Map<string, string>([
      ['a.txt', 'A'],
      ['sub/b.txt', 'B'],
    ]);
    mkdirSync(join(dir, 'empty'));
    await writeTreeAtomic(join(dir, 'empty'), files);
    assert.equal(readFileSync(join(dir, 'empty', 'sub', 'b.txt'), 'utf8'), 'B');
    writeFileSync(join(dir, 'file'), 'x');
    await assert.rejects(writeTreeAtomic(join(dir, 'file'), files), /file: exists and is not a directory$/);
    symlinkSync(join(dir, 'empty'), join(dir, 'link'));
    await assert.rejects(
      writeTreeAtomic(join(dir, 'link'), files),
      /link: is a symbolic link; choose a real folder$/,
    );
    await assert.rejects(
      writeTreeAtomic(join(dir, 'empty'), files),
      (e: unknown) =>
        e instanceof InputError && e.code === 'EXISTS' && /already exists and is not empty/.test(e.message),
    );
    // with force, mayReplace is asked first and may refuse
    let asked = '';
    await assert.rejects(
      writeTreeAtomic(join(dir, 'empty'), files, {
        force: true,
        mayReplace: async (d) => {
          asked = d;
          throw new InputError(d, 'not mine');
        },
      }),
      /not mine/,
    );
    assert.equal(asked, join(dir, 'empty'));
    await writeTreeAtomic(join(dir, 'empty'), new Map([['c.txt', 'C']]), { force: true });
    assert.deepEqual(readdirSync(join(dir, 'empty')), ['c.txt']);
    // a missing folder is created; nothing temporary is left beside any of them
    await writeTreeAtomic(join(dir, 'new', 'deep'), files);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith('.')),
      [],
    );
    // a tree that cannot be written (a file where a folder must go) fails cleanly
    await assert.rejects(
      writeTreeAtomic(
        join(dir, 'bad'),
        new Map([
          ['x', 'a'],
          ['x/y', 'b'],
        ]),
      ),
      (e: unknown) => e instanceof InputError && e.message.startsWith(`${join(dir, 'bad')}: cannot write (`),
    );
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith('.') || f === 'bad'),
      [],
    );
  });
});
