// Linux collector for DEVID1 (spec §6): candidate NICs from sysfs, serials from DMI.
// The sysfs root is a parameter so tests run on fixture trees; reads are the only side effect.
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { rankNics } from './nics.js';
import type { NicRecord, RankedNic, SerialSource } from './types.js';

/** DMI files of the serial chain, in chain order. All three are readable by root only. */
export const LINUX_DMI_FILES: Readonly<Record<SerialSource, string>> = {
  BB: 'board_serial',
  SYS: 'product_serial',
  UUID: 'product_uuid',
};

export interface CollectOptions {
  /** Where sysfs is mounted; default `/sys`. */
  sysRoot?: string;
  /** File reader, injectable so tests can simulate an unprivileged run as root. */
  readText?: (path: string) => Promise<string>;
}

export interface CollectedInputs {
  platform: 'linux' | 'darwin' | 'win32';
  /** Every candidate adapter, best first; the first is hashed. */
  nics: RankedNic[];
  serials: Partial<Record<SerialSource, string>>;
  /** Set when the collector cannot do its job: NOT_ROOT when DMI serials are unreadable. */
  error: null | 'NOT_ROOT';
  /** Human notes: skipped adapters, unreadable files. */
  notes: string[];
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
    // Stryker disable next-line BlockStatement: an empty catch returns undefined, which callers read as false too
  } catch {
    return false;
  }
}

const defaultRead = (path: string): Promise<string> => readFile(path, 'utf8');

/**
 * The one reading of a sysfs attribute that the sh collector shares (docs/devid1.md, "Reading
 * sysfs"): the text before the first line feed, nothing trimmed. The kernel writes one value and
 * one LF; anything else (a leading blank line, spaces, CR) is not silently repaired.
 */
export function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return nl === -1 ? text : text.slice(0, nl);
}

/**
 * Candidate adapters of spec §6.1 (Linux): a `device` link, type 1, not `lo`. Every entry of
 * class/net counts, names with a leading dot included (Linux allows `.eth0`).
 */
export async function collectLinuxNics(
  options: CollectOptions = {},
): Promise<{ nics: NicRecord[]; notes: string[] }> {
  const root = options.sysRoot ?? '/sys';
  const read = options.readText ?? defaultRead;
  const netDir = join(root, 'class', 'net');
  const notes: string[] = [];
  let names: string[];
  try {
    names = await readdir(netDir);
  } catch {
    return { nics: [], notes: [`${netDir} is not readable`] };
  }
  const nics: NicRecord[] = [];
  // readdir lists hidden names too. Names are taken in byte order (the order of rankNics' tie-break),
  // not UTF-16 order, which differs for names beyond U+FFFF (a fake or odd sysfs can have them).
  // Stryker disable next-line MethodExpression,ArrowFunction,StringLiteral: Node's readdir (libuv scandir) already lists names in byte order; the sort keeps the notes in that order whatever lists them (and Buffer.from reads an empty encoding name as utf8)
  for (const name of names.sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')))) {
    if (name === 'lo') continue;
    const dir = join(netDir, name);
    if (!(await exists(join(dir, 'device')))) {
      notes.push(`${name}: virtual (no device link), skipped`);
      continue;
    }
    let type: string;
    let mac: string;
    try {
      type = firstLine(await read(join(dir, 'type')));
      mac = firstLine(await read(join(dir, 'address')));
    } catch {
      notes.push(`${name}: type or address unreadable, skipped`);
      continue;
    }
    if (type !== '1') {
      notes.push(`${name}: link type ${JSON.stringify(type)} is not exactly "1" (Ethernet), skipped`);
      continue;
    }
    // Stryker disable next-line StringLiteral: only read when realpath failed, and no placeholder text contains /usb
    let devicePath = '';
    try {
      devicePath = await realpath(join(dir, 'device'));
    } catch {
      // A dangling device link: treat the bus as internal rather than guess external.
    }
    const wireless = (await exists(join(dir, 'wireless'))) || (await exists(join(dir, 'phy80211')));
    nics.push({
      name,
      mac,
      bus: devicePath.includes('/usb') ? 'external' : 'internal',
      wireless,
      order: name,
    });
  }
  return { nics, notes };
}

/** Reads this Linux machine's DEVID1 inputs. A DMI file that exists but is unreadable means NOT_ROOT. */
export async function collectLinux(options: CollectOptions = {}): Promise<CollectedInputs> {
  const root = options.sysRoot ?? '/sys';
  const read = options.readText ?? defaultRead;
  const { nics, notes } = await collectLinuxNics(options);
  const serials: Partial<Record<SerialSource, string>> = {};
  let error: CollectedInputs['error'] = null;
  for (const [source, file] of Object.entries(LINUX_DMI_FILES) as [SerialSource, string][]) {
    const path = join(root, 'class', 'dmi', 'id', file);
    try {
      // A trailing newline is not part of the serial; canonicalisation would drop it anyway.
      const value = (await read(path)).replace(/\n$/, '');
      if (value !== '') serials[source] = value;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') {
        notes.push(`${path}: permission denied (run as root)`);
        error = 'NOT_ROOT';
      } else {
        notes.push(`${path}: ${code === 'ENOENT' ? 'absent' : `unreadable (${code ?? 'error'})`}`);
      }
    }
  }
  // Stat the DMI directory so a missing DMI (containers, some ARM boards) is said plainly.
  try {
    await stat(join(root, 'class', 'dmi', 'id'));
  } catch {
    notes.push('no DMI table (container or board without SMBIOS)');
  }
  return { platform: 'linux', nics: rankNics(nics), serials, error, notes };
}
