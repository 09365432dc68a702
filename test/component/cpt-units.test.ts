// Unit tests of lib/component/cpt.ts beyond the fixtures: verify's findings, entry order, reserved
// attachment names, timestamp precedence and the model comparison (written against mutation survivors).
import assert from 'node:assert/strict';
import {
  cptEntries,
  PINNED_TIMESTAMP,
  readCpt,
  resolveTimestamp,
  sameModel,
  verifyCpt,
  verifyCptDetailed,
  writeCpt,
} from '../../lib/component/cpt.js';
import { newComponent } from '../../lib/component/index.js';
import { InputError } from '../../lib/errors.js';
import { formatDosDateTime, readZip, writeZipDatto } from '../../lib/io/zip.js';

const T = { date: (44 << 9) | (3 << 5) | 5, time: 0 };
const base = () =>
  newComponent({ general: { name: 'n [WIN]', category: 'scripts', installType: 'batch' }, body: 'echo 1' });

describe('.cpt details', () => {
  it('verify names the entry, the first differing byte and both sizes when a rewrite differs', () => {
    // tab indentation is not a Datto layout: resource.xml is rewritten with spaces
    const xml =
      '<component info="CentraStage Component">\n\t<general>\n\t\t<name>n</name>\n\t</general>\n</component>';
    const z = writeZipDatto(
      [
        { name: 'command.bat', data: Buffer.from('x') },
        { name: 'resource.xml', data: Buffer.from(xml) },
      ],
      T,
    );
    const r = verifyCpt('t.cpt', z);
    assert.deepEqual(r.differences, [
      { entry: 'resource.xml', offset: 41, message: 'differs at byte 41 (93 bytes in, 97 out)' },
    ]);
    assert.equal(r.lossless, false);
    assert.equal(r.ok, false);
    assert.equal(r.containerIdentical, false);
    assert.equal(r.containerOffset, 136);
    assert.equal(r.dattoFingerprint, true);
    // a lossless rewrite of a zip not written by Datto's writer is ok without an identical container
    const stored = Buffer.from(writeCpt(base()));
    const other = readZip('x', stored).entries;
    const plain = Buffer.from(writeZipDatto(other, T, (d) => d));
    for (let p = plain.readUInt32LE(plain.length - 6), k = 0; k < other.length; k++) {
      plain.writeUInt16LE(0, plain.readUInt32LE(p + 42) + 8);
      plain.writeUInt16LE(0, p + 10);
      p += 46 + plain.readUInt16LE(p + 28);
    }
    const v = verifyCpt('plain.cpt', plain);
    assert.deepEqual(
      [v.lossless, v.dattoFingerprint, v.containerIdentical, v.ok],
      [true, false, false, true],
    );
    const same = verifyCpt('same.cpt', stored);
    assert.deepEqual(
      [same.lossless, same.containerIdentical, same.ok, 'containerOffset' in same],
      [true, true, true, false],
    );
  });

  it('refuses an attachment named like the body, resource.xml or the icon', () => {
    for (const name of ['command.bat', 'resource.xml', 'icon.png']) {
      const c = base();
      if (name === 'icon.png') c.icon = undefined;
      c.attachments = [{ name, data: Buffer.from('x') }];
      assert.throws(
        () => cptEntries(c),
        (e: unknown) =>
          e instanceof InputError &&
          e.message === `attachments/${name}: an attachment may not be named ${JSON.stringify(name)}`,
        name,
      );
    }
  });

  it('writes entries in the recorded order, dropping names it no longer has and adding new ones canonically', () => {
    const c = base();
    c.attachments = [
      { name: 'b.msi', data: Buffer.from('b') },
      { name: 'a.msi', data: Buffer.from('a') },
    ];
    assert.deepEqual(
      cptEntries(c).map((e) => e.name),
      ['command.bat', 'resource.xml', 'b.msi', 'a.msi'],
    );
    c.archive.order = ['a.msi', 'gone.txt', 'resource.xml', 'a.msi', 'command.bat'];
    assert.deepEqual(
      cptEntries(c).map((e) => e.name),
      ['a.msi', 'resource.xml', 'command.bat', 'b.msi'],
    );
    // read back, the order is recorded only when it is not the canonical one
    assert.deepEqual(readCpt('x', writeCpt(c)).archive.order, [
      'a.msi',
      'resource.xml',
      'command.bat',
      'b.msi',
    ]);
    c.archive.order = undefined;
    assert.equal(readCpt('x', writeCpt(c)).archive.order, undefined);
  });

  it('stamps the recorded timestamp, else SOURCE_DATE_EPOCH, else the pinned one', () => {
    const c = base();
    assert.equal(formatDosDateTime(resolveTimestamp(c)), PINNED_TIMESTAMP);
    assert.equal(
      formatDosDateTime(resolveTimestamp(c, { sourceDateEpoch: 86400 * 366 * 20 })),
      '1990-01-16T00:00:00',
    );
    c.archive.timestamp = '2001-02-03T04:05:06';
    assert.equal(formatDosDateTime(resolveTimestamp(c, { sourceDateEpoch: 0 })), '2001-02-03T04:05:06');
    assert.equal(readCpt('x', writeCpt(c)).archive.timestamp, '2001-02-03T04:05:06');
  });

  it('sameModel sees every difference: fields, body, icon, attachment names and bytes', () => {
    const a = base();
    const b = () => {
      const c = base();
      c.attachments = a.attachments.map((x) => ({ ...x }));
      return c;
    };
    a.attachments = [{ name: 'x.bin', data: Buffer.from('1') }];
    assert.equal(sameModel(a, b()), true);
    const changes: [string, (c: ReturnType<typeof base>) => void][] = [
      ['a general field', (c) => (c.general.version = '2')],
      ['the body', (c) => (c.body = Buffer.from('echo 2'))],
      ['an icon added', (c) => (c.icon = Buffer.from('i'))],
      ['an attachment removed', (c) => (c.attachments = [])],
      ['an attachment renamed', (c) => (c.attachments[0]!.name = 'y.bin')],
      ['an attachment changed', (c) => (c.attachments[0]!.data = Buffer.from('2'))],
      ['the layout', (c) => (c.xml.layout = 'legacy')],
      ['the archive order', (c) => (c.archive.order = ['command.bat'])],
      ['a variable', (c) => c.variables.push({ idx: 0, options: [] })],
      ['a post-condition', (c) => c.postConditions.push({ idx: 0 })],
    ];
    for (const [what, change] of changes) {
      const c = b();
      change(c);
      assert.equal(sameModel(a, c), false, what);
      assert.equal(sameModel(c, a), false, `${what} (the other way)`);
    }
    const withIcon = b();
    withIcon.icon = Buffer.from('i');
    const otherIcon = b();
    otherIcon.icon = Buffer.from('j');
    assert.equal(sameModel(withIcon, otherIcon), false);
  });

  it('refuses an archive without resource.xml or without command.bat, naming what is missing', () => {
    const only = (name: string) => writeZipDatto([{ name, data: Buffer.from('<component/>') }], T);
    assert.throws(
      () => readCpt('a.cpt', only('command.bat')),
      (e: unknown) =>
        e instanceof InputError &&
        e.code === 'NOT_A_COMPONENT' &&
        e.message === 'a.cpt: no resource.xml entry; a component archive holds command.bat and resource.xml',
    );
    assert.throws(
      () => readCpt('a.cpt', only('resource.xml')),
      (e: unknown) =>
        e instanceof InputError &&
        e.code === 'NOT_A_COMPONENT' &&
        e.message === 'a.cpt: no command.bat entry (the script body); a component archive needs one',
    );
  });
});

describe('verify reports each kind of loss (with a deliberately broken writer)', () => {
  const source = () => writeCpt(base());
  const rewrite =
    (change: (entries: { name: string; data: Uint8Array }[]) => { name: string; data: Uint8Array }[]) => () =>
      writeZipDatto(change(readZip('x', source()).entries), T);
  const check = (write: () => Uint8Array) => verifyCptDetailed('v.cpt', source(), undefined, write).result;

  it('an entry moved, added, missing, and a model that reads back differently', () => {
    const moved = check(rewrite((e) => [e[1]!, e[0]!]));
    assert.deepEqual(moved.differences, [
      { entry: 'command.bat', offset: -1, message: 'moved from position 1' },
      { entry: 'resource.xml', offset: -1, message: 'moved from position 2' },
      { entry: 'resource.xml', offset: -1, message: 'the component read back differs from the one read' },
    ]);
    const added = check(rewrite((e) => [...e, { name: 'new.txt', data: Buffer.from('n') }]));
    assert.deepEqual(added.differences, [
      { entry: 'new.txt', offset: -1, message: 'added by the rewrite' },
      { entry: 'resource.xml', offset: -1, message: 'the component read back differs from the one read' },
    ]);
    assert.equal(added.ok, false);
    const lost = verifyCptDetailed(
      'v.cpt',
      writeCpt({ ...base(), attachments: [{ name: 'a.msi', data: Buffer.from('a') }] }),
      undefined,
      () => source(),
    ).result;
    assert.deepEqual(lost.differences, [
      { entry: 'a.msi', offset: -1, message: 'missing from the rewritten archive' },
      { entry: 'resource.xml', offset: -1, message: 'the component read back differs from the one read' },
    ]);
    const body = check(rewrite((e) => [{ name: 'command.bat', data: Buffer.from('echo 2') }, e[1]!]));
    assert.deepEqual(body.differences, [
      { entry: 'command.bat', offset: 5, message: 'differs at byte 5 (6 bytes in, 6 out)' },
      { entry: 'resource.xml', offset: -1, message: 'the component read back differs from the one read' },
    ]);
    const first = check(rewrite((e) => [{ name: 'command.bat', data: Buffer.from('Echo 1') }, e[1]!]));
    assert.equal(first.differences[0]!.offset, 0);
  });

  it('a bad recorded timestamp names archive.timestamp', () => {
    const c = base();
    c.archive.timestamp = 'yesterday';
    assert.throws(
      () => writeCpt(c),
      (e: unknown) =>
        e instanceof InputError &&
        e.message.startsWith('archive.timestamp: timestamp "yesterday" is not a zip time'),
    );
  });
});
