// ZIP container read/write for `.cpt` archives: a hand-written writer that reproduces Datto's
// (Java ZipOutputStream) fingerprint byte for byte, and a defensive reader for any ordinary zip.
import { crc32, inflateRawSync } from 'node:zlib';
import pako from 'pako';
import { InputError } from '../errors.js';

/** One file of an archive, in archive order. */
export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

/** What the reader saw of the container, beyond the entries' content. */
export interface ZipEntryInfo {
  name: string;
  method: number;
  flags: number;
  versionMadeBy: number;
  versionNeeded: number;
  dosTime: number;
  dosDate: number;
  crc: number;
  compressedSize: number;
  size: number;
  externalAttrs: number;
  hasExtra: boolean;
  hasComment: boolean;
  localHeaderOffset: number;
}

export interface ReadZip {
  entries: ZipEntry[];
  info: ZipEntryInfo[];
  /** True when every entry carries Datto's writer fingerprint (see the spec §1) and one timestamp. */
  dattoFingerprint: boolean;
  /** The DOS date/time of the first entry, or undefined for an empty archive. */
  dosDateTime?: { date: number; time: number };
}

/** Limits against zip bombs; attachments of tens of MB are legitimate. */
export interface ZipLimits {
  maxTotal: number;
  maxEntries: number;
  /** Above `ratioFloor` bytes of output, an entry's output may not exceed `maxRatio` × its compressed size. */
  maxRatio: number;
  ratioFloor: number;
  /**
   * The same for the archive as a whole: above `archiveRatioFloor` bytes of output in total, the
   * output may not exceed `maxArchiveRatio` × the archive's size. Many entries each just under the
   * per-entry ratio (500 × 1 MiB of zeros in a 559 KB archive) are a bomb too.
   */
  maxArchiveRatio: number;
  archiveRatioFloor: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxTotal: 512 * 1024 * 1024,
  maxEntries: 10_000,
  maxRatio: 1000,
  ratioFloor: 1024 * 1024,
  // Installers and scripts compress 1-10x; 100x over 64 MiB of output is far beyond either.
  maxArchiveRatio: 100,
  archiveRatioFloor: 64 * 1024 * 1024,
};

/** An entry name's limit in UTF-8 bytes: what the common file systems allow for one name. */
export const MAX_ENTRY_NAME_BYTES = 255;

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_DESCRIPTOR = 0x08074b50;
/** Data descriptor follows + names are UTF-8: what Datto's writer sets. */
export const DATTO_FLAGS = 0x0808;

/** Checks one entry name: flat, relative, no traversal, no backslash, no control characters. */
export function checkEntryName(input: string, name: string): void {
  const bad = (why: string) =>
    new InputError(input, `unsafe entry name ${JSON.stringify(name)}: ${why}`, { code: 'UNSAFE_ENTRY' });
  if (name === '') throw bad('empty name');
  const bytes = Buffer.byteLength(name);
  if (bytes > MAX_ENTRY_NAME_BYTES)
    throw bad(
      `${bytes} bytes long; file systems allow at most ${MAX_ENTRY_NAME_BYTES} bytes in one name (shorten it)`,
    );
  if (name.includes('\\')) throw bad('backslashes are not allowed (use flat names such as "setup.msi")');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw bad('absolute paths are not allowed');
  if (name.split('/').some((s) => s === '..' || s === '.'))
    throw bad('"." and ".." segments are not allowed');
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) throw bad('control characters are not allowed');
  if (name.includes('/')) throw bad('a component archive is flat: entries live at the root, without folders');
  // Datto runs components on Windows: a name Windows cannot create, or reads as something else, is refused.
  if (name.includes(':'))
    throw bad('":" is not allowed (Windows reads it as a drive or an alternate data stream)');
  if (/[<>"|?*]/.test(name)) throw bad('the characters < > : " | ? * are not allowed in Windows file names');
  if (/[. ]$/.test(name)) throw bad('a trailing dot or space is not allowed (Windows drops it)');
  if (/^(con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])(\.|$)/i.test(name))
    throw bad(
      'a Windows device name (CON, PRN, AUX, NUL, COM1-9, LPT1-9) is not allowed, with any extension',
    );
}

/** The key under which two names collide on Windows or macOS: case-insensitive and NFC-normalised. */
export const collisionKey = (name: string) => name.normalize('NFC').toLowerCase();

/** Reads a zip from memory through its central directory; never trusts a size it has not checked. */
export function readZip(
  input: string,
  buf: Uint8Array,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
  /** Checks an entry name (throws when unsafe); default checkEntryName (flat names only). */
  checkName: (input: string, name: string) => void = checkEntryName,
): ReadZip {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const fail = (msg: string, code = 'BAD_ZIP') => new InputError(input, msg, { code });
  if (b.length < 22) throw fail(`not a zip archive (${b.length} bytes, truncated or empty)`);
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) {
    if (b.readUInt32LE(i) === SIG_EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw fail('not a zip archive or truncated: no end-of-central-directory record');
  const count = b.readUInt16LE(eocd + 10);
  const cdSize = b.readUInt32LE(eocd + 12);
  const cdOffset = b.readUInt32LE(eocd + 16);
  if (b.readUInt16LE(eocd + 4) !== 0 || b.readUInt16LE(eocd + 8) !== count)
    throw fail('multi-disk archives are not supported');
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff)
    throw fail('ZIP64 archives are not supported');
  if (count > limits.maxEntries) throw fail(`too many entries (${count}; at most ${limits.maxEntries})`);
  if (cdOffset + cdSize > eocd)
    throw fail(`truncated: the central directory (offset ${cdOffset}, ${cdSize} bytes) runs past its end`);
  const info: ZipEntryInfo[] = [];
  /** Where each entry's data starts (after its local header). */
  const dataStart: number[] = [];
  const seen = new Set<string>();
  const folded = new Map<string, string>();
  let p = cdOffset;
  // Pass 1: the central directory and the local headers, every check that costs no inflating.
  for (let n = 0; n < count; n++) {
    if (p + 46 > eocd || b.readUInt32LE(p) !== SIG_CENTRAL)
      throw fail(`truncated or corrupt central directory at offset ${p} (entry ${n + 1} of ${count})`);
    const flags = b.readUInt16LE(p + 8);
    const nameLen = b.readUInt16LE(p + 28);
    const extraLen = b.readUInt16LE(p + 30);
    const commentLen = b.readUInt16LE(p + 32);
    // The name, extra field and comment belong to this record: they may not run into the end record.
    if (p + 46 + nameLen + extraLen + commentLen > eocd)
      throw fail(
        `truncated or corrupt central directory at offset ${p} (entry ${n + 1} of ${count}): its name, extra field and comment run past the directory`,
      );
    const nameBytes = b.subarray(p + 46, p + 46 + nameLen);
    let name: string;
    try {
      name = new TextDecoder('utf-8', { fatal: true }).decode(nameBytes);
    } catch {
      throw fail(
        `entry ${n + 1} has a name that is not valid UTF-8 (bytes ${Buffer.from(nameBytes).toString('hex')}; written by a zip tool using the legacy CP437 code page? Re-create the archive with UTF-8 names)`,
      );
    }
    const e: ZipEntryInfo = {
      name,
      flags,
      versionMadeBy: b.readUInt16LE(p + 4),
      versionNeeded: b.readUInt16LE(p + 6),
      method: b.readUInt16LE(p + 10),
      dosTime: b.readUInt16LE(p + 12),
      dosDate: b.readUInt16LE(p + 14),
      crc: b.readUInt32LE(p + 16),
      compressedSize: b.readUInt32LE(p + 20),
      size: b.readUInt32LE(p + 24),
      externalAttrs: b.readUInt32LE(p + 38),
      localHeaderOffset: b.readUInt32LE(p + 42),
      hasExtra: extraLen > 0,
      hasComment: commentLen > 0,
    };
    if (e.compressedSize === 0xffffffff || e.size === 0xffffffff || e.localHeaderOffset === 0xffffffff)
      throw fail(`entry ${n + 1} uses ZIP64 sizes or offsets; ZIP64 archives are not supported`);
    p += 46 + nameLen + extraLen + commentLen;
    // Directory entries of third-party zips carry nothing a component needs.
    if (name.endsWith('/') && e.size === 0 && !name.slice(0, -1).includes('/')) {
      checkName(input, name.slice(0, -1));
      continue;
    }
    checkName(input, name);
    const where = `"${input}!${name}"`;
    if (seen.has(name)) throw fail(`duplicate entry ${JSON.stringify(name)}: each name may appear once`);
    const other = folded.get(collisionKey(name));
    if (other !== undefined)
      throw fail(
        `entries ${JSON.stringify(other)} and ${JSON.stringify(name)} collide: Windows and macOS treat names that differ only in case or Unicode normalisation as one file`,
      );
    seen.add(name);
    folded.set(collisionKey(name), name);
    if (flags & 1) throw fail(`${where} is encrypted; encrypted entries are not supported`);
    if (e.method !== 0 && e.method !== 8)
      throw fail(
        `${where} uses compression method ${e.method}; only stored (0) and deflate (8) are supported`,
      );
    const lh = e.localHeaderOffset;
    if (lh + 30 > cdOffset || b.readUInt32LE(lh) !== SIG_LOCAL)
      throw fail(`${where}: no local header at offset ${lh} (truncated or corrupt archive)`);
    const lNameLen = b.readUInt16LE(lh + 26);
    const lExtraLen = b.readUInt16LE(lh + 28);
    if (!b.subarray(lh + 30, lh + 30 + lNameLen).equals(nameBytes))
      throw fail(`${where}: the local header names a different entry`);
    if (b.readUInt16LE(lh + 8) !== e.method)
      throw fail(
        `${where}: the local header says compression method ${b.readUInt16LE(lh + 8)}, the central directory ${e.method} (corrupt or crafted archive)`,
      );
    const start = lh + 30 + lNameLen + lExtraLen;
    if (start + e.compressedSize > cdOffset)
      throw fail(`${where}: data runs past the end of the archive (truncated)`);
    if (e.method === 0 && e.compressedSize !== e.size)
      throw fail(`${where}: stored entry with differing sizes`);
    if (e.size > limits.ratioFloor && e.size > limits.maxRatio * e.compressedSize)
      throw fail(
        `${where} declares a compression ratio above ${limits.maxRatio}:1 (${e.size} from ${e.compressedSize} bytes; zip bomb?)`,
        'ZIP_BOMB',
      );
    info.push(e);
    dataStart.push(start);
  }
  // Each entry owns its bytes, local header to end of data: entries sharing bytes (480 entries over
  // one 1 MiB region) would multiply the output without a byte of compression.
  const spans = info.map((e, k) => ({ k, from: e.localHeaderOffset, to: dataStart[k]! + e.compressedSize }));
  spans.sort((x, y) => x.from - y.from);
  for (let k = 1; k < spans.length; k++) {
    const prev = spans[k - 1]!;
    const cur = spans[k]!;
    if (cur.from < prev.to)
      throw fail(
        `entries ${JSON.stringify(info[prev.k]!.name)} and ${JSON.stringify(info[cur.k]!.name)} overlap (bytes ${cur.from}..${prev.to - 1} belong to both); a crafted archive?`,
        'ZIP_BOMB',
      );
  }
  // The whole archive's declared output against the caps, before inflating anything.
  const archiveCap = Math.min(
    limits.maxTotal,
    Math.max(limits.archiveRatioFloor, limits.maxArchiveRatio * b.length),
  );
  let declared = 0;
  for (const e of info) declared += e.size;
  if (declared > limits.maxTotal)
    throw fail(
      `the entries declare ${declared} bytes in total; an archive may hold at most ${limits.maxTotal} (zip bomb?)`,
      'ZIP_BOMB',
    );
  if (declared > archiveCap)
    throw fail(
      `the entries declare ${declared} bytes from a ${b.length}-byte archive, a ratio above ${limits.maxArchiveRatio}:1 for the archive as a whole (zip bomb?)`,
      'ZIP_BOMB',
    );
  // Pass 2: inflate. The declared sizes met every cap above, so each inflate stops one byte past
  // its declared size (maxOutputLength): an entry that lies about its size never inflates further.
  const entries: ZipEntry[] = [];
  info.forEach((e, k) => {
    const where = `"${input}!${e.name}"`;
    const raw = b.subarray(dataStart[k]!, dataStart[k]! + e.compressedSize);
    let data: Uint8Array;
    if (e.method === 0) data = raw;
    else {
      try {
        data = inflateRawSync(raw, { maxOutputLength: e.size + 1 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
          throw fail(`${where} inflates past its declared size (zip bomb?)`, 'ZIP_BOMB');
        throw fail(`${where}: corrupt deflate data (${(err as Error).message})`);
      }
    }
    if (data.length !== e.size)
      throw fail(`${where}: inflated to ${data.length} bytes, the directory says ${e.size}`);
    if (crc32(data) >>> 0 !== e.crc) throw fail(`${where}: CRC mismatch (corrupt archive)`);
    entries.push({ name: e.name, data });
  });
  const first = info[0];
  const dattoFingerprint =
    info.length > 0 &&
    info.every(
      (e) =>
        e.method === 8 &&
        e.flags === DATTO_FLAGS &&
        e.versionMadeBy === 20 &&
        e.versionNeeded === 20 &&
        !e.hasExtra &&
        !e.hasComment &&
        e.externalAttrs === 0 &&
        // Stryker disable next-line OptionalChaining: first exists whenever every() runs (info is not empty)
        e.dosTime === first?.dosTime &&
        // Stryker disable next-line OptionalChaining: as above
        e.dosDate === first?.dosDate,
    );
  return {
    entries,
    info,
    dattoFingerprint,
    dosDateTime: first ? { date: first.dosDate, time: first.dosTime } : undefined,
  };
}

/** Deflates like Datto's server (zlib level 6, raw, window 15, memLevel 8); pako reproduces its bytes. */
export function deflateDatto(data: Uint8Array): Uint8Array {
  // chunkSize only sizes pako's output buffers (the stream is the same); one buffer near the
  // input's size saves the chunk copies, about 10 % on large entries.
  // Stryker disable next-line all: buffer sizing only; the compressed bytes are the same for any chunk size
  const chunkSize = Math.min(1 << 20, Math.max(1024, data.length + 1024));
  const d = new pako.Deflate({ level: 6, windowBits: 15, memLevel: 8, raw: true, chunkSize });
  d.push(data, true);
  // Stryker disable next-line all: unreachable guard; pako reports no error deflating a byte array in one push
  if (d.err) throw new Error(`deflate failed: ${d.msg}`);
  return d.result;
}

/** Writes entries with Datto's fingerprint: deflate, flags 0x0808, data descriptors, one DOS time. */
export function writeZipDatto(
  entries: readonly ZipEntry[],
  dos: { date: number; time: number },
  deflate: (d: Uint8Array) => Uint8Array = deflateDatto,
): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const comp = deflate(entry.data);
    const crc = crc32(entry.data) >>> 0;
    const local = Buffer.alloc(30 + name.length);
    local.writeUInt32LE(SIG_LOCAL, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(DATTO_FLAGS, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(dos.time, 10);
    local.writeUInt16LE(dos.date, 12);
    // CRC and sizes stay zero here; the data descriptor carries them (as Java's writer does).
    local.writeUInt16LE(name.length, 26);
    name.copy(local, 30);
    const desc = Buffer.alloc(16);
    desc.writeUInt32LE(SIG_DESCRIPTOR, 0);
    desc.writeUInt32LE(crc, 4);
    desc.writeUInt32LE(comp.length, 8);
    desc.writeUInt32LE(entry.data.length, 12);
    const c = Buffer.alloc(46 + name.length);
    c.writeUInt32LE(SIG_CENTRAL, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(DATTO_FLAGS, 8);
    c.writeUInt16LE(8, 10);
    c.writeUInt16LE(dos.time, 12);
    c.writeUInt16LE(dos.date, 14);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(comp.length, 20);
    c.writeUInt32LE(entry.data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    name.copy(c, 46);
    central.push(c);
    parts.push(local, comp, desc);
    offset += local.length + comp.length + desc.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(SIG_EOCD, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}

/** DOS date/time <-> "YYYY-MM-DDTHH:MM:SS" (the zip's local wall clock; no zone). */
export function formatDosDateTime(d: { date: number; time: number }): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const y = 1980 + (d.date >> 9);
  const mo = (d.date >> 5) & 15;
  const da = d.date & 31;
  const h = d.time >> 11;
  const mi = (d.time >> 5) & 63;
  const s = (d.time & 31) * 2;
  return `${pad(y, 4)}-${pad(mo)}-${pad(da)}T${pad(h)}:${pad(mi)}:${pad(s)}`;
}

export function parseDosDateTime(input: string, text: string): { date: number; time: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(text);
  const bad = () =>
    new InputError(
      input,
      `timestamp ${JSON.stringify(text)} is not a zip time: write YYYY-MM-DDTHH:MM:SS between 1980 and 2107, even seconds`,
    );
  if (!m) throw bad();
  const [y, mo, da, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (y < 1980 || y > 2107 || mo > 15 || da > 31 || h > 31 || mi > 63 || s > 62 || s % 2) throw bad();
  return { date: ((y - 1980) << 9) | (mo << 5) | da, time: (h << 11) | (mi << 5) | (s / 2) };
}

/** The DOS time of a Unix epoch second, read as UTC (what SOURCE_DATE_EPOCH means), clamped to 1980..2107. */
export function dosFromEpoch(seconds: number): { date: number; time: number } {
  const min = Date.UTC(1980, 0, 1) / 1000;
  const max = Date.UTC(2107, 11, 31, 23, 59, 58) / 1000;
  const d = new Date(Math.min(max, Math.max(min, seconds)) * 1000);
  return {
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
  };
}
