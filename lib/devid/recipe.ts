// The DEVID1 recipe as pure functions: canonical MAC, canonical serial, junk test, source chain,
// salt, canonical string and ID (docs/devid1.md §1–§3). Hot path: no exceptions, no I/O.
import { hash } from 'node:crypto';
import type { DeviceIdInput, DeviceIdResult, SerialSource, SourceTrace } from './types.js';

/** The recipe tag that starts every canonical string. */
export const RECIPE = 'DEVID1';

/** Serial sources in chain order (spec §2). macOS collectors start at SYS by leaving BB absent. */
export const SOURCE_CHAIN: readonly SerialSource[] = ['BB', 'SYS', 'UUID'];

/** Junk serials of every source, canonical form. Frozen for DEVID1: changing it changes IDs. */
export const JUNK_SERIALS: ReadonlySet<string> = new Set(
  `TOBEFILLEDBYOEM DEFAULTSTRING DEFAULT NONE NOTAPPLICABLE NOTSPECIFIED NOTAVAILABLE
  UNKNOWN UNKNOW INVALID EMPTY NULL NULLSTRING SYSTEMSERIALNUMBER SYSTEMSERIALNUMB
  SERIALNUMBER SERIALNUMBERXXXXXX BASEBOARDSERIALNUMBER CHASSISSERIALNUMBER OEMSERIAL
  OEMNOTSPECIFY EVAL IATPASS TULIPCOMPUTERS 0123456789 12345 123456 1234567 12345678
  123456789 1234567890 123456789000 12345678901234567 SYS1234567890 SYS9876543210
  SN12345 SN1234567890 SN123456FVGV3I0B8O5N6N7K MB1234567890`.split(/\s+/),
);

/** Junk values of the UUID source only, canonical form. Frozen for DEVID1. */
export const JUNK_UUIDS: ReadonlySet<string> = new Set(
  `03000200040005000006000700080009 030201000504070608090A0B0C0D0E0F
  10000000000080000040000000000000 6AB5B300538D10149FB5B0684D007B53
  01010101010101010101010101010101 02000100030004000005000600070008
  FEFEFEFEFEFEFEFEFEFEFEFEFEFEFEFE`.split(/\s+/),
);

// Character tables instead of regular expressions: this is the hot path of fleet-wide hashing,
// and a char-code loop is several times faster than String.prototype.replace here. Both tables
// are pure ASCII, which also sidesteps the Kelvin-sign trap of /[a-z]/iu (spec §5).
/** Hex digit value of an ASCII code, -1 for anything else. */
const HEX_VALUE = new Int8Array(128).fill(-1);
/** 0 = delete, 1 = keep as is (0-9 A-Z), 2 = keep upper-cased (a-z). */
const SERIAL_CLASS = new Uint8Array(128);
for (let c = 0; c < 10; c++) {
  HEX_VALUE[0x30 + c] = c;
  SERIAL_CLASS[0x30 + c] = 1;
}
for (let c = 0; c < 26; c++) {
  SERIAL_CLASS[0x41 + c] = 1;
  SERIAL_CLASS[0x61 + c] = 2;
  if (c < 6) {
    HEX_VALUE[0x41 + c] = 10 + c;
    HEX_VALUE[0x61 + c] = 10 + c;
  }
}
/** Char code of the upper-case hex digit of each value 0–15. */
const HEX_UPPER = Uint8Array.from('0123456789ABCDEF', (ch) => ch.charCodeAt(0));
/** Scratch space of canonicalMac; safe because the function never yields mid-way. */
const MAC_DIGITS = new Uint8Array(12);
const CONTROL = /[\x00-\x1f\x7f]/;
/** In `u` mode a surrogate pair is one code point, so this matches only a lone (ill-formed) surrogate. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Canonical MAC (spec §2): hex digits only, upper case, exactly 12, not all 0 or F, not multicast.
 * Returns null when the MAC is not usable (the caller reports NO_NIC).
 */
export function canonicalMac(raw: string | null | undefined): string | null {
  if (!raw) return null;
  // Twelve digit codes in locals, then one String.fromCharCode: a single allocation per MAC.
  const d = MAC_DIGITS;
  let n = 0;
  let or = 0;
  let and = 15;
  // Stryker disable next-line EqualityOperator: past the end charCodeAt is NaN, which is no hex digit
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    const v = c < 128 ? (HEX_VALUE[c] as number) : -1;
    if (v < 0) continue;
    // Stryker disable next-line ConditionalExpression: without it a 13th digit is dropped by the Uint8Array and n !== 12 below still returns null
    if (n === 12) return null;
    d[n++] = v;
    or |= v;
    and &= v;
  }
  // Stryker disable next-line ConditionalExpression: all-F is also multicast (bit 0 of FF), so the multicast test below returns null for it too
  if (n !== 12 || or === 0 || and === 15) return null;
  // Bit 0 of the first octet (the second hex digit) is the multicast bit.
  if ((d[1] as number) & 1) return null;
  const u = HEX_UPPER;
  return String.fromCharCode(
    u[d[0] as number] as number,
    u[d[1] as number] as number,
    u[d[2] as number] as number,
    u[d[3] as number] as number,
    u[d[4] as number] as number,
    u[d[5] as number] as number,
    u[d[6] as number] as number,
    u[d[7] as number] as number,
    u[d[8] as number] as number,
    u[d[9] as number] as number,
    u[d[10] as number] as number,
    u[d[11] as number] as number,
  );
}

/** True when a canonical MAC is locally administered (bit 1 of the first octet). */
export function isLocallyAdministered(mac12: string): boolean {
  return (parseInt(mac12[1] as string, 16) & 2) !== 0;
}

/**
 * Canonical serial (spec §2): delete everything outside [0-9A-Za-z], then upper-case.
 * Deleting first matters: only ASCII survives, so no ß → SS or ı → I can happen.
 */
export function canonicalSerial(raw: string | null | undefined): string {
  if (!raw) return '';
  // Fast path: most serials are already canonical; return them without allocating.
  // Stryker disable all: the fast path and the c >= 128 guard are optimisations; the general loop
  // below gives the same result from any i (charCodeAt past the end is NaN, a class of none).
  let i = 0;
  for (; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 128 || SERIAL_CLASS[c] !== 1) break;
  }
  if (i === raw.length) return raw;
  let out = raw.slice(0, i);
  for (; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 128) continue;
    // Stryker restore all
    const k = SERIAL_CLASS[c];
    if (k === 1) out += raw[i];
    else if (k === 2) out += String.fromCharCode(c - 32);
  }
  return out;
}

/** Why a canonical serial is junk for `source`, or null when it is usable. */
export function junkReason(s: string, source: SerialSource): SourceTrace['rejected'] {
  if (s.length < 4) return s.length === 0 ? 'absent' : 'too-short';
  const first = s.charCodeAt(0);
  let repeated = true;
  for (let i = 1; i < s.length; i++) {
    if (s.charCodeAt(i) !== first) {
      repeated = false;
      break;
    }
  }
  if (repeated) return 'repeated-character';
  if (JUNK_SERIALS.has(s)) return 'junk-list';
  if (source === 'UUID' && JUNK_UUIDS.has(s)) return 'junk-uuid';
  return null;
}

/** True when a canonical serial must not be used for `source`. */
export function isJunkSerial(s: string, source: SerialSource): boolean {
  return junkReason(s, source) !== null;
}

/** Every source of the chain with its canonical form and why it was skipped, for diagnostics. */
export function traceSources(serials: DeviceIdInput['serials']): SourceTrace[] {
  return SOURCE_CHAIN.map((source) => {
    const raw = serials?.[source] || null;
    const canonical = raw === null ? null : canonicalSerial(raw);
    const rejected = raw === null ? 'absent' : junkReason(canonical as string, source);
    return { source, raw, canonical, rejected };
  });
}

/** Trims space (0x20) and tab (0x09) only: String.prototype.trim() would also eat NBSP and BOM. */
export function trimSalt(raw: string): string {
  let start = 0;
  let end = raw.length;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: past the end charCodeAt is NaN, which stops the loop at the same place
  while (start < end && (raw.charCodeAt(start) === 0x20 || raw.charCodeAt(start) === 0x09)) start++;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: on an all-blank salt end may pass start, and slice(start, end) is '' either way
  while (end > start && (raw.charCodeAt(end - 1) === 0x20 || raw.charCodeAt(end - 1) === 0x09)) end--;
  return raw.slice(start, end);
}

// Salts are few per fleet (one account, a few hundred sites), so their hashes are cached;
// the cap keeps memory bounded when every input carries a different salt.
const SALT_CACHE_MAX = 4096;
const saltCache = new Map<string, string | null>();

/**
 * Empties the salt cache. For tests only: a mutation-testing run reuses one process for many
 * variants of this code, and a cached result would hide the variant that computed it.
 */
// Stryker disable next-line BlockStatement: called only from the mutation-run test hook; a cache never changes a result
export function clearSaltCache(): void {
  saltCache.clear();
}

/**
 * SALTHEX of spec §2: '' for no salt, the lower-case hex SHA-256 of the trimmed salt's UTF-8 bytes,
 * or null when a control character remains after trimming or the salt is not well-formed Unicode
 * (a lone surrogate): BAD_SALT. A lossy decode is never hashed.
 */
export function saltHex(raw: string | null | undefined): string | null {
  if (!raw) return '';
  const cached = saltCache.get(raw);
  // Stryker disable next-line ConditionalExpression: `false` (never read the cache) only costs time; `true` (the same mutator) fails every salted test
  if (cached !== undefined) return cached;
  const trimmed = trimSalt(raw);
  let result: string | null;
  if (trimmed === '') result = '';
  else if (CONTROL.test(trimmed) || LONE_SURROGATE.test(trimmed)) result = null;
  else result = hash('sha256', trimmed, 'hex');
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the cap bounds memory only; clearing sooner, later or always gives the same results
  if (saltCache.size >= SALT_CACHE_MAX) saltCache.clear();
  saltCache.set(raw, result);
  return result;
}

/** The canonical string `DEVID1|MAC12|SRC:S|SALTHEX`. Inputs must already be canonical. */
export function canonicalString(
  mac12: string,
  source: SerialSource,
  serial: string,
  salthex: string,
): string {
  return `${RECIPE}|${mac12}|${source}:${serial}|${salthex}`;
}

/**
 * The device ID of one device, or the error code that keeps it from having one.
 * Errors are checked in the order NO_NIC, NO_HW_ID, BAD_SALT; the endpoint scripts use the same order.
 */
export function deviceId(input: DeviceIdInput): DeviceIdResult {
  return idOf(input.mac, chooseSerial(input.serials), saltHex(input.salt));
}

/**
 * The ID of one canonical MAC with a chosen serial and the salt's hash: deviceId's last step, for a
 * caller that worked its inputs out once for many MACs (fleet validation hashes every NIC of every
 * audited device). Nothing is checked again: `mac12` is a canonicalMac result, `serial` a
 * usableSerial result for `source`, `salthex` a saltHex result that is not null.
 */
export function idOfCanonical(mac12: string, source: SerialSource, serial: string, salthex: string): string {
  return hash('sha256', canonicalString(mac12, source, serial, salthex), 'hex');
}

/** The ID of one MAC given the chosen serial and the salt's hash, or the first error that applies. */
function idOf(
  rawMac: string | null | undefined,
  chosen: { source: SerialSource; serial: string } | null,
  salthex: string | null,
): DeviceIdResult {
  const mac = canonicalMac(rawMac);
  if (mac === null) return { error: 'NO_NIC' };
  if (chosen === null) return { error: 'NO_HW_ID' };
  if (salthex === null) return { error: 'BAD_SALT' };
  const canonical = canonicalString(mac, chosen.source, chosen.serial, salthex);
  return { id: hash('sha256', canonical, 'hex'), source: chosen.source, canonical };
}

/** The first usable serial of the chain BB, SYS, UUID, with its source; null when none is. */
function chooseSerial(serials: DeviceIdInput['serials']): { source: SerialSource; serial: string } | null {
  // Named loads (not a loop over SOURCE_CHAIN with serials[key]): this runs once per device.
  if (!serials) return null;
  // Stryker disable next-line StringLiteral: junkReason compares the source with 'UUID' only
  let serial = usableSerial(serials.BB, 'BB');
  if (serial !== null) return { source: 'BB', serial };
  // Stryker disable next-line StringLiteral: junkReason compares the source with 'UUID' only
  serial = usableSerial(serials.SYS, 'SYS');
  if (serial !== null) return { source: 'SYS', serial };
  serial = usableSerial(serials.UUID, 'UUID');
  return serial === null ? null : { source: 'UUID', serial };
}

/** The canonical serial of `raw` when it is present and not junk for `source`, else null. */
export function usableSerial(raw: string | null | undefined, source: SerialSource): string | null {
  // Stryker disable next-line ConditionalExpression: canonicalSerial gives '' for a missing serial, which junkReason calls absent
  if (!raw) return null;
  const s = canonicalSerial(raw);
  return junkReason(s, source) === null ? s : null;
}

/** True when `value` is a DEVID1 ID: 64 lower-case hex digits. */
export function isDeviceId(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}
