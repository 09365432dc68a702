// Fleet validation state: takes devices one at a time (from any source), keeps only reports of
// devices with findings and a compact record per ID (for clone clusters), and builds the result.
import { checkValue, type Recompute, recomputeId, resolveSalt } from './checks.js';
import type { DeviceRead } from './device.js';
import { linkFor } from './profile.js';
import {
  type DeviceReport,
  FINDING_CODES,
  type Finding,
  type FindingCode,
  type FleetAudit,
  type FleetDevice,
  type FleetProfile,
  type FleetResult,
  type SiteSummary,
} from './types.js';

/** Codes that inform but do not count against --max-findings. */
export const INFO_CODES: ReadonlySet<FindingCode> = new Set(['id-not-recomputable']);

/** A device as the clone index remembers it (no UDF values, no audit). */
export interface DeviceRef {
  uid: string;
  hostname: string;
  siteUid: string;
  siteName: string;
  operatingSystem: string;
  /** The link's ID when it had the recipe's shape. */
  id: string;
  /** The slot's value when it is not exactly the template's link for `id` (memory: most are). */
  odd?: string | undefined;
  recompute?: Recompute | undefined;
  /**
   * Its only finding so far is the informational id-not-recomputable, kept here instead of in a
   * report of its own (most of a fleet read from the API is in this case); see materialize().
   */
  infoOnly?: boolean;
}

export interface ValidatorOptions {
  source: string;
  /** The salt the endpoints used (`--salt-value`). */
  saltValue?: string | undefined;
  /** The account UID the API reported, used for an account salt when nothing better is given. */
  accountUid?: string | undefined;
  /** How many cluster members an id-clone message names before "and N more". */
  cloneNames?: number;
}

const MAX_CLONE_NAMES = 10;

/** What the devices not recomputable for one reason share. */
interface SharedReason {
  finding: Finding;
  /** The findings list of a device whose only finding is this one (frozen). */
  alone: Finding[];
  /** The first outcome seen with this reason, kept by every later device. */
  outcome?: Recompute;
}

/** The reason of a device kept as info-only (its outcome is not-recomputable by construction). */
function infoReason(ref: DeviceRef): string {
  return (ref.recompute as Extract<Recompute, { status: 'not-recomputable' }>).reason;
}

/** The order of String#localeCompare, from one collator (not a lookup per comparison: reports sort 100,000 rows). */
const collator = new Intl.Collator().compare;
// Stryker disable next-line ConditionalExpression: false only skips the shortcut (the collator gives 0 for equal strings); true fails every order test
const collate = (a: string, b: string) => (a === b ? 0 : collator(a, b));
// Stryker disable next-line EqualityOperator: equal strings returned 0 already, so < and <= agree; >= reverses the order tests
const codePoint = (a: string, b: string) => (a === b ? 0 : a < b ? -1 : 1);

/** What a report row is sorted by. */
interface RowKey {
  siteUid: string;
  hostname: string;
  uid: string;
}

const byCodePoint = (a: RowKey, b: RowKey) =>
  codePoint(a.siteUid, b.siteUid) || codePoint(a.hostname, b.hostname) || codePoint(a.uid, b.uid);
const byCollator = (a: RowKey, b: RowKey) =>
  collate(a.siteUid, b.siteUid) || collate(a.hostname, b.hostname) || collate(a.uid, b.uid);

/**
 * Sorts report rows in place by site, host name and uid as the collator orders them (the order of
 * String#localeCompare), spellings the collator ties broken by code point: one total order.
 *
 * Most fleets' values (one-case host names, lower-case UIDs) sort the same by code point, which is
 * several times cheaper on 100,000 rows. So the rows are sorted by code point first, and the
 * collator then checks each neighbouring pair: if every pair is in collator order, the whole array
 * is (the order is transitive), and within a run of collator ties it is in code-point order, as
 * required. One pair out of order and the rows are sorted again with the full comparison.
 */
export function sortReportRows<T extends RowKey>(rows: T[]): T[] {
  rows.sort(byCodePoint);
  for (let i = 1; i < rows.length; i++)
    // Stryker disable next-line ConditionalExpression,EqualityOperator: sorting again is always right (a stable sort of the code-point order), only slower; never sorting again fails the accent and mixed-case order tests
    if (byCollator(rows[i - 1] as T, rows[i] as T) > 0) {
      // Stable: rows the collator ties keep the code-point order the first sort gave them.
      rows.sort(byCollator);
      break;
    }
  return rows;
}

export class FleetValidator {
  readonly profile: FleetProfile;
  readonly options: ValidatorOptions;
  /**
   * Every device with findings. `current` is its slot value (for the repair plan): the value itself,
   * or the device's record when the value is exactly its link (built on demand, not kept per device).
   */
  private readonly reports = new Map<
    string,
    DeviceReport & { siteName: string; current?: string | null | DeviceRef }
  >();
  private readonly byId = new Map<string, DeviceRef | DeviceRef[]>();
  /** The members of each ID several devices carry, in the order the clusters formed (byId holds the same arrays). */
  private readonly clusters: { id: string; members: DeviceRef[] }[] = [];
  private readonly sites = new Map<string, SiteSummary>();
  private lastSite: SiteSummary | null = null;
  /** The salt resolved once, when it does not depend on the device (an account or given salt). */
  private fleetSalt: ReturnType<typeof resolveSalt> | null = null;
  /** Per not-recomputable reason (a handful of fixed sentences): the objects every such device shares. */
  private readonly reasons = new Map<string, SharedReason>();
  private readonly osNames = new Map<string, string>();
  /** Devices whose only finding is id-not-recomputable (DeviceRef.infoOnly), in the order seen. */
  // Stryker disable next-line ArrayDeclaration: every reader skips an entry that is not a record with infoOnly set
  private readonly infoOnly: DeviceRef[] = [];
  /** uid → info-only device, built only when a finding arrives for a device by uid alone (API listing gaps). */
  private infoOnlyIndex: Map<string, DeviceRef> | null = null;
  /** Per device: the ID an audit proved and the salt it was hashed with. */
  private readonly known = new Map<string, { id: string; salt: string }>();
  /** The salts that verified at least one device (proof the salt is right). */
  private readonly verifiedSalts = new Set<string>();
  private readonly counts = Object.fromEntries(FINDING_CODES.map((c) => [c, 0])) as Record<
    FindingCode,
    number
  >;
  private readonly recompute = { verified: 0, mismatch: 0, notRecomputable: 0, notAudited: 0 };
  private devices = 0;
  private duplicates = 0;
  private readonly uids = new Set<string>();
  accountUid: string | undefined;
  requests: number | undefined;

  constructor(profile: FleetProfile, options: ValidatorOptions) {
    this.profile = profile;
    this.options = options;
    this.accountUid = options.accountUid;
  }

  private site(siteUid: string, siteName: string): SiteSummary {
    // Listings come site by site: the last site is usually the next one too.
    // Stryker disable next-line ConditionalExpression: false only skips the shortcut (the map holds the same summary); true mixes up the sites of every multi-site test
    let s = this.lastSite?.siteUid === siteUid ? this.lastSite : this.sites.get(siteUid);
    if (!s) {
      s = { siteUid, siteName, devices: 0, devicesWithFindings: 0, findings: 0 };
      this.sites.set(siteUid, s);
    } else if (!s.siteName && siteName) s.siteName = siteName;
    this.lastSite = s;
    return s;
  }

  /** Adds findings to a device's report (creating it); counts each finding unless `countAs` says otherwise. */
  addFindings(
    who: { uid: string; hostname: string; siteUid: string; siteName: string },
    findings: Finding[],
    count = true,
    device = true,
  ): void {
    if (findings.length === 0) return;
    let r = this.reports.get(who.uid);
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: the length test only saves building the uid index when no device is info-only (looking then finds none); false loses an info-only device's finding
    if (!r && this.infoOnly.length > 0) {
      // A device kept as info-only gets its report first, so its findings stay in order.
      const kept = this.infoOnlyRef(who);
      if (kept) {
        this.materialize(kept);
        r = this.reports.get(who.uid);
      }
    }
    const site = this.site(who.siteUid, who.siteName);
    if (!r) {
      r = {
        uid: who.uid,
        hostname: who.hostname,
        siteUid: who.siteUid,
        siteName: who.siteName,
        findings: [],
      };
      this.reports.set(who.uid, r);
    }
    let before = false;
    for (const f of r.findings) if (!INFO_CODES.has(f.code)) before = true;
    let now = false;
    for (const f of findings) {
      const info = INFO_CODES.has(f.code);
      if (!info) now = true;
      r.findings.push(f);
      if (count) {
        this.counts[f.code]++;
        if (!info) site.findings++;
      }
    }
    if (device && !before && now) site.devicesWithFindings++;
  }

  /**
   * A finding about a site itself (its device listing failed), on a report row of its own whose uid
   * is `rowUid`: the finding counts, on the site too, but the row is no device, so it is not among
   * the devices with findings.
   */
  addSiteFinding(site: { siteUid: string; siteName: string }, rowUid: string, finding: Finding): void {
    this.addFindings(
      { uid: rowUid, hostname: '', siteUid: site.siteUid, siteName: site.siteName },
      [finding],
      true,
      false,
    );
  }

  /** The slot value a remembered device had. */
  valueOf(ref: DeviceRef): string {
    return ref.odd ?? linkFor(this.profile, ref.id);
  }

  /** The slot value of a device with findings, as it was read; undefined for a device without. */
  currentValue(uid: string): string | null | undefined {
    const v = this.reports.get(uid)?.current;
    return v === undefined || v === null || typeof v === 'string' ? v : this.valueOf(v);
  }

  /**
   * Gives a device kept as info-only its report (with the finding it had), before another finding
   * is added to it.
   */
  private materialize(ref: DeviceRef): void {
    if (!ref.infoOnly) return;
    ref.infoOnly = false;
    this.infoOnlyIndex?.delete(ref.uid);
    this.reports.set(ref.uid, {
      uid: ref.uid,
      hostname: ref.hostname,
      siteUid: ref.siteUid,
      siteName: ref.siteName,
      findings: [this.shared(infoReason(ref)).finding],
      current: ref,
    });
  }

  /** The info-only record of the device `who` names, if it has one. */
  private infoOnlyRef(who: { uid: string }): DeviceRef | undefined {
    // Stryker disable next-line ConditionalExpression,BooleanLiteral: a shortcut when the caller passes the record itself: the index holds the same record
    if ((who as DeviceRef).infoOnly === true) return who as DeviceRef;
    // Stryker disable next-line ConditionalExpression: building the index again gives the same index (the list minus materialized records)
    if (!this.infoOnlyIndex) {
      this.infoOnlyIndex = new Map();
      // Stryker disable next-line ConditionalExpression: a materialized record has a report, and only a uid without one is looked up
      for (const ref of this.infoOnly) if (ref.infoOnly) this.infoOnlyIndex.set(ref.uid, ref);
    }
    return this.infoOnlyIndex.get(who.uid);
  }

  /**
   * Whether a device already has findings (the audit "flagged" set). A device whose only finding
   * is the informational id-not-recomputable is not flagged: its audit has been read already.
   */
  isFlagged(uid: string): boolean {
    return this.reports.has(uid);
  }

  /** Records a device: checks its value, recomputes its ID when audit data came with it. */
  add(read: DeviceRead, extra: Finding[] = []): void {
    // A device listed twice (two pages that overlap, an export with repeats) is one device, not a clone of itself.
    const uid = read.ok ? read.device.uid : read.uid;
    if (uid) {
      // One hash-table operation, not two (has, then add): this runs for every device.
      const before = this.uids.size;
      this.uids.add(uid);
      if (this.uids.size === before) {
        this.duplicates++;
        return;
      }
    }
    this.devices++;
    if (!read.ok) {
      const who = {
        uid: read.uid || `(malformed #${this.devices})`,
        hostname: read.hostname,
        siteUid: read.siteUid,
        siteName: '',
      };
      this.site(who.siteUid, '').devices++;
      this.addFindings(who, [{ code: 'device-malformed', message: read.reason }, ...extra]);
      return;
    }
    const d = read.device;
    const site = this.site(d.siteUid, d.siteName);
    site.devices++;
    const check = checkValue(this.profile, d.value);
    // Stryker disable next-line ConditionalExpression: false only copies the findings into a new array; true drops the extra findings
    this.addFindings(d, extra.length === 0 ? check.findings : [...check.findings, ...extra]);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a device without findings has no report, and setCurrent does nothing then; false loses the value of every device with findings
    if (check.findings.length > 0 || extra.length > 0) this.setCurrent(d.uid, d.value);
    if (check.id !== null) {
      // Kept for every device: the site and OS strings are shared (one copy per site and per OS
      // name, not one per device), so what stays in memory per device is small.
      const ref: DeviceRef = {
        uid: d.uid,
        hostname: d.hostname,
        siteUid: site.siteUid,
        // Stryker disable next-line ConditionalExpression,EqualityOperator: sharing the site's copy of an equal string; the same text either way
        siteName: d.siteName === site.siteName ? site.siteName : d.siteName,
        operatingSystem: this.osName(d.operatingSystem),
        id: check.id,
        // Every field from the start: one object shape for all records, no property added later.
        odd: check.exact ? undefined : (d.value as string),
        recompute: undefined,
        infoOnly: false,
      };
      const prev = this.byId.get(check.id);
      if (prev === undefined) this.byId.set(check.id, ref);
      else if (Array.isArray(prev)) prev.push(ref);
      else {
        const members = [prev, ref];
        this.byId.set(check.id, members);
        this.clusters.push({ id: check.id, members });
      }
      // Whether the device has a report already is known here: it does when it had findings.
      if (d.audit) this.applyAudit(ref, d, d.audit, check.findings.length > 0 || extra.length > 0);
      else this.recompute.notAudited++;
    } else if (d.audit) {
      this.recompute.notAudited++;
    }
  }

  /** Recomputes a device's ID from its audit and records the outcome as a finding when it is not verified. */
  applyAudit(
    ref: DeviceRef,
    device: FleetDevice,
    audit: FleetAudit,
    hasReport = this.reports.has(ref.uid),
  ): void {
    const salt = this.saltFor(device);
    const r = recomputeId(this.profile, device, ref.id, audit, salt);
    // Kept per device: a not-recomputable outcome is one of a few fixed sentences, shared.
    // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: sharing saves memory only: a shared outcome has the status (and reason) of the device's own, and no reader looks further
    if (r.status === 'not-recomputable') {
      const e = this.shared(r.reason);
      e.outcome ??= r;
      ref.recompute = e.outcome;
    } else ref.recompute = r;
    // A verified or mismatched ID was recomputed, so the salt was known.
    if (r.status === 'verified') {
      const saltUsed = (salt as { salt: string }).salt;
      this.known.set(ref.uid, { id: ref.id, salt: saltUsed });
      this.verifiedSalts.add(saltUsed);
    } else {
      const expected = (r as { expected?: string | null }).expected;
      if (expected) this.known.set(ref.uid, { id: expected, salt: (salt as { salt: string }).salt });
    }
    if (r.status === 'verified') this.recompute.verified++;
    else if (r.status === 'mismatch') {
      this.recompute.mismatch++;
      this.addFindings(ref, [{ code: 'id-mismatch', message: r.reason }]);
    } else {
      this.recompute.notRecomputable++;
      const f = this.shared(r.reason).finding;
      if (hasReport) this.addFindings(ref, [f]);
      else {
        // Counted now; its report is built only if another finding joins it (materialize).
        this.counts[f.code]++;
        ref.infoOnly = true;
        this.infoOnly.push(ref);
        this.infoOnlyIndex?.set(ref.uid, ref);
      }
    }
    // A device with a report keeps its value as its record (setCurrent does nothing without one: a
    // device kept info-only, or verified with no finding).
    this.setCurrent(ref.uid, ref);
  }

  /** Records the slot value of a device that has a report (every caller has just added a finding). */
  private setCurrent(uid: string, value: string | null | DeviceRef): void {
    const r = this.reports.get(uid);
    if (r) r.current = value;
  }

  /** One shared copy of an operating-system name (a fleet has a few dozen). */
  private osName(os: string): string {
    const known = this.osNames.get(os);
    // Stryker disable next-line ConditionalExpression: false returns the given copy of an equal string; true loses the name of a new one
    if (known !== undefined) return known;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a cap on a memory saving: the name is the same text either way
    if (this.osNames.size < 1024) this.osNames.set(os, os);
    return os;
  }

  /**
   * The objects shared by every device not recomputable for `reason` (findings and outcomes are
   * never changed). Reasons are a handful of fixed sentences; the cap only guards against a source
   * of many.
   */
  private shared(reason: string): SharedReason {
    let e = this.reasons.get(reason);
    // Stryker disable next-line ConditionalExpression: true builds a new, equal entry (memory only); false fails on every info-only device
    if (!e) {
      const finding: Finding = { code: 'id-not-recomputable', message: reason };
      e = { finding, alone: Object.freeze([finding]) as Finding[] };
      // Stryker disable next-line ConditionalExpression,EqualityOperator: a cap on a memory saving (reasons are a handful of fixed sentences): an equal entry either way
      if (this.reasons.size < 64) this.reasons.set(reason, e);
    }
    return e;
  }

  /** The salt a device's endpoint hashed (resolved once for the fleet unless it is the device's site). */
  private saltFor(device: FleetDevice): ReturnType<typeof resolveSalt> {
    // Stryker disable next-line ConditionalExpression,LogicalOperator: resolving per device gives the same salt, the cache below only saves the work; false hashes every site with the first site's salt
    if (this.profile.salt.kind === 'site' && this.options.saltValue === undefined)
      return resolveSalt(this.profile, device, this.options.saltValue, this.accountUid);
    // accountUid can arrive after the first device (the API reports it): cache only a resolved salt.
    // Stryker disable next-line ConditionalExpression: false resolves again, to the same salt
    if (this.fleetSalt) return this.fleetSalt;
    const s = resolveSalt(this.profile, device, this.options.saltValue, this.accountUid);
    // Stryker disable next-line ConditionalExpression,StringLiteral: never caching resolves again, to the same salt; true caches a missing salt, which the late account UID test catches
    if ('salt' in s) this.fleetSalt = s;
    return s;
  }

  /**
   * The ID a device should carry, when an audit proved it: its own ID verified, or the one expected
   * on a mismatch, but only when its salt verified some device of the run. A wrong --salt-value
   * makes every audited ID mismatch, and its "expected" IDs would be wrong ones: nothing verifies
   * then, so nothing is known.
   */
  knownId(uid: string): string | null {
    const k = this.known.get(uid);
    return k !== undefined && this.verifiedSalts.has(k.salt) ? k.id : null;
  }

  /** Devices whose expected ID is not trusted because no device verified with their salt (a wrong salt?). */
  unprovenMismatches(): number {
    let n = 0;
    for (const k of this.known.values()) if (!this.verifiedSalts.has(k.salt)) n++;
    return n;
  }

  /** Every device whose ID is shared with another device (the `flagged` audit set), in a stable order. */
  cloneMembers(): DeviceRef[] {
    const out: DeviceRef[] = [];
    for (const c of this.clusters) out.push(...c.members);
    return out;
  }

  /** The remembered record of a device with a well-shaped ID, for audits after the pass. */
  refsWithIds(): Iterable<DeviceRef> {
    const byId = this.byId;
    return (function* () {
      for (const v of byId.values()) {
        if (Array.isArray(v)) yield* v;
        else yield v;
      }
    })();
  }

  /** Marks a device as audited after the pass (the recompute counters move from notAudited). */
  auditLater(ref: DeviceRef, audit: FleetAudit): void {
    this.recompute.notAudited--;
    this.applyAudit(
      ref,
      {
        uid: ref.uid,
        hostname: ref.hostname,
        siteUid: ref.siteUid,
        siteName: ref.siteName,
        operatingSystem: ref.operatingSystem,
        value: this.valueOf(ref),
      },
      audit,
    );
  }

  /** Builds clone findings and the summary; call once, after the last device. */
  finish(): FleetResult {
    const names = this.options.cloneNames ?? MAX_CLONE_NAMES;
    for (const { id, members: v } of this.clusters) {
      const members = [...v].sort((a, b) => collate(a.hostname, b.hostname) || collate(a.uid, b.uid));
      const listed = members
        .slice(0, names)
        .map((m) => `${m.hostname || m.uid} (site ${m.siteName || m.siteUid})`)
        .join(', ');
      const more = members.length > names ? ` and ${members.length - names} more` : '';
      const real = members.filter((m) => m.recompute?.status === 'verified');
      const confirmed = real.length === 1 ? real[0] : undefined;
      const which = confirmed
        ? `; the audit confirms the ID belongs to ${confirmed.hostname || confirmed.uid}`
        : '';
      const message = `${members.length} devices carry the ID ${id}: ${listed}${more}${which} (a cloned image)`;
      // One finding per cluster: every member lists it, the count is one.
      this.counts['id-clone']++;
      const first = members[0] as DeviceRef;
      this.site(first.siteUid, first.siteName).findings++;
      for (const m of members) {
        this.materialize(m);
        this.addFindings(m, [{ code: 'id-clone', message }], false);
        this.setCurrent(m.uid, m);
      }
    }
    // The rows in the report's shape (reports carry more: their site name and current value).
    const rows: DeviceReport[] = [];
    for (const r of this.reports.values())
      rows.push({ uid: r.uid, hostname: r.hostname, siteUid: r.siteUid, findings: r.findings });
    for (const ref of this.infoOnly)
      if (ref.infoOnly) {
        rows.push({
          uid: ref.uid,
          hostname: ref.hostname,
          siteUid: ref.siteUid,
          findings: this.shared(infoReason(ref)).alone,
        });
      }
    const devices = sortReportRows(rows);
    const findings = FINDING_CODES.filter((c) => !INFO_CODES.has(c)).reduce((n, c) => n + this.counts[c], 0);
    // Every device with findings was counted on its site as its first non-informational finding
    // arrived (a site's own row is no device, addSiteFinding).
    let devicesWithFindings = 0;
    for (const site of this.sites.values()) devicesWithFindings += site.devicesWithFindings;
    const sites = [...this.sites.values()].sort(
      (a, b) => b.findings - a.findings || collate(a.siteName, b.siteName) || collate(a.siteUid, b.siteUid),
    );
    const p = this.profile;
    return {
      summary: {
        source: this.options.source,
        profile: {
          vendor: p.vendor,
          product: p.product,
          slot: p.slot,
          template: p.template,
          hosts: p.hosts,
          idShape: p.idShape.name,
        },
        devices: this.devices,
        duplicates: this.duplicates,
        devicesWithFindings,
        findings,
        counts: { ...this.counts },
        recompute: { ...this.recompute },
        sites,
        ...(this.requests !== undefined ? { requests: this.requests } : {}),
      },
      devices,
    };
  }
}
