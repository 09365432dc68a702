// The sanctioned Datto RMM profile (platform, account, sites, devices) from CLI flags or from the
// `datto` section of an integration file, validated with every problem reported at once.
import { type Issue, ValidationError } from '../errors.js';
import { DATTO_PLATFORMS, PLATFORM_PATTERN } from './indicators.js';
import type { DattoSection, SanctionedProfile } from './types.js';

/** Datto account and site UIDs are GUIDs in the API; accept that shape only (no KQL-breaking text). */
const UID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A device name as Defender reports it: host or FQDN characters only. */
const DEVICE = /^[a-z0-9][a-z0-9._-]{0,254}$/i;

/** Checks a `datto` section and returns its issues (paths like `datto.siteUids[1]`). */
export function checkDattoSection(section: unknown, base = 'datto'): Issue[] {
  const issues: Issue[] = [];
  const err = (path: string, message: string) => issues.push({ path, message, severity: 'error' });
  if (section === null || typeof section !== 'object' || Array.isArray(section)) {
    err(base, `must be a mapping with platform, accountUid, siteUids; found ${describe(section)}`);
    return issues;
  }
  const s = section as Record<string, unknown>;
  for (const key of Object.keys(s)) {
    if (!['platform', 'accountUid', 'siteUids', 'devices'].includes(key))
      err(`${base}.${key}`, 'is not a known key; allowed: platform, accountUid, siteUids, devices');
  }
  if (s.platform === undefined) err(`${base}.platform`, `is required (one of ${DATTO_PLATFORMS.join(', ')})`);
  else if (typeof s.platform !== 'string' || !PLATFORM_PATTERN.test(s.platform.trim().toLowerCase()))
    err(
      `${base}.platform`,
      `${describe(s.platform)} is not a platform name (letters and digits, e.g. ${DATTO_PLATFORMS.join(', ')})`,
    );
  if (s.accountUid !== undefined && (typeof s.accountUid !== 'string' || !UID.test(s.accountUid)))
    err(`${base}.accountUid`, `${describe(s.accountUid)} is not a Datto UID (8-4-4-4-12 hex digits)`);
  const list = (key: 'siteUids' | 'devices', re: RegExp, what: string) => {
    const v = s[key];
    if (v === undefined) return;
    if (!Array.isArray(v)) {
      err(`${base}.${key}`, `must be a list of ${what}; found ${describe(v)}`);
      return;
    }
    v.forEach((item, i) => {
      if (typeof item !== 'string' || !re.test(item))
        err(`${base}.${key}[${i}]`, `${describe(item)} is not ${what}`);
    });
  };
  list('siteUids', UID, 'a Datto site UID (8-4-4-4-12 hex digits)');
  list('devices', DEVICE, 'a device name (letters, digits, dot, hyphen, underscore)');
  return issues;
}

/**
 * The sanctioned profile from an integration file's `datto` section (or an object of the same
 * shape built from flags). Throws a ValidationError listing every problem.
 */
export function sanctionedProfileFrom(
  section: DattoSection | unknown,
  subject = 'the datto section',
): SanctionedProfile {
  const issues = checkDattoSection(section);
  if (issues.length > 0) throw new ValidationError(subject, issues);
  const s = section as { platform: string; accountUid?: string; siteUids?: string[]; devices?: string[] };
  const uniqueSorted = (xs: string[]) => [...new Set(xs.map((x) => x.toLowerCase()))].sort();
  return {
    platform: s.platform.trim().toLowerCase(),
    ...(s.accountUid ? { accountUid: s.accountUid.toLowerCase() } : {}),
    siteUids: uniqueSorted(s.siteUids ?? []),
    ...(s.devices ? { devices: uniqueSorted(s.devices) } : {}),
  };
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return JSON.stringify(v);
}
