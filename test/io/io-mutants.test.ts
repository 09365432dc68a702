// Boundaries of lib/io/zip.ts and lib/io/files.ts that the broader tests let pass (found by mutation
// testing). Archives are built byte by byte from the zip format (APPNOTE 4.3.7 local header, 4.3.12
// central header, 4.3.16 end record), not with the writer under test.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { InputError } from '../../lib/errors.js';
import { readInputFile, writeTempFile } from '../../lib/io/files.js';
import { readZip } from '../../lib/io/zip.js';

interface Part {
  name: string;
  data: string;
  /** Leave the name out of the local header (its length field still gives the name's length). */
  localNameless?: boolean;
}

/** Stored entries: local headers + data, then the central directory, then the end record. */
function archive(parts: Part[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let at = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name);
    const data = Buffer.from(p.data);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(10, 4);
    h.writeUInt32LE(0, 6); // flags 0, method 0 (stored)
    h.writeUInt16LE(name.length, 26);
    const local = Buffer.concat([h, p.localNameless ? Buffer.alloc(0) : name, data]);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(10, 4);
    c.writeUInt16LE(10, 6);
    c.writeUInt32LE(crc32Ref(data), 16);
    c.writeUInt32LE(data.length, 20);
    c.writeUInt32LE(data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(at, 42);
    central.push(Buffer.concat([c, name]));
    locals.push(local);
    at += local.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(at, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** CRC-32 (ISO 3309, reflected polynomial 0xEDB88320), computed here rather than taken from zlib. */
function crc32Ref(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const anyName = () => {};

function refuses(bytes: Uint8Array, message: string, code = 'BAD_ZIP') {
  assert.throws(
    () => readZip('t.zip', bytes),
    (e: unknown) => {
      assert.ok(e instanceof InputError, String(e));
      assert.equal(e.message, message);
      assert.equal(e.code, code);
      return true;
    },
  );
}

describe('zip reader: records that end exactly where the next part begins', () => {
  it('the CRC helper of this file agrees with the published check value', () => {
    // CRC-32 of "123456789" is 0xCBF43926 (the standard check value)
    assert.equal(crc32Ref(Buffer.from('123456789')), 0xcbf43926);
  });

  it('reads an entry whose local header ends at the central directory and whose record ends at the end record', () => {
    // one empty entry with an empty name: the local header is bytes 0..29, the central directory
    // starts at 30, its 46-byte record ends at 76, where the end record starts
    const z = archive([{ name: '', data: '' }]);
    assert.equal(z.length, 30 + 46 + 22);
    const r = readZip('t.zip', z, undefined, anyName);
    assert.deepEqual(
      r.entries.map((e) => [e.name, e.data.length]),
      [['', 0]],
    );
    // the default name check refuses the empty name: the reader got that far, nothing was truncated
    refuses(z, 't.zip: unsafe entry name "": empty name', 'UNSAFE_ENTRY');
  });

  it('takes a local header that ends exactly at the central directory as a header, then compares its name', () => {
    // the local header says its name has 5 bytes, but they would be the central directory's first bytes
    const z = archive([{ name: 'a.txt', data: '', localNameless: true }]);
    refuses(z, 't.zip: "t.zip!a.txt": the local header names a different entry');
  });

  it('refuses a central record cut short before the end record, even when its signature is there', () => {
    const whole = archive([
      { name: 'a.txt', data: 'alpha' },
      { name: 'b.txt', data: 'bravo' },
    ]);
    const eocd = whole.length - 22;
    const cd = whole.readUInt32LE(eocd + 16);
    const second = cd + 46 + 5;
    // keep 20 bytes of b's record (signature included), then the end record
    const end = Buffer.from(whole.subarray(eocd));
    end.writeUInt32LE(second + 20 - cd, 12);
    const cut = Buffer.concat([whole.subarray(0, second + 20), end]);
    assert.equal(cut.readUInt32LE(second), 0x02014b50);
    refuses(cut, `t.zip: truncated or corrupt central directory at offset ${second} (entry 2 of 2)`);
  });
});

describe('zip: a central record whose variable part runs into the end record', () => {
  it("is refused, naming the record, before its name is read from the end record's bytes", () => {
    const whole = archive([{ name: 'a.txt', data: 'alpha' }]);
    const eocd = whole.length - 22;
    const cd = whole.readUInt32LE(eocd + 16);
    // The record's comment length (offset 32) now claims 10 bytes: they would be the end record's.
    const crafted = Buffer.from(whole);
    crafted.writeUInt16LE(10, cd + 32);
    refuses(
      crafted,
      `t.zip: truncated or corrupt central directory at offset ${cd} (entry 1 of 1): its name, extra field and comment run past the directory`,
    );
    // One byte is enough to be refused.
    crafted.writeUInt16LE(1, cd + 32);
    refuses(
      crafted,
      `t.zip: truncated or corrupt central directory at offset ${cd} (entry 1 of 1): its name, extra field and comment run past the directory`,
    );
    // The extra field counts too.
    crafted.writeUInt16LE(0, cd + 32);
    crafted.writeUInt16LE(1, cd + 30);
    refuses(
      crafted,
      `t.zip: truncated or corrupt central directory at offset ${cd} (entry 1 of 1): its name, extra field and comment run past the directory`,
    );
    // Exactly up to the end record is still a record (the boundary itself is allowed).
    const fits = Buffer.from(whole);
    assert.equal(cd + 46 + 5, eocd);
    assert.doesNotThrow(() => readZip('t.zip', fits));
  });
});

describe('files: temporary files and input files', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rmmkit-io-mut-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writeTempFile: the cleanup may run twice, or after the folder is gone', () => {
    const a = writeTempFile('x.sh', 'x');
    a.cleanup();
    assert.equal(existsSync(dirname(a.path)), false);
    a.cleanup();
    const b = writeTempFile('y.sh', 'y');
    rmSync(dirname(b.path), { recursive: true });
    b.cleanup();
  });

  it('readInputFile: reads a file of exactly maxBytes, refuses one byte more', async () => {
    const f = join(dir, 'in.cpt');
    writeFileSync(f, 'abcd');
    assert.deepEqual(await readInputFile(f, 4), new Uint8Array([0x61, 0x62, 0x63, 0x64]));
    await assert.rejects(readInputFile(f, 3), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.message, `${f}: 4 bytes; inputs over 3 bytes are refused`);
      assert.equal(e.code, 'TOO_LARGE');
      return true;
    });
  });

  it('readInputFile: a folder is named as such, with what was expected', async () => {
    const d = join(dir, 'sub');
    mkdirSync(d);
    await assert.rejects(readInputFile(d, 10), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.message, `${d}: is a directory; expected a file`);
      assert.equal(e.code, 'BAD_INPUT');
      return true;
    });
    await assert.rejects(readInputFile(d, 10, 'a .cpt file'), {
      message: `${d}: is a directory; expected a .cpt file`,
    });
  });

  it('readInputFile: a missing file or a file under a file is an InputError with the code and the cause', async () => {
    const missing = join(dir, 'none.cpt');
    await assert.rejects(readInputFile(missing, 10), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.message, `${missing}: cannot read (ENOENT)`);
      assert.equal((e.cause as NodeJS.ErrnoException).code, 'ENOENT');
      return true;
    });
    writeFileSync(join(dir, 'file'), 'x');
    const under = join(dir, 'file', 'x.cpt');
    await assert.rejects(readInputFile(under, 10), { message: `${under}: cannot read (ENOTDIR)` });
  });
});
