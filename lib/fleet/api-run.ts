// Fleet validation from the Datto API: sites, devices per site reconciled with the account
// listing, audits when asked. Devices stream through the validator page by page.
import { setMaxListeners } from 'node:events';
import { ApiError, type DattoClient, stopReason } from './api.js';
import { checkValue } from './checks.js';
import { readAudit, readDevice } from './device.js';
import type { Finding, FleetProfile, FleetRun } from './types.js';
import { FleetValidator } from './validate.js';

export type AuditMode = 'none' | 'flagged' | 'all';

/** What a run will cost, known once the sites are listed (shown before an `--audit all` run). */
export interface ApiPlan {
  sites: number;
  /** Devices the site listings announce (Site.devicesStatus.numberOfDevices). */
  devices: number;
  /** Requests the run needs (an estimate from 250-device pages): sites, devices per site, account devices, and with --audit all up to one audit per device. */
  requests: number;
  /** The floor those requests set under the budget, in ms. */
  floorMs: number;
  audit: AuditMode;
}

export interface ApiProgress {
  devices: number;
  /** Devices announced by the sites (the ETA's base). */
  expected: number;
  requests: number;
  /** Requests in the current window, and the budget. */
  windowUsed: number;
  budget: number;
}

export interface ApiRunOptions {
  audit: AuditMode;
  saltValue?: string | undefined;
  /** Parallel requests (default 4); the budget holds whatever this is. */
  concurrency?: number;
  /** Devices per page the client expects the API to return, for the plan (Datto: 250). */
  pageSize?: number;
  /** Validate only these sites (the integration file's `datto.siteUids`); default: every site. */
  siteUids?: readonly string[] | undefined;
  /** Called once the sites are known; awaited (the CLI prints the cost). */
  onPlan?: (plan: ApiPlan) => void | Promise<void>;
  onProgress?: (p: ApiProgress) => void;
}

interface RawSite {
  uid?: unknown;
  name?: unknown;
  accountUid?: unknown;
  devicesStatus?: { numberOfDevices?: unknown } | null;
}

/**
 * Runs `fn` over `items` with at most `limit` in flight; results in input order. The first failure
 * ends it: it aborts `stop` at once (so the work beside it, sharing that controller, stops too), no
 * worker takes another item (nor once `stop` is aborted from elsewhere), the calls in flight are
 * awaited (nothing runs on after it settles), and the first error is thrown.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (t: T, i: number) => Promise<R>,
  stop?: AbortController,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  const signal = stop?.signal;
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (failure === null && !signal?.aborted && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i] as T, i);
      } catch (error) {
        if (failure === null) {
          failure = { error };
          if (stop && !stop.signal.aborted) stop.abort(error);
        }
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
  if (signal?.aborted && next < items.length) throw stopReason(signal);
  return out;
}

/**
 * Whether a failure is one site's (its listing answered 404, an HTTP error, a page that is not a
 * page, paging that would not end): the run carries on without that listing. Anything else ends
 * the run: a fatal ApiError, the run already stopping, or a bug.
 */
function isSiteFailure(err: unknown, signal: AbortSignal): err is ApiError {
  return err instanceof ApiError && !err.fatal && !signal.aborted;
}

/** The minimum time `requests` take under `budget` per `windowMs` (the first window is free). */
export function floorMs(requests: number, budget: number, windowMs: number): number {
  return Math.max(0, Math.ceil(requests / budget) - 1) * windowMs;
}

/** Validates every device the API lists for the account. */
export async function validateApi(
  client: DattoClient,
  profile: FleetProfile,
  options: ApiRunOptions,
): Promise<FleetRun> {
  const concurrency = options.concurrency ?? 4;
  const pageSize = options.pageSize ?? 250;
  const v = new FleetValidator(profile, { source: client.base.origin, saltValue: options.saltValue });
  // One failure that ends the run aborts this: every worker stops taking work, every request in
  // flight or waiting (for the budget, a back-off, a Retry-After) is dropped.
  const stop = new AbortController();
  const { signal } = stop;
  // Every request, wait and back-off of the run listens to it: more than the default 10.
  setMaxListeners(0, signal);
  const fail = (err: unknown): never => {
    if (!signal.aborted) stop.abort(err);
    throw err;
  };
  const sites: { uid: string; name: string }[] = [];
  const scope = options.siteUids && options.siteUids.length > 0 ? new Set(options.siteUids) : null;
  let expected = 0;
  let sitePages = 0;
  for await (const page of client.pages('/api/v2/account/sites', 'sites', { signal })) {
    sitePages++;
    for (const raw of page as RawSite[]) {
      if (!raw || typeof raw.uid !== 'string' || raw.uid === '') continue;
      if (scope && !scope.has(raw.uid)) continue;
      sites.push({ uid: raw.uid, name: typeof raw.name === 'string' ? raw.name : '' });
      if (typeof raw.accountUid === 'string' && raw.accountUid && !v.accountUid)
        v.accountUid = raw.accountUid;
      const n = raw.devicesStatus?.numberOfDevices;
      if (typeof n === 'number' && n > 0) {
        expected += n;
      }
    }
  }
  sites.sort((a, b) => a.uid.localeCompare(b.uid));
  if (scope) {
    const unknown = [...scope].filter((u) => !sites.some((x) => x.uid === u));
    if (unknown.length > 0)
      throw new ApiError(
        `the integration's datto.siteUids name ${unknown.length === 1 ? 'a site' : 'sites'} the account does not have: ${unknown.sort().join(', ')}`,
      );
  }
  const devicePages =
    sites.length +
    Math.ceil(expected / pageSize) /* per site, at least one page each */ +
    Math.max(1, Math.ceil(expected / pageSize));
  const requests = sitePages + 1 + devicePages + (options.audit === 'all' ? expected : 0);
  await options.onPlan?.({
    sites: sites.length,
    devices: expected,
    requests,
    floorMs: floorMs(requests, client.budget.budget, client.budget.windowMs),
    audit: options.audit,
  });

  let done = 0;
  const progress = () =>
    options.onProgress?.({
      devices: done,
      expected,
      requests: client.requests,
      windowUsed: client.budget.used(),
      budget: client.budget.budget,
    });

  // The account listing runs beside the site listings; only its UIDs are kept. A site device not
  // (yet) in it waits in `pending` (UID, hostname, site) until the listing is complete.
  const listed = new Set<string>();
  let accountDone = false;
  const pending = new Map<string, { uid: string; hostname: string; siteUid: string; siteName: string }>();
  const accountListing = (async () => {
    for await (const page of client.pages('/api/v2/account/devices', 'devices', { signal }))
      for (const d of page) {
        const { uid, siteUid } = (d ?? {}) as { uid?: unknown; siteUid?: unknown };
        // With a site scope, a device of another site is none of this run's business.
        if (scope && typeof siteUid === 'string' && !scope.has(siteUid)) continue;
        if (typeof uid === 'string') {
          listed.add(uid);
          pending.delete(uid);
        }
      }
    accountDone = true;
  })().catch(fail);
  const ACCOUNT_MISSING: Finding = {
    code: 'listing-account-missing',
    message: 'listed by its site but missing from the account device listing (GET /v2/account/devices)',
  };

  const seen = new Set<string>();
  const audit = async (uid: string) => {
    try {
      const raw = await client.request('GET', `/api/v2/audit/device/${encodeURIComponent(uid)}`, undefined, {
        signal,
      });
      return readAudit(raw);
    } catch (err) {
      // One device's audit missing is that device's finding; a 403 that persists is not (the API
      // user may lack the permission, or the address is blocked): it ends the run.
      if (!isSiteFailure(err, signal)) throw err;
      return `the audit could not be read: ${err.message}`;
    }
  };
  const take = async (raw: unknown, where: string, extra: (uid: string) => Finding[]) => {
    const read = readDevice(raw, profile, where);
    const uid = read.ok ? read.device.uid : read.uid;
    if (uid) seen.add(uid);
    // An audit only helps a device whose link carries a well-shaped ID.
    if (read.ok && options.audit === 'all' && checkValue(profile, read.device.value).id !== null) {
      const a = await audit(read.device.uid);
      if (typeof a === 'string') {
        v.add(read, [...extra(uid), { code: 'id-not-recomputable', message: a }]);
        done++;
        return;
      }
      read.device.audit = a;
    }
    v.add(read, uid ? extra(uid) : []);
    done++;
  };
  const notInAccount =
    (raw: unknown) =>
    (uid: string): Finding[] => {
      if (listed.has(uid)) return [];
      if (accountDone) return [ACCOUNT_MISSING];
      const d = (raw ?? {}) as Record<string, unknown>;
      const text = (x: unknown) => (typeof x === 'string' ? x : '');
      pending.set(uid, {
        uid,
        hostname: text(d.hostname),
        siteUid: text(d.siteUid),
        siteName: text(d.siteName),
      });
      return [];
    };
  // A site whose listing fails (gone since the sites were listed, a broken page) is a finding of
  // its own; the account listing still brings its devices, fetched one by one below.
  const failedSites = new Map<string, { uid: string; name: string; reason: string }>();
  const siteListings = mapLimit(
    sites,
    concurrency,
    async (site) => {
      let index = 0;
      try {
        for await (const page of client.pages(
          `/api/v2/site/${encodeURIComponent(site.uid)}/devices`,
          'devices',
          { signal },
        )) {
          const base = index;
          index += page.length;
          await mapLimit(
            page,
            options.audit === 'all' ? concurrency : 1,
            (d, i) => take(d, `site ${site.uid} device ${base + i + 1}`, notInAccount(d)),
            stop,
          );
          progress();
        }
      } catch (err) {
        if (!isSiteFailure(err, signal)) throw err;
        failedSites.set(site.uid, { ...site, reason: err.message });
        v.addSiteFinding({ siteUid: site.uid, siteName: site.name }, siteRowUid(site.uid), {
          code: 'listing-site-failed',
          message: `the site's device listing failed after ${index} device${index === 1 ? '' : 's'}: ${err.message}; the devices the account listing names for it are fetched one by one`,
        });
      }
    },
    stop,
  ).catch(fail);
  await Promise.allSettled([accountListing, siteListings]);
  if (signal.aborted) throw stopReason(signal);
  for (const who of pending.values()) if (!listed.has(who.uid)) v.addFindings(who, [ACCOUNT_MISSING]);

  // Devices the account lists but no site does: fetched one by one and validated too.
  const missing = [...listed].filter((uid) => !seen.has(uid)).sort();
  const siteMissing = (raw: unknown): Finding[] => {
    const siteUid = (raw as { siteUid?: unknown } | null)?.siteUid;
    const failed = typeof siteUid === 'string' ? failedSites.get(siteUid) : undefined;
    return [
      {
        code: 'listing-site-missing',
        message: failed
          ? `listed by the account (GET /v2/account/devices) but not by its site's listing, which failed (listing-site-failed on ${failed.name || failed.uid}); fetched by UID and checked`
          : 'listed by the account (GET /v2/account/devices) but by no site listing',
      },
    ];
  };
  await mapLimit(
    missing,
    concurrency,
    async (uid) => {
      try {
        const raw = await client.request('GET', `/api/v2/device/${encodeURIComponent(uid)}`, undefined, {
          signal,
        });
        await take(raw, `device ${uid}`, () => siteMissing(raw));
      } catch (err) {
        if (!isSiteFailure(err, signal)) throw err;
        v.add(
          { ok: false, uid, hostname: '', siteUid: '', reason: `device ${uid}: ${err.message}` },
          siteMissing(null),
        );
        done++;
      }
    },
    stop,
  ).catch(fail);

  if (options.audit === 'flagged') {
    const clones = new Set(v.cloneMembers().map((r) => r.uid));
    const flagged = [...v.refsWithIds()].filter((r) => clones.has(r.uid) || v.isFlagged(r.uid));
    await mapLimit(
      flagged,
      concurrency,
      async (ref) => {
        const a = await audit(ref.uid);
        if (typeof a === 'string') v.addFindings(ref, [{ code: 'id-not-recomputable', message: a }]);
        else v.auditLater(ref, a);
      },
      stop,
    ).catch(fail);
  }
  progress();
  v.requests = client.requests;
  // (A failed site's finding sits on a row of its own, which the validator counts as no device.)
  return { result: v.finish(), validator: v };
}

/** The report row of a site whose listing failed: not a device UID (Datto's are GUIDs). */
export function siteRowUid(siteUid: string): string {
  return `(site ${siteUid})`;
}
