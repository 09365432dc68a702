// The Linux collector (lib/devid/collect-linux.ts) on a sysfs tree built here, file by file, so every
// rule of spec §6 (device link, type 1, not lo, /usb in the device path, wireless or phy80211) and
// every note the collector writes can be checked exactly.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectLinux, collectLinuxNics } from '../../lib/devid/collect-linux.js';

function nic(root: string, name: string, files: Record<string, string>, device?: string): void {
  const dir = join(root, 'class', 'net', name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    if (file.endsWith('/')) mkdirSync(join(dir, file), { recursive: true });
    else writeFileSync(join(dir, file), text);
  }
  if (device !== undefined) symlinkSync(device, join(dir, 'device'));
}

describe('collectLinux on a hand-built sysfs tree', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'rmmkit-sysfs-'));
    const pci = join(root, 'devices', 'pci0000:00', '0000:00:1f.6');
    const usb = join(root, 'devices', 'pci0000:00', 'usb1', '1-1');
    mkdirSync(pci, { recursive: true });
    mkdirSync(usb, { recursive: true });
    // Created in reverse name order, so that directory order and sorted order are unlikely to agree.
    nic(root, 'noaddr', { type: '1\n' }, pci);
    nic(root, 'ib0', { type: '32\n', address: '80:00:00:48:fe:80\n' }, pci);
    nic(root, 'docker0', { type: '1\n', address: '02:42:ac:11:00:02\n' });
    nic(root, 'zz9', { type: '1\n', address: '3c:ec:ef:00:00:09\n' }, pci);
    nic(root, 'lo', { type: '1\n', address: '3c:ec:ef:00:00:0a\n' }, pci);
    nic(root, 'eth0', { type: '1\n', address: '3c:ec:ef:12:34:56\n' }, pci);
    nic(root, 'usb0', { type: '1\n', address: '3c:ec:ef:00:00:01\n' }, usb);
    nic(root, 'wlan0', { type: '1\n', address: '3c:ec:ef:00:00:02\n', 'wireless/': '' }, pci);
    nic(root, 'wlp1', { type: '1\n', address: '3c:ec:ef:00:00:03\n', 'phy80211/': '' }, pci);
    nic(root, 'dangling', { type: '1\n', address: '3c:ec:ef:00:00:04\n' }, join(root, 'nowhere'));
    const dmi = join(root, 'class', 'dmi', 'id');
    mkdirSync(dmi, { recursive: true });
    writeFileSync(join(dmi, 'board_serial'), 'PF2ABCDE\n');
    writeFileSync(join(dmi, 'product_serial'), '');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('keeps type-1 adapters with a device link, except lo, and notes every skipped one in name order', async () => {
    const { nics, notes } = await collectLinuxNics({ sysRoot: root });
    assert.deepEqual(
      nics.map((n) => [n.name, n.mac, n.bus, n.wireless, n.order]),
      [
        ['dangling', '3c:ec:ef:00:00:04', 'internal', false, 'dangling'],
        ['eth0', '3c:ec:ef:12:34:56', 'internal', false, 'eth0'],
        ['usb0', '3c:ec:ef:00:00:01', 'external', false, 'usb0'],
        ['wlan0', '3c:ec:ef:00:00:02', 'internal', true, 'wlan0'],
        ['wlp1', '3c:ec:ef:00:00:03', 'internal', true, 'wlp1'],
        ['zz9', '3c:ec:ef:00:00:09', 'internal', false, 'zz9'],
      ],
    );
    assert.deepEqual(notes, [
      'docker0: virtual (no device link), skipped',
      'ib0: link type "32" is not exactly "1" (Ethernet), skipped',
      'noaddr: type or address unreadable, skipped',
    ]);
  });

  it('ranks wired internal first and reads the DMI serials present (spec §6.2)', async () => {
    const c = await collectLinux({ sysRoot: root });
    assert.equal(c.platform, 'linux');
    assert.equal(c.error, null);
    assert.deepEqual(
      c.nics.map((n) => n.name),
      ['dangling', 'eth0', 'zz9', 'wlan0', 'wlp1', 'usb0'],
    );
    // product_serial is empty (absent), product_uuid is missing.
    assert.deepEqual(c.serials, { BB: 'PF2ABCDE' });
    assert.deepEqual(c.notes.slice(3), [`${join(root, 'class', 'dmi', 'id', 'product_uuid')}: absent`]);
  });

  it('removes one final line feed of a DMI value, no other', async () => {
    const c = await collectLinux({
      sysRoot: root,
      readText: async (p) => (p.endsWith('board_serial') ? 'PF2\nABCDE\n' : readFile(p, 'utf8')),
    });
    assert.equal(c.serials.BB, 'PF2\nABCDE');
  });

  it('says NOT_ROOT on EPERM too, and names other read errors', async () => {
    const dmi = join(root, 'class', 'dmi', 'id');
    const c = await collectLinux({
      sysRoot: root,
      readText: async (p) => {
        if (p.endsWith('board_serial')) throw Object.assign(new Error('x'), { code: 'EPERM' });
        if (p.endsWith('product_serial')) throw Object.assign(new Error('x'), { code: 'EIO' });
        if (p.endsWith('product_uuid')) throw new Error('no code');
        return readFile(p, 'utf8');
      },
    });
    assert.equal(c.error, 'NOT_ROOT');
    assert.deepEqual(c.serials, {});
    assert.deepEqual(c.notes.slice(3), [
      `${join(dmi, 'board_serial')}: permission denied (run as root)`,
      `${join(dmi, 'product_serial')}: unreadable (EIO)`,
      `${join(dmi, 'product_uuid')}: unreadable (error)`,
    ]);
  });

  it('says so when class/dmi has no id folder', async () => {
    rmSync(join(root, 'class', 'dmi', 'id'), { recursive: true });
    const c = await collectLinux({ sysRoot: root });
    assert.equal(c.notes.at(-1), 'no DMI table (container or board without SMBIOS)');
  });

  it('reads /sys by default', async function () {
    if (!existsSync('/sys/class/net')) this.skip();
    const { notes } = await collectLinuxNics();
    assert.ok(!notes.some((n) => n.endsWith('is not readable')), notes.join('\n'));
    const c = await collectLinux();
    assert.ok(!c.notes.some((n) => n.startsWith('class/')), c.notes.join('\n'));
  });

  it('says so when there is no DMI table, and when class/net is unreadable', async () => {
    rmSync(join(root, 'class', 'dmi'), { recursive: true });
    const c = await collectLinux({ sysRoot: root });
    assert.equal(c.error, null);
    assert.equal(c.notes.at(-1), 'no DMI table (container or board without SMBIOS)');
    rmSync(join(root, 'class', 'net'), { recursive: true });
    assert.deepEqual(await collectLinuxNics({ sysRoot: root }), {
      nics: [],
      notes: [`${join(root, 'class', 'net')} is not readable`],
    });
  });
});
