// A fake Datto RMM API v2 on 127.0.0.1 for the fleet tests and benchmark: token endpoint, sites,
// devices per site and per account with nextPageUrl paging, device, audit and UDF write endpoints;
// faults on demand (429 + Retry-After, 403, 401 on token expiry, slow answers, dropped
// connections); and a log of every request's arrival time to check the rate budget.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeFault {
  /** Applies to requests whose path and query match (default: every /api request). */
  match?: RegExp;
  /** How many matching requests it hits. */
  times: number;
  status?: 429 | 403 | 500 | 401 | 404;
  retryAfter?: string;
  /** Answer 200 with exactly this body (a broken page: empty, no items array, not JSON). */
  body?: string;
  /**
   * A listing that never ends: `empty` answers an empty page naming the next one; `repeat` answers
   * the first page's items again, with the true totalCount, naming the next page every time.
   */
  endless?: 'empty' | 'repeat';
  /** Answer this much later. */
  delayMs?: number;
  /** Destroy the socket without an answer. */
  drop?: boolean;
}

export interface FakeSeed {
  key: string;
  secret: string;
  accountUid: string;
  sites: { uid: string; name: string }[];
  /** Raw devices, each with a siteUid; malformed ones may lack it (then give `site`). */
  devices: { raw: unknown; site: string; audit?: unknown }[];
  /** UIDs the account listing leaves out. */
  notInAccount?: string[];
  /** Devices only the account listing shows (no site lists them). */
  accountOnly?: { raw: unknown; audit?: unknown }[];
  pageSize?: number;
  /** Server-side limit per window (Datto: 600 per 60 s); exceeding it answers 429. */
  limit?: number;
  windowMs?: number;
  /** Write nextPageUrl on this origin instead of the server's own (a hostile or broken server). */
  nextPageOrigin?: string;
}

export interface RequestLog {
  at: number;
  method: string;
  path: string;
  authorization: string;
  body: string;
}

export class FakeDatto {
  readonly server: Server;
  readonly log: RequestLog[] = [];
  readonly faults: FakeFault[] = [];
  readonly writes: { uid: string; body: Record<string, unknown> }[] = [];
  readonly tokens = new Set<string>();
  issued: string[] = [];
  private seed: FakeSeed;
  private bySite = new Map<string, unknown[]>();
  private byUid = new Map<string, { raw: unknown; audit?: unknown }>();
  private accountList: unknown[] = [];
  private arrivals: number[] = [];
  private tokenCount = 0;

  constructor(seed: FakeSeed) {
    this.seed = seed;
    for (const s of seed.sites) this.bySite.set(s.uid, []);
    const omitted = new Set(seed.notInAccount ?? []);
    for (const d of seed.devices) {
      this.bySite.get(d.site)?.push(d.raw);
      const uid = (d.raw as { uid?: unknown })?.uid;
      if (typeof uid === 'string') {
        this.byUid.set(uid, { raw: d.raw, audit: d.audit });
        if (!omitted.has(uid)) this.accountList.push(d.raw);
      } else this.accountList.push(d.raw);
    }
    for (const d of seed.accountOnly ?? []) {
      const uid = (d.raw as { uid: string }).uid;
      this.byUid.set(uid, d);
      this.accountList.push(d.raw);
    }
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        res.statusCode = 500;
        res.end(String(err));
      });
    });
  }

  get url(): string {
    const a = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${a.port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Invalidates every token: the next API request answers 401. */
  expireTokens(): void {
    this.tokens.clear();
  }

  /** The largest number of requests that arrived within any window. */
  maxInWindow(windowMs: number): number {
    const t = this.log.map((l) => l.at).sort((a, b) => a - b);
    let max = 0;
    let lo = 0;
    for (let hi = 0; hi < t.length; hi++) {
      while ((t[lo] as number) <= (t[hi] as number) - windowMs) lo++;
      max = Math.max(max, hi - lo + 1);
    }
    return max;
  }

  /** The current stored device (after UDF writes). */
  device(uid: string): Record<string, unknown> | undefined {
    return this.byUid.get(uid)?.raw as Record<string, unknown> | undefined;
  }

  private page(
    res: ServerResponse,
    url: URL,
    key: string,
    items: unknown[],
    endless?: FakeFault['endless'],
  ): void {
    const size = this.seed.pageSize ?? 250;
    const page = Number(url.searchParams.get('page') ?? '0');
    const slice =
      endless === 'empty'
        ? []
        : endless === 'repeat'
          ? items.slice(0, size)
          : items.slice(page * size, (page + 1) * size);
    const more = endless !== undefined || (page + 1) * size < items.length;
    const next = new URL(url.href);
    next.searchParams.set('page', String(page + 1));
    this.json(res, 200, {
      pageDetails: {
        count: slice.length,
        totalCount: items.length,
        prevPageUrl: page > 0 ? 'x' : null,
        nextPageUrl: more ? `${this.seed.nextPageOrigin ?? this.url}${next.pathname}${next.search}` : null,
      },
      [key]: slice,
    });
  }

  private json(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(text);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const now = performance.now();
    this.log.push({
      at: now,
      method: req.method ?? '',
      path: url.pathname + url.search,
      authorization: req.headers.authorization ?? '',
      body,
    });
    // Datto's limit: more than `limit` in the window answers 429.
    const windowMs = this.seed.windowMs ?? 60_000;
    this.arrivals = this.arrivals.filter((t) => t > now - windowMs);
    this.arrivals.push(now);
    if (this.arrivals.length > (this.seed.limit ?? 600)) {
      this.json(res, 429, { error: 'rate limit' }, { 'retry-after': '1' });
      return;
    }
    const fault = this.faults.find(
      (f) => f.times > 0 && (f.match ?? /^\/api\//).test(url.pathname + url.search),
    );
    let endless: FakeFault['endless'];
    if (fault) {
      fault.times--;
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.drop) {
        req.socket.destroy();
        return;
      }
      if (fault.status) {
        this.json(
          res,
          fault.status,
          { error: 'fault' },
          fault.retryAfter ? { 'retry-after': fault.retryAfter } : {},
        );
        return;
      }
      if (fault.body !== undefined) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(fault.body);
        return;
      }
      endless = fault.endless;
    }
    if (url.pathname === '/auth/oauth/token' && req.method === 'POST') {
      const form = new URLSearchParams(body);
      const basic = `Basic ${Buffer.from('public-client:public').toString('base64')}`;
      if (
        req.headers.authorization !== basic ||
        form.get('grant_type') !== 'password' ||
        form.get('username') !== this.seed.key ||
        form.get('password') !== this.seed.secret
      ) {
        this.json(res, 401, { error: 'invalid_grant' });
        return;
      }
      const token = `fake-token-${++this.tokenCount}-${Math.random().toString(36).slice(2)}`;
      this.tokens.add(token);
      this.issued.push(token);
      this.json(res, 200, { access_token: token, token_type: 'bearer', expires_in: 360000 });
      return;
    }
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !this.tokens.has(auth.slice(7))) {
      this.json(res, 401, { error: 'invalid_token' });
      return;
    }
    const p = url.pathname;
    const siteDevices = /^\/api\/v2\/site\/([^/]+)\/devices$/.exec(p);
    const device = /^\/api\/v2\/device\/([^/]+)$/.exec(p);
    const audit = /^\/api\/v2\/audit\/device\/([^/]+)$/.exec(p);
    const udf = /^\/api\/v2\/device\/([^/]+)\/udf$/.exec(p);
    if (p === '/api/v2/account/sites' && req.method === 'GET') {
      const sites = this.seed.sites.map((s, i) => ({
        id: i + 1,
        uid: s.uid,
        accountUid: this.seed.accountUid,
        name: s.name,
        devicesStatus: { numberOfDevices: this.bySite.get(s.uid)?.length ?? 0 },
      }));
      this.page(res, url, 'sites', sites);
    } else if (p === '/api/v2/account/devices' && req.method === 'GET') {
      this.page(res, url, 'devices', this.accountList, endless);
    } else if (siteDevices && req.method === 'GET') {
      const list = this.bySite.get(decodeURIComponent(siteDevices[1] ?? ''));
      if (!list) this.json(res, 404, { error: 'no such site' });
      else this.page(res, url, 'devices', list, endless);
    } else if (device && req.method === 'GET') {
      const d = this.byUid.get(decodeURIComponent(device[1] ?? ''));
      if (!d) this.json(res, 404, { error: 'no such device' });
      else this.json(res, 200, d.raw);
    } else if (audit && req.method === 'GET') {
      const d = this.byUid.get(decodeURIComponent(audit[1] ?? ''));
      if (!d?.audit) this.json(res, 404, { error: 'no audit' });
      else this.json(res, 200, d.audit);
    } else if (udf && req.method === 'POST') {
      const uid = decodeURIComponent(udf[1] ?? '');
      const d = this.byUid.get(uid);
      if (!d) {
        this.json(res, 404, { error: 'no such device' });
        return;
      }
      const update = JSON.parse(body) as Record<string, unknown>;
      const raw = d.raw as { udf?: Record<string, unknown> };
      raw.udf = { ...(raw.udf ?? {}) };
      for (const [k, v] of Object.entries(update)) raw.udf[k] = v === '' ? null : v;
      this.writes.push({ uid, body: update });
      res.writeHead(200);
      res.end();
    } else {
      this.json(res, 404, { error: `no route ${req.method} ${p}` });
    }
  }
}
