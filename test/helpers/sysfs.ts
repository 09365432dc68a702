// Builds fake sysfs trees from JSON fixtures (test/fixtures/sysfs/*.json) in a temp directory.
// Shared by the TypeScript collector tests and the endpoint sh collector tests, so both see one tree.
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SysfsNic {
  name: string;
  address: string;
  /** ARPHRD type; 1 is Ethernet (Wi-Fi reports 1 too). */
  type?: number;
  /** Device path under /sys/devices; absent for virtual interfaces (no `device` link). */
  device?: string;
  /** Marks Wi-Fi with a `wireless` directory (most drivers). */
  wireless?: boolean;
  /** Marks Wi-Fi with a `phy80211` link only (some cfg80211 drivers). */
  phy80211?: boolean;
  /** The `device` link points nowhere (a driver unbound while we read). */
  dangling?: boolean;
  /** Exact bytes of the `type` file (crafted trees); default `${type}\n` as the kernel writes it. */
  typeRaw?: string;
  /** Exact bytes of the `address` file (crafted trees); default `${address}\n`. */
  addressRaw?: string;
}

export interface SysfsFixture {
  description: string;
  nics: SysfsNic[];
  /** DMI files; a missing key means the file does not exist. */
  dmi?: Partial<Record<'board_serial' | 'product_serial' | 'product_uuid', string>>;
  expect: {
    chosen: string | null;
    error: string | null;
    /** Serial source that wins, null when no ID results. */
    source: 'BB' | 'SYS' | 'UUID' | null;
    /** Every candidate, best first, when the fixture pins the whole ranking. */
    candidates?: string[];
    /** Canonical MAC of the chosen NIC, when the fixture pins which line of `address` is read. */
    mac?: string;
  };
}

export const SYSFS_FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'sysfs');

export function loadSysfsFixtures(): { name: string; fixture: SysfsFixture }[] {
  return readdirSync(SYSFS_FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      name: f.replace(/\.json$/, ''),
      fixture: JSON.parse(readFileSync(join(SYSFS_FIXTURE_DIR, f), 'utf8')),
    }));
}

/** Writes the fixture as a sysfs tree and returns its root (pass as sysRoot / DEVID_SYSFS). */
export function materializeSysfs(
  fixture: SysfsFixture,
  root = mkdtempSync(join(tmpdir(), 'rmmkit-sysfs-')),
): string {
  const net = join(root, 'class', 'net');
  mkdirSync(net, { recursive: true });
  // lo is always there and must always be skipped.
  for (const nic of [{ name: 'lo', address: '00:00:00:00:00:00', type: 772 } as SysfsNic, ...fixture.nics]) {
    const dir = join(net, nic.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'address'), nic.addressRaw ?? `${nic.address}\n`);
    writeFileSync(join(dir, 'type'), nic.typeRaw ?? `${nic.type ?? 1}\n`);
    if (nic.device) {
      const target = join(root, 'devices', nic.device);
      if (!nic.dangling) mkdirSync(target, { recursive: true });
      symlinkSync(relative(dir, target), join(dir, 'device'));
    }
    if (nic.wireless) mkdirSync(join(dir, 'wireless'));
    if (nic.phy80211) {
      const phy = join(root, 'devices', 'virtual', 'ieee80211', `phy-${nic.name}`);
      mkdirSync(phy, { recursive: true });
      symlinkSync(relative(dir, phy), join(dir, 'phy80211'));
    }
  }
  if (fixture.dmi) {
    const dmi = join(root, 'class', 'dmi', 'id');
    mkdirSync(dmi, { recursive: true });
    for (const [file, value] of Object.entries(fixture.dmi)) writeFileSync(join(dmi, file), `${value}\n`);
  }
  return root;
}

/** Runs `fn` on a materialized copy of fixture `name` (or a fixture object) and removes it afterwards. */
export async function withSysfs<T>(
  fixture: string | SysfsFixture,
  fn: (root: string, fixture: SysfsFixture) => Promise<T>,
): Promise<T> {
  const f =
    typeof fixture === 'string' ? loadSysfsFixtures().find((x) => x.name === fixture)?.fixture : fixture;
  if (!f) throw new Error(`no sysfs fixture named ${JSON.stringify(fixture)}`);
  const root = materializeSysfs(f);
  try {
    return await fn(root, f);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
