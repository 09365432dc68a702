// Tests of .cpt archives: byte-exact rebuilds of archives rmmkit did not write, verify, determinism,
// and every kind of bad archive refused with the file and entry named.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { PINNED_TIMESTAMP, readCpt, sameModel, verifyCpt, writeCpt } from '../../lib/component/cpt.js';
import { newComponent } from '../../lib/component/index.js';
import { InputError } from '../../lib/errors.js';
import {
  DEFAULT_ZIP_LIMITS,
  deflateDatto,
  formatDosDateTime,
  readZip,
  writeZipDatto,
  type ZipEntry,
} from '../../lib/io/zip.js';
import { needTools } from '../helpers/tools.js';
import { allCptFixtures, DATTO_FIXTURES, fixture } from './helpers.js';

const XML = Buffer.from(
  "<component info='CentraStage Component'>\n  <general>\n    <name>t [WIN]</name>\n  </general>\n</component>",
);
const T = { date: (44 << 9) | (3 << 5) | 5, time: (10 << 11) | (20 << 5) | 15 };
const entries = (...extra: ZipEntry[]): ZipEntry[] => [
  { name: 'command.bat', data: Buffer.from('echo hi') },
  { name: 'resource.xml', data: XML },
  ...extra,
];

function rejects(bytes: Uint8Array, message: RegExp, code?: string, limits = DEFAULT_ZIP_LIMITS) {
  assert.throws(
    () => readCpt('bad.cpt', bytes, limits),
    (e: unknown) =>
      e instanceof InputError &&
      /^(bad\.cpt: |"bad\.cpt!)/.test(e.message) &&
      message.test(e.message) &&
      (code === undefined || e.code === code),
  );
}

describe('.cpt archives', () => {
  for (const f of DATTO_FIXTURES) {
    it(`rebuilds ${f} (written by an independent Java-like writer) byte for byte`, () => {
      const src = fixture(f);
      const c = readCpt(f, src);
      assert.deepEqual(Buffer.from(writeCpt(c)), Buffer.from(src));
    });
  }

  for (const f of allCptFixtures()) {
    it(`verify passes on ${f}`, () => {
      const r = verifyCpt(f, fixture(f));
      assert.equal(r.ok, true, JSON.stringify(r.differences));
      assert.equal(r.lossless, true);
      assert.equal(r.containerIdentical, r.dattoFingerprint);
    });
  }

  it('reads an ordinary zip (stored, flags 0, other order) and keeps its entry order', () => {
    const c = readCpt('infozip-stored.cpt', fixture('infozip-stored.cpt'));
    assert.deepEqual(c.archive.order, ['resource.xml', 'icon.png', 'command.bat']);
    const z = readZip('x', writeCpt(c));
    assert.deepEqual(
      z.entries.map((e) => e.name),
      ['resource.xml', 'icon.png', 'command.bat'],
    );
    assert.equal(z.dattoFingerprint, true);
  });

  it('writes the Datto fingerprint: flags 0x0808, version 20, descriptors, one timestamp, entry order', () => {
    const c = readCpt('current-applications.cpt', fixture('current-applications.cpt'));
    const z = readZip('x', writeCpt(c));
    assert.deepEqual(
      z.entries.map((e) => e.name),
      ['command.bat', 'resource.xml', 'icon.png', 'widget-agent.msi'],
    );
    for (const i of z.info) {
      assert.equal(i.flags, 0x0808);
      assert.equal(i.versionMadeBy, 20);
      assert.equal(i.versionNeeded, 20);
      assert.equal(i.method, 8);
      assert.equal(formatDosDateTime({ date: i.dosDate, time: i.dosTime }), '2025-02-03T14:05:00');
    }
    const b = Buffer.from(writeCpt(c));
    assert.equal(b.readUInt32LE(14), 0, 'CRC zero in the local header');
    assert.equal(b.readUInt32LE(18), 0, 'size zero in the local header');
  });

  it('verify reports a difference with its entry and offset', () => {
    const src = Buffer.from(fixture('legacy-batch-noicon.cpt'));
    // Same content, but the CRLF body stored with a different deflate: the container must differ.
    const c = readCpt('x', src);
    const other = writeZipDatto(
      [
        { name: 'command.bat', data: c.body },
        { name: 'resource.xml', data: readZip('x', src).entries[1]!.data },
      ],
      { date: 0x52c1, time: 0 },
      (d) => deflateRawSync(d, { level: 1 }),
    );
    const r = verifyCpt('other.cpt', other);
    assert.equal(r.lossless, true);
    assert.equal(r.dattoFingerprint, true);
    assert.equal(r.containerIdentical, false);
    assert.equal(r.ok, false, 'a Datto-fingerprint archive that does not rebuild identically fails');
    assert.ok(r.containerOffset! > 30);
    // the first byte that differs, found independently
    let at = 0;
    while (other[at] === src[at]) at++;
    assert.ok(at > 30 + 'command.bat'.length - 1, 'inside the first entry data, after its local header');
    assert.equal(r.containerOffset, at);
    assert.deepEqual(r.differences, [], 'every entry itself is identical');
  });

  it('verify compares the models field by field: any difference fails', () => {
    const read = () => readCpt('x', fixture('current-two-attachments.cpt'));
    assert.ok(sameModel(read(), read()));
    const changes: [string, (c: ReturnType<typeof read>) => void][] = [
      ['a general field', (c) => (c.general.name = 'other')],
      ['a fidelity quirk', (c) => (c.xml.layout = 'legacy')],
      ['the timestamp', (c) => (c.archive.timestamp = PINNED_TIMESTAMP)],
      ['a body byte', (c) => (c.body = Buffer.concat([c.body, Buffer.from(' ')]))],
      ['the icon', (c) => (c.icon = Buffer.from('png'))],
      ['an attachment byte', (c) => (c.attachments[1]!.data = Buffer.from('{"server": "x"}\n'))],
      ['the attachment order', (c) => c.attachments.reverse()],
      ['an attachment name', (c) => (c.attachments[0]!.name = 'other.msi')],
    ];
    for (const [what, change] of changes) {
      const c = read();
      change(c);
      assert.equal(sameModel(read(), c), false, what);
    }
  });

  it('verify never turns content into strings (large archives used GBs and crashed)', () => {
    const big = randomBytes(2 * 1024 * 1024);
    const bytes = writeZipDatto(entries({ name: 'big.bin', data: big }, { name: 'big2.bin', data: big }), T);
    const original = Buffer.prototype.toString;
    let hexed = 0;
    Buffer.prototype.toString = function (this: Buffer, ...args: unknown[]) {
      if (args[0] === 'hex' && this.length > 1024) hexed++;
      return original.apply(this, args as []);
    } as typeof original;
    try {
      const r = verifyCpt('big.cpt', bytes);
      assert.equal(r.ok, true, JSON.stringify(r.differences));
    } finally {
      Buffer.prototype.toString = original;
    }
    assert.equal(hexed, 0);
  });

  it('builds new components deterministically: pinned timestamp, SOURCE_DATE_EPOCH override', () => {
    const c = newComponent({
      general: { name: 'n [LIN]', category: 'scripts', installType: 'unix' },
      body: '#!/bin/sh\necho hi\n',
    });
    const a = writeCpt(c);
    assert.deepEqual(Buffer.from(writeCpt(c)), Buffer.from(a));
    const z = readZip('x', a);
    assert.equal(formatDosDateTime(z.dosDateTime!), PINNED_TIMESTAMP);
    const e = readZip('x', writeCpt(c, { sourceDateEpoch: Date.UTC(2024, 6, 1, 12, 30, 45) / 1000 }));
    assert.equal(formatDosDateTime(e.dosDateTime!), '2024-07-01T12:30:44');
    // A recorded export timestamp wins, so unpack → pack stays byte-exact under SOURCE_DATE_EPOCH.
    const f = readCpt('x', fixture('current-monitor.cpt'));
    assert.deepEqual(
      Buffer.from(writeCpt(f, { sourceDateEpoch: 0 })),
      Buffer.from(fixture('current-monitor.cpt')),
    );
  });

  it('keeps body bytes exactly: CRLF/LF, trailing newline or not, BOM', () => {
    for (const body of ['a\r\nb', 'a\nb\n', '\ufeffWrite-Host 1\r\n', '']) {
      const c = newComponent({ general: { name: 'x' }, body });
      assert.equal(Buffer.from(readCpt('x', writeCpt(c)).body).toString('utf8'), body);
    }
  });

  it('deflates like Python zlib at level 6 (the Java writer) on a larger, varied input', function () {
    needTools(this, 'deflate compared with Python zlib', 'python3');
    let seed = 7;
    const words = ['Write-Host', 'if', '$env:Mode', '{', '}', 'echo', '\r\n', 'exit 0', 'café', '"x"'];
    const parts: string[] = [];
    for (let i = 0; i < 200000; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      parts.push(words[seed % words.length]!, String(seed % 997));
    }
    const data = Buffer.from(parts.join(' '));
    const py = spawnSync(
      'python3',
      [
        '-c',
        'import sys,zlib;c=zlib.compressobj(6,zlib.DEFLATED,-15,8);sys.stdout.buffer.write(c.compress(sys.stdin.buffer.read())+c.flush())',
      ],
      { input: data, maxBuffer: 64 * 1024 * 1024 },
    );
    assert.equal(py.status, 0, String(py.stderr));
    assert.deepEqual(Buffer.from(deflateDatto(data)), py.stdout);
  });

  describe('bad archives', () => {
    const cases: [string, () => Uint8Array, RegExp, string?][] = [
      [
        'a ../ name',
        () => writeZipDatto(entries({ name: '../x', data: Buffer.from('x') }), T),
        /unsafe entry name "\.\.\/x"/,
        'UNSAFE_ENTRY',
      ],
      [
        'an absolute name',
        () => writeZipDatto(entries({ name: '/etc/x', data: Buffer.from('x') }), T),
        /"\/etc\/x": absolute paths/,
        'UNSAFE_ENTRY',
      ],
      [
        'a drive-letter name',
        () => writeZipDatto(entries({ name: 'C:x', data: Buffer.from('x') }), T),
        /absolute paths/,
        'UNSAFE_ENTRY',
      ],
      [
        'a backslash name',
        () => writeZipDatto(entries({ name: '..\\x', data: Buffer.from('x') }), T),
        /backslashes/,
        'UNSAFE_ENTRY',
      ],
      [
        'a nested name',
        () => writeZipDatto(entries({ name: 'a/b', data: Buffer.from('x') }), T),
        /flat/,
        'UNSAFE_ENTRY',
      ],
      [
        'a duplicate name',
        () => writeZipDatto(entries({ name: 'command.bat', data: Buffer.from('x') }), T),
        /duplicate entry "command\.bat"/,
      ],
      [
        'a missing resource.xml',
        () => writeZipDatto([{ name: 'command.bat', data: Buffer.from('x') }], T),
        /no resource\.xml entry/,
        'NOT_A_COMPONENT',
      ],
      [
        'a missing command.bat',
        () => writeZipDatto([{ name: 'resource.xml', data: XML }], T),
        /no command\.bat entry/,
        'NOT_A_COMPONENT',
      ],
      [
        'a truncated archive',
        () => writeZipDatto(entries(), T).subarray(0, 60),
        /no end-of-central-directory|truncated/,
      ],
      ['an empty file', () => new Uint8Array(0), /truncated or empty/],
      [
        'a central directory cut short',
        () => {
          const b = Buffer.from(writeZipDatto(entries(), T));
          b.writeUInt32LE(b.readUInt32LE(b.length - 6) + 40, b.length - 6);
          return b;
        },
        /central directory/,
      ],
      [
        'a corrupt CRC',
        () => {
          const b = Buffer.from(writeZipDatto(entries(), T));
          const cd = b.readUInt32LE(b.length - 6);
          b.writeUInt32LE(0xdeadbeef, cd + 16);
          return b;
        },
        /"bad\.cpt!command\.bat": CRC mismatch/,
      ],
      [
        'invalid UTF-8 in resource.xml',
        () =>
          writeZipDatto(
            [
              { name: 'command.bat', data: Buffer.from('x') },
              { name: 'resource.xml', data: Buffer.from([0x3c, 0xc3, 0x28]) },
            ],
            T,
          ),
        /"bad\.cpt!resource\.xml": not valid UTF-8/,
      ],
      [
        'a DOCTYPE in resource.xml',
        () =>
          writeZipDatto(
            [
              { name: 'command.bat', data: Buffer.from('x') },
              { name: 'resource.xml', data: Buffer.from('<!DOCTYPE x [<!ENTITY a "b">]><component/>') },
            ],
            T,
          ),
        /"bad\.cpt!resource\.xml": DOCTYPE declaration/,
      ],
      [
        'a non-integer idx in resource.xml',
        () =>
          writeZipDatto(
            [
              { name: 'command.bat', data: Buffer.from('x') },
              { name: 'resource.xml', data: Buffer.from('<component><variable idx="a"/></component>') },
            ],
            T,
          ),
        /"bad\.cpt!resource\.xml": .*idx="a"/,
      ],
    ];
    for (const [name, build, message, code] of cases) {
      it(`refuses ${name}`, () => rejects(build(), message, code));
    }

    it('refuses entry names Windows cannot create or reads as something else, naming archive and entry', () => {
      const names: [string, RegExp][] = [
        ['ab:c', /":" is not allowed/],
        ['setup.msi:Zone.Identifier', /":" is not allowed/],
        ['CON', /Windows device name/],
        ['aux.txt', /Windows device name/],
        ['nul', /Windows device name/],
        ['Com1.log', /Windows device name/],
        ['lpt9', /Windows device name/],
        ['setup.', /trailing dot or space/],
        ['setup ', /trailing dot or space/],
        ['a<b', /not allowed in Windows file names/],
        ['a>b', /not allowed in Windows file names/],
        ['a|b', /not allowed in Windows file names/],
        ['a?b', /not allowed in Windows file names/],
        ['a*b', /not allowed in Windows file names/],
        ['a"b', /not allowed in Windows file names/],
        ['a\u0085b', /control characters/],
      ];
      for (const [name, message] of names)
        assert.throws(
          () => readCpt('bad.cpt', writeZipDatto(entries({ name, data: Buffer.from('x') }), T)),
          (e: unknown) =>
            e instanceof InputError &&
            e.code === 'UNSAFE_ENTRY' &&
            e.message.startsWith(`bad.cpt: unsafe entry name ${JSON.stringify(name)}: `) &&
            message.test(e.message),
          name,
        );
      for (const [a, b] of [
        ['A.msi', 'a.msi'],
        ['caf\u00e9.txt', 'cafe\u0301.txt'],
      ] as const)
        rejects(
          writeZipDatto(entries({ name: a, data: Buffer.from('x') }, { name: b, data: Buffer.from('y') }), T),
          new RegExp(`entries "${a}" and "${b}" collide`),
        );
      // ordinary names stay accepted
      readCpt('ok.cpt', writeZipDatto(entries({ name: 'console.msi', data: Buffer.from('x') }), T));
    });

    it('names ZIP64 markers and non-UTF-8 entry names precisely', () => {
      const zip = Buffer.from(writeZipDatto(entries(), T));
      const cd = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      const z64 = Buffer.from(zip);
      z64.writeUInt32LE(0xffffffff, cd + 24);
      rejects(z64, /entry 1 uses ZIP64 sizes or offsets; ZIP64 archives are not supported/);
      const cp437 = Buffer.from(zip);
      // "command.bat" → "\x81ommand.bat" in both headers (ü in CP437)
      cp437[30] = 0x81;
      cp437[cd + 46] = 0x81;
      rejects(cp437, /entry 1 has a name that is not valid UTF-8 \(bytes 816f6d6d616e642e626174; .*CP437/);
    });

    describe('each header check refuses what it guards', () => {
      // entry 1 is command.bat ("echo hi", 7 bytes) with its local header at offset 0
      const patched = (patch: (b: Buffer, cd: number) => void) => {
        const b = Buffer.from(writeZipDatto(entries(), T));
        patch(b, b.readUInt32LE(b.length - 6));
        return b;
      };
      it('refuses an encrypted entry', () =>
        rejects(
          patched((b, cd) => b.writeUInt16LE(b.readUInt16LE(cd + 8) | 1, cd + 8)),
          /"bad\.cpt!command\.bat" is encrypted/,
        ));
      it('refuses an unknown compression method', () =>
        rejects(
          patched((b, cd) => b.writeUInt16LE(12, cd + 10)),
          /"bad\.cpt!command\.bat" uses compression method 12; only stored \(0\) and deflate \(8\)/,
        ));
      it('refuses more entries than maxEntries', () =>
        rejects(
          patched(() => {}),
          /too many entries \(2; at most 1\)/,
          undefined,
          { ...DEFAULT_ZIP_LIMITS, maxEntries: 1 },
        ));
      it('refuses a missing local header signature', () =>
        rejects(
          patched((b) => b.writeUInt32LE(0, 0)),
          /"bad\.cpt!command\.bat": no local header at offset 0/,
        ));
      it('refuses a local header naming another entry', () =>
        rejects(
          patched((b) => {
            b[30] = 0x78;
          }),
          /"bad\.cpt!command\.bat": the local header names a different entry/,
        ));
      it('refuses data running past the central directory', () =>
        rejects(
          patched((b, cd) => b.writeUInt32LE(b.readUInt32LE(cd + 20) + 10000, cd + 20)),
          /"bad\.cpt!command\.bat": data runs past the end of the archive/,
        ));
      it('refuses an entry that inflates to another size than declared', () =>
        rejects(
          patched((b, cd) => b.writeUInt32LE(6, cd + 24)),
          /"bad\.cpt!command\.bat": inflated to 7 bytes, the directory says 6/,
        ));
    });

    it('refuses a zip bomb by its declared ratio before inflating', () => {
      const bomb = writeZipDatto(
        entries({ name: 'bomb.bin', data: Buffer.alloc(20 * 1024 * 1024) }),
        T,
        (d) => deflateRawSync(d, { level: 9 }),
      );
      rejects(bomb, /"bad\.cpt!bomb\.bin" declares a compression ratio above 1000:1/, 'ZIP_BOMB');
    });

    it('stops inflating an entry that lies about its size', () => {
      const b = Buffer.from(
        writeZipDatto(entries({ name: 'liar.bin', data: Buffer.alloc(4 * 1024 * 1024, 0x41) }), T, (d) =>
          deflateRawSync(d, { level: 9 }),
        ),
      );
      const cd = b.readUInt32LE(b.length - 6);
      let p = cd;
      for (let k = 0; k < 2; k++) p += 46 + b.readUInt16LE(p + 28);
      b.writeUInt32LE(1000, p + 24); // declared size 1000 bytes
      rejects(b, /"bad\.cpt!liar\.bin" inflates past its declared size/, 'ZIP_BOMB');
    });

    it('caps the total uncompressed size before inflating anything', () => {
      const data = Buffer.alloc(300 * 1024, 7);
      const z = writeZipDatto(entries({ name: 'a.bin', data }, { name: 'b.bin', data }), T);
      rejects(
        z,
        /the entries declare 614\d\d\d bytes in total; an archive may hold at most 500000/,
        'ZIP_BOMB',
        {
          ...DEFAULT_ZIP_LIMITS,
          maxTotal: 500_000,
        },
      );
    });

    it('accepts a legitimate 40 MB attachment', () => {
      let seed = 1;
      const data = Buffer.alloc(40 * 1024 * 1024);
      for (let i = 0; i < data.length; i += 4) {
        seed = (seed * 1664525 + 1013904223) >>> 0;
        data.writeUInt32LE(seed, i);
      }
      const z = writeZipDatto(entries({ name: 'setup.msi', data }), T, (d) =>
        deflateRawSync(d, { level: 1 }),
      );
      assert.equal(readCpt('ok.cpt', z).attachments[0]!.data.length, data.length);
    });
  });
});
