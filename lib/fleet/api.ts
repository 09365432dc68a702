// Datto RMM REST API v2 client for fleet validation: OAuth token from key and secret, a sliding
// request budget below Datto's 600 per 60 s, nextPageUrl paging, and bounded, jittered retries.
// The token, key and secret never appear in an error, a log line or a return value.
import { isIP } from 'node:net';
import { InputError, RmmkitError, UsageError } from '../errors.js';

export interface ApiCredentials {
  key: string;
  secret: string;
}

/** One request as the client reports it to a log: method, path, status, timing. No headers. */
export interface RequestEvent {
  method: string;
  path: string;
  status: number | 'network-error' | 'timeout';
  attempt: number;
  ms: number;
  /** What the client does next: `retry in 1200 ms`, `refresh token` … */
  next?: string;
}

export interface ApiClientOptions {
  /** The platform's base URL, e.g. `https://pinotage-api.centrastage.net`. */
  baseUrl: string;
  credentials: ApiCredentials;
  /** Requests allowed per window (default 500: below Datto's 600 and its 90 % slow-down mark). */
  budget?: number;
  /** The window in ms (default 60,000). Tests and benchmarks scale it down. */
  windowMs?: number;
  /** Per-request timeout in ms (default 30,000). */
  timeoutMs?: number;
  /** Retries after a timeout, dropped connection or 5xx (default 4). */
  retries?: number;
  /** First retry delay in ms; doubles per attempt with full jitter (default 500). */
  backoffMs?: number;
  /** How long a 403 (a temporary IP block after repeated breaches) makes the client pause (default one window). */
  blockedBackoffMs?: number;
  /** How many 403 pauses before giving up (default 2). */
  blockedRetries?: number;
  /** How many 429 answers one request may get before giving up (default 10). */
  maxRateLimited?: number;
  /**
   * The longest Retry-After the client waits (default 60,000 ms, Datto's window). A 429 asking for
   * longer ends the request with a fatal ApiError instead of a silent wait of an hour or more.
   */
  maxRetryAfterMs?: number;
  onRequest?: (e: RequestEvent) => void;
  /** Injectable randomness for the jitter (tests). */
  random?: () => number;
}

export const DATTO_RATE_LIMIT = 600;
export const DEFAULT_BUDGET = 500;
export const DEFAULT_WINDOW_MS = 60_000;
/** The longest window accepted (a longer one only makes a run slower; an hour is plenty). */
export const MAX_WINDOW_MS = 3_600_000;
/** The longest delay a Node timer takes: a longer one fires after 1 ms (TimeoutOverflowWarning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function isLoopback(hostname: string): boolean {
  if (LOOPBACK_NAMES.has(hostname)) return true;
  const h = hostname.replace(/^\[|\]$/g, '');
  return isIP(h) === 4 && h.startsWith('127.');
}

const EXAMPLE_BASE = 'https://pinotage-api.centrastage.net';

/** `user:password@` in the authority of a string that may not parse as a URL. */
const AUTHORITY_CREDENTIALS = /^[^:/?#]*:\/\/[^/?#]*@/;

/**
 * Checks and normalizes `--api`: an absolute https URL (http only on a loopback address), no
 * credentials, query or fragment; a trailing `/` or `/api` is dropped. An error never repeats the
 * value given (it may carry a password or a key): it names the origin at most.
 */
export function parseApiBase(raw: string): URL {
  if (AUTHORITY_CREDENTIALS.test(raw.trim()))
    throw new UsageError(
      `--api must not carry credentials (user:password@); give the platform's base URL, e.g. ${EXAMPLE_BASE}, and the key and secret in DATTO_API_KEY and DATTO_API_SECRET`,
    );
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--api is not a URL; give the platform's base URL, e.g. ${EXAMPLE_BASE}`);
  }
  if (url.username || url.password)
    throw new UsageError(
      `--api must not carry credentials (user:password@); give the platform's base URL, e.g. ${EXAMPLE_BASE}, and the key and secret in DATTO_API_KEY and DATTO_API_SECRET`,
    );
  // Built from parts: url.origin is "null" for a scheme the URL standard does not know.
  const origin = `${url.protocol}//${url.host}`;
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname)))
    throw new UsageError(
      `--api ${origin} uses ${url.protocol}; the API key travels with every request, so only https: is allowed (http: only on a loopback address)`,
    );
  if (url.search || url.hash)
    throw new UsageError(
      `--api ${origin}… must not have a query (?…) or fragment (#…); give the platform's base URL only, e.g. ${EXAMPLE_BASE}`,
    );
  url.pathname = url.pathname.replace(/\/+$/, '').replace(/\/api$/, '') || '/';
  return url;
}

/**
 * A sliding-window budget: at most `budget` requests in any `windowMs`. A request holds its place
 * from the moment it starts until `windowMs` after it ends, so however long it travels, the server
 * (which counts arrivals, somewhere between start and end) never sees more than `budget` in a window.
 */
export class RequestBudget {
  private slots: { end: number }[] = [];
  private chain: Promise<void> = Promise.resolve();
  total = 0;

  constructor(
    readonly budget: number,
    readonly windowMs: number,
  ) {}

  /** Requests holding a place in the current window (in flight, or ended less than a window ago). */
  used(now = performance.now()): number {
    this.slots = this.slots.filter((s) => s.end > now - this.windowMs);
    return this.slots.length;
  }

  /**
   * Resolves when one more request may start and records it; call the returned function when it
   * ends. Rejects, holding no place, once `signal` aborts.
   */
  take(signal?: AbortSignal): Promise<() => void> {
    const next = this.chain.then(async () => {
      for (;;) {
        if (signal?.aborted) throw stopReason(signal);
        const now = performance.now();
        if (this.used(now) < this.budget) {
          const slot = { end: Number.POSITIVE_INFINITY };
          this.slots.push(slot);
          this.total++;
          return () => {
            slot.end = performance.now();
          };
        }
        const ended = this.slots.filter((s) => Number.isFinite(s.end)).map((s) => s.end);
        const wait = ended.length > 0 ? Math.min(...ended) + this.windowMs - now + 1 : 5;
        await sleep(Math.max(1, wait), signal);
      }
    });
    this.chain = next.then(
      () => {},
      () => {},
    );
    return next;
  }
}

/** The error an aborted signal stands for: the reason it was aborted with, when that is an Error. */
export function stopReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new ApiError('the run was stopped', undefined, { fatal: true });
}

/**
 * Waits `ms` (at most MAX_TIMER_MS, so a timer never overflows); rejects with the stop reason as
 * soon as `signal` aborts.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(stopReason(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(stopReason(signal as AbortSignal));
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.min(Math.max(0, ms), MAX_TIMER_MS),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** `p`, or the stop reason as soon as `signal` aborts (p goes on, unobserved). */
function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(stopReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(stopReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** Parses Retry-After (seconds or an HTTP date) into ms; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const t = Date.parse(header);
  return Number.isNaN(t) ? null : Math.max(0, t - now);
}

export class ApiError extends RmmkitError {
  /**
   * The run cannot go on: the credentials, a 403 that persists (a block or a missing permission),
   * the rate limit, the API unreachable, a paging URL to another origin. Otherwise the failure is
   * the one request's (a site whose listing is broken or gone), and a run may carry on without it.
   */
  readonly fatal: boolean;

  constructor(
    message: string,
    readonly status?: number,
    options?: { fatal?: boolean },
  ) {
    super('API', message);
    this.fatal = options?.fatal ?? false;
  }
}

/** Options of one request or listing. */
export interface RequestOptions {
  /** Aborting it stops the request: no new attempt, no wait, the answer in flight dropped. */
  signal?: AbortSignal | undefined;
}

/** A wait in words for a message: `45 s`, `60 min`, `3 h`. */
function describeWait(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
}

/** How many pages past the count totalCount announces a listing may run before it is stopped. */
function pageMargin(expected: number): number {
  return Math.max(2, Math.ceil(expected / 10));
}

export class DattoClient {
  readonly base: URL;
  readonly budget: RequestBudget;
  private readonly o: Required<Omit<ApiClientOptions, 'onRequest' | 'credentials' | 'baseUrl'>> &
    Pick<ApiClientOptions, 'onRequest'>;
  private readonly credentials: ApiCredentials;
  private token: Promise<string> | null = null;
  private refreshedFrom: string | null = null;
  /**
   * Until when every request waits (performance.now() time): set by a 429's Retry-After and by a
   * 403's back-off, which concern the whole account or address, not one request.
   */
  private pausedUntil = 0;

  constructor(options: ApiClientOptions) {
    this.base = parseApiBase(options.baseUrl);
    this.credentials = options.credentials;
    const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
    const budget = options.budget ?? DEFAULT_BUDGET;
    if (!Number.isInteger(budget) || budget < 1 || budget >= DATTO_RATE_LIMIT)
      throw new UsageError(
        `the request budget (--budget) ${budget} must be a whole number from 1 to ${DATTO_RATE_LIMIT - 1} (Datto allows ${DATTO_RATE_LIMIT} per 60 s)`,
      );
    if (!Number.isInteger(windowMs) || windowMs < 1 || windowMs > MAX_WINDOW_MS)
      throw new UsageError(
        `the request window (--window-ms) ${windowMs} must be a whole number of milliseconds from ${DEFAULT_WINDOW_MS} to ${MAX_WINDOW_MS} (shorter only against a test server on a loopback --api)`,
      );
    // Datto counts 600 per 60 s: the budget in a shorter window would break the real limit.
    if (windowMs < DEFAULT_WINDOW_MS && !isLoopback(this.base.hostname))
      throw new UsageError(
        `the request window (--window-ms) ${windowMs} ms is shorter than Datto's ${DEFAULT_WINDOW_MS} ms, so ${budget} requests per window would break the API's limit of ${DATTO_RATE_LIMIT} per 60 s; a shorter window is allowed only against a test server on a loopback --api`,
      );
    const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_WINDOW_MS;
    if (!Number.isInteger(maxRetryAfterMs) || maxRetryAfterMs < 0 || maxRetryAfterMs > MAX_TIMER_MS)
      throw new UsageError(
        `the longest Retry-After wait ${maxRetryAfterMs} must be a whole number of milliseconds from 0 to ${MAX_TIMER_MS}`,
      );
    this.budget = new RequestBudget(budget, windowMs);
    this.o = {
      budget,
      windowMs,
      timeoutMs: options.timeoutMs ?? 30_000,
      retries: options.retries ?? 4,
      backoffMs: options.backoffMs ?? 500,
      blockedBackoffMs: options.blockedBackoffMs ?? windowMs,
      blockedRetries: options.blockedRetries ?? 2,
      maxRateLimited: options.maxRateLimited ?? 10,
      maxRetryAfterMs,
      onRequest: options.onRequest,
      random: options.random ?? Math.random,
    };
  }

  get requests(): number {
    return this.budget.total;
  }

  private url(path: string): URL {
    const u = new URL(this.base.href);
    u.pathname = `${this.base.pathname.replace(/\/$/, '')}${path}`;
    return u;
  }

  /** A paging URL from the server: followed only on the same origin, so the token never leaves it. */
  private followUrl(raw: string, from: string): URL {
    let u: URL;
    try {
      u = new URL(raw, this.base);
    } catch {
      throw new ApiError(`${from}: nextPageUrl ${JSON.stringify(raw.slice(0, 200))} is not a URL`);
    }
    if (u.origin !== this.base.origin)
      throw new ApiError(
        `${from}: nextPageUrl points to ${u.origin}, not ${this.base.origin}; refusing to send the token there`,
        undefined,
        { fatal: true },
      );
    return u;
  }

  private jitter(attempt: number): number {
    return Math.floor(this.o.random() * this.o.backoffMs * 2 ** attempt);
  }

  /** Waits while the client is paused by a 429 or 403 (every request of the run waits with it). */
  private async waitWhilePaused(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      const wait = this.pausedUntil - performance.now();
      if (wait <= 0) return;
      await sleep(wait, signal);
    }
  }

  private pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, performance.now() + ms);
  }

  /** One HTTP exchange under the budget, with retries; returns status and body text. */
  private async send(
    method: string,
    url: URL,
    headers: () => Promise<Record<string, string>>,
    body?: string,
    signal?: AbortSignal,
  ): Promise<{ status: number; text: string; unauthorized: boolean }> {
    let attempt = 0;
    let rateLimited = 0;
    let blocked = 0;
    const path = url.pathname + url.search;
    for (;;) {
      await this.waitWhilePaused(signal);
      const release = await this.budget.take(signal);
      const started = performance.now();
      const event = (status: RequestEvent['status'], next?: string) =>
        this.o.onRequest?.({
          method,
          path,
          status,
          attempt,
          ms: Math.round(performance.now() - started),
          ...(next ? { next } : {}),
        });
      let res: Response;
      let text: string;
      try {
        const timeout = AbortSignal.timeout(this.o.timeoutMs);
        res = await fetch(url, {
          method,
          headers: await headers(),
          body,
          signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
          redirect: 'error',
        });
        text = await res.text();
        release();
      } catch (err) {
        release();
        // The run stopped (another request failed): no retry, no log line for a request it dropped.
        if (signal?.aborted) throw stopReason(signal);
        const timeout = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
        if (attempt >= this.o.retries) {
          event(timeout ? 'timeout' : 'network-error');
          throw new ApiError(
            `${method} ${path}: ${timeout ? `no answer within ${this.o.timeoutMs} ms` : 'the connection failed'} after ${attempt + 1} attempts`,
            undefined,
            { fatal: true },
          );
        }
        const wait = this.jitter(attempt);
        event(timeout ? 'timeout' : 'network-error', `retry in ${wait} ms`);
        attempt++;
        await sleep(wait, signal);
        continue;
      }
      if (res.status === 429) {
        const header = res.headers.get('retry-after');
        const asked = retryAfterMs(header);
        if (asked !== null && asked > this.o.maxRetryAfterMs) {
          event(429);
          throw new ApiError(
            `${method} ${path}: rate-limited (429) with Retry-After ${JSON.stringify((header ?? '').slice(0, 64))}, a wait of ${describeWait(asked)}, longer than the ${describeWait(this.o.maxRetryAfterMs)} this client waits (Datto's rate window); the run stops: try again later, with a lower --budget if other tools use the same account`,
            429,
            { fatal: true },
          );
        }
        const wait = asked ?? this.o.backoffMs + this.jitter(0);
        if (++rateLimited > this.o.maxRateLimited) {
          event(429);
          throw new ApiError(
            `${method} ${path}: rate-limited (429) ${rateLimited} times; try again later`,
            429,
            { fatal: true },
          );
        }
        event(429, `wait ${wait} ms (Retry-After)`);
        // The limit is the account's: every request waits, not only this one.
        this.pause(wait);
        continue;
      }
      if (res.status === 403) {
        if (++blocked > this.o.blockedRetries) {
          event(403);
          throw new ApiError(
            `${method} ${path}: forbidden (403) ${blocked} times; Datto blocks an address for a while after repeated rate-limit breaches, or the API user lacks the permission for this request; the run stops: check the API user's role in the Datto RMM console, or wait and run again with a lower --budget`,
            403,
            { fatal: true },
          );
        }
        const wait = this.o.blockedBackoffMs + this.jitter(0);
        event(403, `back off ${wait} ms`);
        // A block is the address's: every request backs off, not only this one.
        this.pause(wait);
        continue;
      }
      if (res.status >= 500 && attempt < this.o.retries) {
        const wait = this.jitter(attempt);
        event(res.status, `retry in ${wait} ms`);
        attempt++;
        await sleep(wait, signal);
        continue;
      }
      event(res.status);
      return { status: res.status, text, unauthorized: res.status === 401 };
    }
  }

  private async fetchToken(): Promise<string> {
    const url = new URL(this.base.href);
    url.pathname = `${this.base.pathname.replace(/\/$/, '')}/auth/oauth/token`;
    const body = new URLSearchParams({
      grant_type: 'password',
      username: this.credentials.key,
      password: this.credentials.secret,
    }).toString();
    const r = await this.send(
      'POST',
      url,
      async () => ({
        authorization: `Basic ${Buffer.from('public-client:public').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      }),
      body,
    );
    if (r.status === 400 || r.status === 401)
      throw new ApiError(
        'the API key or secret was rejected (check DATTO_API_KEY and DATTO_API_SECRET)',
        r.status,
        { fatal: true },
      );
    if (r.status !== 200)
      throw new ApiError(`getting a token failed with HTTP ${r.status}`, r.status, { fatal: true });
    let token: unknown;
    try {
      token = (JSON.parse(r.text) as { access_token?: unknown }).access_token;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || token === '')
      throw new ApiError('the token answer has no access_token', undefined, { fatal: true });
    return token;
  }

  /** Refreshes an expired token once: concurrent 401s on the same token share one refresh. */
  private refreshToken(stale: string): Promise<string> {
    if (this.refreshedFrom !== stale) {
      this.refreshedFrom = stale;
      return this.getToken(true);
    }
    return this.getToken();
  }

  private getToken(refresh = false): Promise<string> {
    if (!this.token || refresh) {
      const t = this.fetchToken();
      this.token = t;
      t.catch(() => {
        if (this.token === t) this.token = null;
      });
    }
    return this.token;
  }

  /**
   * A JSON request with the bearer token; a 401 refreshes the token once. An answer that is empty
   * is null; one that is not JSON, or an HTTP error, is an ApiError (fatal only when the run
   * cannot go on: see ApiError.fatal).
   */
  async request(
    method: 'GET' | 'POST',
    pathOrUrl: string | URL,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<unknown> {
    const { signal } = options;
    const url = typeof pathOrUrl === 'string' ? this.url(pathOrUrl) : pathOrUrl;
    const path = url.pathname + url.search;
    let token = await abortable(this.getToken(), signal);
    const headers = async () => ({
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    });
    const json = body === undefined ? undefined : JSON.stringify(body);
    let r = await this.send(method, url, headers, json, signal);
    if (r.unauthorized) {
      token = await abortable(this.refreshToken(token), signal);
      r = await this.send(method, url, headers, json, signal);
      if (r.unauthorized)
        throw new ApiError(`${method} ${path}: unauthorized (401) after a fresh token`, 401, {
          fatal: true,
        });
    }
    if (r.status === 404) throw new ApiError(`${method} ${path}: not found (404)`, 404);
    if (r.status < 200 || r.status >= 300)
      throw new ApiError(`${method} ${path}: HTTP ${r.status}`, r.status);
    if (r.text.trim() === '') return null;
    try {
      return JSON.parse(r.text);
    } catch {
      throw new ApiError(`${method} ${path}: the answer is not JSON`);
    }
  }

  /**
   * Follows `nextPageUrl` from `path`, yielding the `key` items of each page. A listing that would
   * not end is stopped with an ApiError: a next URL seen before, an empty page that names a next
   * one, or more pages than the first page's `totalCount` makes (plus a margin for devices added
   * while the listing runs).
   */
  async *pages(path: string, key: string, options: RequestOptions = {}): AsyncGenerator<unknown[]> {
    let url: URL | null = this.url(path);
    const seen = new Set<string>();
    let n = 0;
    /** Pages the first page announces: ceil(totalCount / its item count); null when it does not say. */
    let announced: { pages: number; total: number; perPage: number } | null = null;
    while (url) {
      const at = `GET ${url.pathname}${url.search}`;
      if (seen.has(url.href))
        throw new ApiError(`${path}: nextPageUrl loops back to ${url.pathname}${url.search}`);
      seen.add(url.href);
      const page = (await this.request('GET', url, undefined, options)) as {
        pageDetails?: { nextPageUrl?: unknown; totalCount?: unknown } | null;
      } | null;
      if (page === null || typeof page !== 'object')
        throw new ApiError(
          `${at}: the answer is ${page === null ? 'empty' : `a ${typeof page}`}, not a page of "${key}"`,
        );
      const items = (page as Record<string, unknown>)[key];
      if (!Array.isArray(items)) throw new ApiError(`${at}: the page has no "${key}" array`);
      n++;
      const total = page.pageDetails?.totalCount;
      if (n === 1 && typeof total === 'number' && Number.isInteger(total) && total >= 0 && items.length > 0)
        announced = { pages: Math.ceil(total / items.length), total, perPage: items.length };
      yield items;
      const next = page.pageDetails?.nextPageUrl;
      if (typeof next !== 'string' || next === '') break;
      if (items.length === 0)
        throw new ApiError(
          `${at}: page ${n} is empty but names a next page; stopped following nextPageUrl (the listing would not end)`,
        );
      if (announced && n >= announced.pages + pageMargin(announced.pages))
        throw new ApiError(
          `${at}: page ${n} still names a next page, though totalCount ${announced.total} at ${announced.perPage} per page makes ${announced.pages}; stopped following nextPageUrl (the listing would not end)`,
        );
      url = this.followUrl(next, at);
    }
  }
}

/**
 * Reads the key and secret: DATTO_API_KEY and DATTO_API_SECRET, or a credentials file (JSON
 * `{"key", "secret"}` or two lines `DATTO_API_KEY=…`). Never from a flag.
 */
export function credentialsFrom(
  env: NodeJS.ProcessEnv,
  fileText?: { name: string; text: string },
): ApiCredentials {
  if (fileText) {
    const t = fileText.text.trim();
    let key: unknown;
    let secret: unknown;
    if (t.startsWith('{')) {
      try {
        const j = JSON.parse(t) as Record<string, unknown>;
        key = j.key ?? j.apiKey ?? j.DATTO_API_KEY;
        secret = j.secret ?? j.apiSecret ?? j.DATTO_API_SECRET;
      } catch {
        throw new InputError(fileText.name, 'is not valid JSON (expected {"key": …, "secret": …})');
      }
    } else {
      for (const line of t.split(/\r?\n/)) {
        const m = /^\s*(DATTO_API_KEY|DATTO_API_SECRET)\s*=\s*(.*?)\s*$/.exec(line);
        if (m?.[1] === 'DATTO_API_KEY') key = m[2];
        if (m?.[1] === 'DATTO_API_SECRET') secret = m[2];
      }
    }
    if (typeof key !== 'string' || !key || typeof secret !== 'string' || !secret)
      throw new InputError(
        fileText.name,
        'has no key and secret (give {"key": …, "secret": …} or lines DATTO_API_KEY=… and DATTO_API_SECRET=…)',
      );
    return { key, secret };
  }
  const key = env.DATTO_API_KEY;
  const secret = env.DATTO_API_SECRET;
  if (!key || !secret)
    throw new UsageError(
      'the API key and secret are missing: set DATTO_API_KEY and DATTO_API_SECRET, or pass --credentials FILE',
    );
  return { key, secret };
}
