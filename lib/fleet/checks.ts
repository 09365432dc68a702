// The per-device checks: is the value in the slot ours, is it a sound link, does its ID have the
// recipe's shape, and (with audit data) does the ID recompute. Each problem is a coded finding.
import { canonicalMac, idOfCanonical, saltHex, usableSerial } from '../devid/recipe.js';
import {
  type Recipe,
  type RecipeOk,
  type RecipeResult,
  recipeDeviceId,
  type SerialPart,
} from '../devid/recipes.js';
import type { SerialSource } from '../devid/types.js';
import { memo } from './memo.js';
import { isLinkFor } from './profile.js';
import type { Finding, FleetAudit, FleetDevice, FleetProfile } from './types.js';

const CONTROL = /[\x00-\x1f\x7f]/;
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;
const ENCODED_CONTROL = /%(?:[01][0-9A-Fa-f]|7[Ff])/;

/** The part of a link after its origin (`/console/device?id=`), from the template's prefix. */
function afterOrigin(prefix: string): string {
  // Stryker disable next-line Regex: a prefix starts with its scheme (the profile requires https:), so the match is at 0 anchored or not
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/.exec(prefix);
  return m ? prefix.slice(m[0].length) : prefix;
}

function show(value: string, max = 80): string {
  const s = JSON.stringify(value);
  return s.length > max ? `${s.slice(0, max - 1)}…"` : s;
}

/** Does a value look like it was meant to be our link (so link checks apply), or is it someone else's? */
function looksOurs(profile: FleetProfile, value: string, url: URL | null): boolean {
  // Stryker disable next-line ConditionalExpression,MethodExpression: a shortcut: such a value contains the prefix's path, or its host (one of hosts: the profile checks it), which the tests below find; true makes every value ours, which the foreign-value tests catch
  if (value.startsWith(profile.prefix)) return true;
  const path = afterOrigin(profile.prefix);
  if (path.length > 1 && value.includes(path)) return true;
  if (url && profile.hosts.includes(url.host)) return true;
  const lower = value.toLowerCase();
  return profile.hosts.some((h) => lower.includes(h));
}

export interface ValueCheck {
  findings: Finding[];
  /** The ID in the link when it has the recipe's shape; null otherwise. */
  id: string | null;
  /** false when the slot holds someone else's value (udf-foreign) or nothing. */
  ours: boolean;
  /** true when the value is exactly the template's link for `id` (prefix + id + suffix); absent when there is no ID. */
  exact?: boolean;
}

/** Characters URL parsing never rewrites or gives meaning to, in any part of a link. */
const INERT_ID = /^[A-Za-z0-9_-]+$/;

/**
 * The ID of a value that is exactly prefix + ID + suffix, with an ID of the recipe's shape made
 * only of characters URL parsing leaves alone; null when the value is anything else.
 */
function exactLinkId(profile: FleetProfile, value: string): string | null {
  const { prefix, suffix } = profile;
  const end = value.length - suffix.length;
  if (value.length > profile.maxLength) return null;
  if (!value.startsWith(prefix) || !value.endsWith(suffix)) return null;
  // Empty when prefix and suffix overlap or meet: INERT_ID refuses it.
  const id = value.slice(prefix.length, end);
  return INERT_ID.test(id) && profile.idShape.pattern.test(id) ? id : null;
}

/** A clean result shared by every device whose link is exactly the template's (never mutated). */
const NO_FINDINGS: Finding[] = [];
Object.freeze(NO_FINDINGS);

/** Checks the value of the profile's slot: every coded problem, and the ID when it has the right shape. */
export function checkValue(profile: FleetProfile, value: string | null): ValueCheck {
  // Fast path: most of a fleet carries exactly the template's link. Such a value passes the full
  // check below whenever the template's own link does (its scheme, host and path are the
  // template's; its ID is inert), so the URL parse is skipped once the first one proved that.
  const id = value === null ? null : exactLinkId(profile, value);
  if (id !== null) {
    if (memo.templateIsExact.get(profile) === true)
      return { findings: NO_FINDINGS, id, ours: true, exact: true };
    // Not proved yet (or the template's link fails the full check): check this one in full. No
    // finding means the check read this very ID (a URL rewrite of the text around it is a finding).
    const full = fullCheck(profile, value);
    memo.templateIsExact.set(profile, full.findings.length === 0);
    return full;
  }
  return fullCheck(profile, value);
}

function fullCheck(profile: FleetProfile, value: string | null): ValueCheck {
  const findings: Finding[] = [];
  const slot = `udf${profile.slot}`;
  if (value === null || value.trim() === '') {
    findings.push({ code: 'udf-empty', message: `${slot} is empty; the link component has not written it` });
    return { findings, id: null, ours: false };
  }
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    // Not a URL: url stays null.
  }
  if (!looksOurs(profile, value, url)) {
    findings.push({
      code: 'udf-foreign',
      message: `${slot} holds ${show(value)}, which is not a ${profile.product} link: another tool or a person overwrote it`,
    });
    return { findings, id: null, ours: false };
  }
  if (value.length > profile.maxLength)
    findings.push({
      code: 'link-too-long',
      message: `the link is ${value.length} characters long; a UDF holds ${profile.maxLength}`,
    });
  const bad = NOT_PRINTABLE_ASCII.exec(value) ?? ENCODED_CONTROL.exec(value);
  if (bad) {
    const what =
      bad[0].length > 1
        ? bad[0]
        : `U+${(bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    findings.push({
      code: 'link-control',
      message: `the link contains ${CONTROL.test(bad[0]) || bad[0].startsWith('%') ? 'the control character ' : ''}${what} at offset ${bad.index}; only printable ASCII is allowed`,
    });
  }
  if (url === null) {
    findings.push({ code: 'link-not-url', message: `${show(value)} is not an absolute URL` });
    return { findings, id: null, ours: true };
  }
  if (url.protocol !== 'https:')
    findings.push({ code: 'link-scheme', message: `the link uses ${url.protocol}; only https: is allowed` });
  if (url.username !== '' || url.password !== '')
    findings.push({ code: 'link-credentials', message: 'the link carries credentials (user:password@)' });
  if (!profile.hosts.includes(url.host))
    findings.push({
      code: 'link-host',
      message: `the link points to ${JSON.stringify(url.host)}; allowed: ${profile.hosts.join(', ')}`,
    });
  // The ID is what sits where the template has {ID}, after the origin (so a wrong scheme or host
  // does not hide a good ID).
  const rest = url.origin === 'null' ? url.href : url.pathname + url.search + url.hash;
  const before = afterOrigin(profile.prefix);
  let id: string | null = null;
  // With nothing after {ID} in the template, the ID ends where another query parameter or a
  // fragment starts (so extra text is reported as itself, not as a broken ID).
  const tail = profile.suffix === '' ? /[&#]/.exec(rest.slice(before.length)) : null;
  const end = tail ? before.length + tail.index : rest.length - profile.suffix.length;
  if (rest.startsWith(before) && rest.endsWith(profile.suffix) && end >= before.length) {
    const candidate = rest.slice(before.length, end);
    if (profile.idShape.pattern.test(candidate)) id = candidate;
    else
      findings.push({
        code: 'id-shape',
        message: `the ID ${show(candidate, 90)} is not ${profile.idShape.describe} (${profile.idShape.name})`,
      });
  } else {
    findings.push({
      code: 'id-shape',
      message: `the link does not follow the template ${profile.template}; no ID can be read from it`,
    });
  }
  return { findings, id, ours: true, exact: id !== null && isLinkFor(profile, value, id) };
}

/** The distinct canonical MACs of an audit, in its order; unusable ones (multicast, all-zero, junk) dropped. */
function usableMacs(raw: string[]): string[] {
  const out: string[] = [];
  for (const m of raw) {
    const mac = canonicalMac(m);
    if (mac !== null && !out.includes(mac)) out.push(mac);
  }
  return out;
}

/** Whether any of the canonical MACs hashes to `stored` with this serial and salt hash. */
function anyMacGives(
  stored: string,
  macs: string[],
  source: SerialSource,
  serial: string,
  salthex: string,
): boolean {
  for (const mac of macs) if (idOfCanonical(mac, source, serial, salthex) === stored) return true;
  return false;
}

export type Recompute =
  | { status: 'verified'; id: string }
  | { status: 'mismatch'; reason: string; expected: string | null }
  | { status: 'not-recomputable'; reason: string };

/** The salt the endpoint hashed, when known; a string explaining why not otherwise. */
export function resolveSalt(
  profile: FleetProfile,
  device: FleetDevice,
  saltValue: string | undefined,
  accountUid: string | undefined,
): { salt: string } | { missing: string } {
  const s = profile.salt;
  if (saltValue !== undefined) return { salt: saltValue };
  switch (s.kind) {
    case 'none':
      return { salt: '' };
    case 'site':
      return { salt: device.siteUid };
    case 'account': {
      const uid = profile.accountUid ?? accountUid;
      return uid
        ? { salt: uid }
        : { missing: 'the salt is the account UID, which is unknown: pass --salt-value' };
    }
    default:
      return {
        missing: `the salt comes from the endpoint variable ${s.name}: pass its value with --salt-value`,
      };
  }
}

const MAC_OS = /mac\s?os|os x|darwin/i;
/** Whether an operating-system name is macOS, remembered per name (memo.macOsNames). */
function isMac(os: string): boolean {
  const macOsNames = memo.macOsNames;
  let known = macOsNames.get(os);
  // Stryker disable next-line ConditionalExpression: testing a remembered name again gives the same answer; false answers nothing, which the macOS tests catch
  if (known === undefined) {
    known = MAC_OS.test(os);
    if (macOsNames.size < 1024) macOsNames.set(os, known);
  }
  return known;
}

/**
 * Recomputes a DEVID1 ID from audit data and compares it with `stored`. Never guesses: a result is
 * `mismatch` only when the recipe's source chain is fully known (the API has a BIOS serial but no
 * baseboard serial, so on Windows and Linux a non-matching candidate proves nothing).
 */
export function recomputeId(
  profile: FleetProfile,
  device: FleetDevice,
  stored: string,
  audit: FleetAudit,
  salt: { salt: string } | { missing: string },
): Recompute {
  if (!profile.idShape.recomputable)
    return { status: 'not-recomputable', reason: `rmmkit cannot recompute ${profile.idShape.name} IDs` };
  if ('missing' in salt) return { status: 'not-recomputable', reason: salt.missing };
  const macs = usableMacs(audit.macs);
  if (macs.length === 0)
    return { status: 'not-recomputable', reason: 'the audit lists no usable MAC address' };
  if (profile.recipe) return recomputeRecipeId(profile.recipe, macs, stored, audit, salt.salt);
  const salthex = saltHex(salt.salt);
  if (salthex === null)
    return {
      status: 'not-recomputable',
      reason:
        'the salt has a control character or is not well-formed Unicode (BAD_SALT): no endpoint hashes with it',
    };
  // Serials are tested for junk in canonical form (devid1.md §2), as the endpoint does: an audit's
  // "To be filled by O.E.M." is the junk TOBEFILLEDBYOEM, not a serial.
  // Stryker disable next-line StringLiteral: only the UUID source has its own junk list; BB and SYS share one
  const bb = usableSerial(audit.baseboardSerial, 'BB');
  // Stryker disable next-line StringLiteral: only the UUID source has its own junk list; BB and SYS share one
  const sys = usableSerial(audit.biosSerial, 'SYS');
  const macOs = isMac(device.operatingSystem);
  // The chain is known on macOS, whose collector starts at SYS (the audit's BIOS serial) and never
  // reads the baseboard; elsewhere when the audit carries a usable baseboard serial (BB wins). A
  // junk baseboard value proves nothing: an export may write "N/A" for a serial it did not collect.
  let chosen: { source: SerialSource; serial: string; why: string } | null = null;
  if (macOs) {
    if (sys) chosen = { source: 'SYS', serial: sys, why: 'the BIOS serial (macOS starts the chain there)' };
  } else if (bb) chosen = { source: 'BB', serial: bb, why: 'the baseboard serial' };
  if (chosen) {
    const { source, serial, why } = chosen;
    if (anyMacGives(stored, macs, source, serial, salthex)) return { status: 'verified', id: stored };
    const expected = macs.length === 1 ? idOfCanonical(macs[0] as string, source, serial, salthex) : null;
    return {
      status: 'mismatch',
      expected,
      reason: `the stored ID matches none of the ${macs.length} MAC address${macs.length === 1 ? '' : 'es'} in the audit hashed with ${why}${expected ? `; expected ${expected}` : ''}`,
    };
  }
  const junkBB = Boolean(audit.baseboardSerial);
  if (!sys)
    return {
      status: 'not-recomputable',
      reason: macOs
        ? 'the BIOS serial is absent or junk; the endpoint then hashes the SMBIOS UUID, which the audit does not show'
        : junkBB
          ? 'the baseboard serial in the audit is junk or a placeholder and the BIOS serial is absent or junk: the endpoint hashed a serial the audit does not show (the real baseboard serial or the SMBIOS UUID)'
          : 'the API exposes no baseboard serial and the BIOS serial is absent or junk',
    };
  // Without a known baseboard serial only a match is proof: the BIOS serial is the endpoint's
  // choice when the real baseboard serial is junk.
  if (anyMacGives(stored, macs, 'SYS', sys, salthex)) return { status: 'verified', id: stored };
  return {
    status: 'not-recomputable',
    reason: junkBB
      ? 'the baseboard serial in the audit is junk or a placeholder (the endpoint may have read a real one); the BIOS-serial candidate does not match, which proves nothing'
      : 'the endpoint hashes the baseboard serial first and the API exposes none; the BIOS-serial candidate does not match, which proves nothing',
  };
}

/**
 * Recomputes an ID of a vendor recipe (not DEVID1) from audit data. The audit knows the BIOS serial
 * (SYS) and, in some exports, the baseboard serial (BB), never the SMBIOS UUID. The recipe takes the
 * first usable serial in its own source order, so a non-matching ID is a mismatch only when the
 * recipe used its first source: a source before it that the audit lacks, or holds as junk (an
 * export may write "N/A" for a serial it did not collect), may have held a real value on the device.
 */
function recomputeRecipeId(
  recipe: Recipe,
  macs: string[],
  stored: string,
  audit: FleetAudit,
  salt: string,
): Recompute {
  const serialPart = recipe.parts.find((p): p is SerialPart => p.kind === 'serial');
  const serials = { BB: audit.baseboardSerial, SYS: audit.biosSerial };
  const results = macs.map((mac) => recipeDeviceId(recipe, { mac, serials, salt }));
  const unsure: Recompute = {
    status: 'not-recomputable',
    reason: `the recipe ${recipe.name} takes ${serialPart ? serialPart.sources.join(' then ') : 'no serial'}, and the audit does not show a usable value for every source before the one it could use (the API has no baseboard serial or UUID)`,
  };
  // The MACs are usable, so every MAC fails alike (no usable serial, a bad salt) or none does.
  const first = results[0] as RecipeResult;
  if (!('id' in first)) return unsure;
  const ids = (results as RecipeOk[]).map((r) => r.id);
  // A match verifies whatever source the device used.
  if (ids.includes(stored)) return { status: 'verified', id: stored };
  if (serialPart && serialPart.sources.indexOf(first.source as SerialSource) !== 0) return unsure;
  const expected = ids.length === 1 ? first.id : null;
  return {
    status: 'mismatch',
    expected,
    reason: `the stored ID matches none of the ${macs.length} MAC address${macs.length === 1 ? '' : 'es'} in the audit hashed by the recipe ${recipe.name}${expected ? `; expected ${expected}` : ''}`,
  };
}
