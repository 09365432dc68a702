// The API source's limits against the fake Datto API on 127.0.0.1: --api values that carry a
// secret, Retry-After beyond the cap, a fatal error that stops every worker, a failed site listing
// as a finding, paging that would not end, --window-ms, a 403 that persists; no secret in any output.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError, DattoClient, parseApiBase } from '../../lib/fleet/api.js';
import { mapLimit, siteRowUid, validateApi } from '../../lib/fleet/api-run.js';
import { buildRepairPlan } from '../../lib/fleet/repair.js';
import { runCli } from '../helpers/cli.js';
import { actualFindings, expectedFindings, sortedEntries } from './expected.js';
import type { FakeDatto } from './fake-datto.js';
import {
  fakeClient,
  KEY,
  profile,
  SECRET,
  seededFleet,
  startFake,
  writeBrightIntegration,
} from './fixtures.js';

const WINDOW = 400;
const LISTING = {
  'dev-0000002': ['listing-account-missing'],
  'dev-orphan': ['listing-site-missing', 'udf-empty'],
};

/** Every text these tests see (errors, request events, CLI output), grepped for secrets at the end. */
const outputs: string[] = [];
/** Every token a fake issued, with the key and secret. */
const secrets = new Set<string>([KEY, SECRET, Buffer.from(`${KEY}:${SECRET}`).toString('base64')]);

function client(fake: FakeDatto, extra: Partial<ConstructorParameters<typeof DattoClient>[0]> = {}) {
  return fakeClient(fake, { onRequest: (e) => outputs.push(JSON.stringify(e)), ...extra });
}

/** The error a promise rejects with (its message kept for the secret grep). */
async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    outputs.push((err as Error).message);
    return err as Error;
  }
  assert.fail('expected a rejection');
}

/** Index of the first request at the fake whose path matches. */
function firstAt(fake: FakeDatto, re: RegExp): number {
  const i = fake.log.findIndex((l) => re.test(l.path));
  assert.ok(i >= 0, `no request matched ${re}`);
  return i;
}

const waitMs = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('fleet API: --api never echoes a secret', () => {
  const cases: [string, string, RegExp][] = [
    ['http://user:PW-http@example.com', 'PW-http', /must not carry credentials/],
    ['ftp://user:PW-ftp@x', 'PW-ftp', /must not carry credentials/],
    ['https://user:PW-port@host:99999', 'PW-port', /must not carry credentials/],
    ['https:user:PW-noslash@host', 'PW-noslash', /must not carry credentials/],
    ['https://pinotage-api.centrastage.net/api?apikey=PW-query', 'PW-query', /must not have a query/],
    ['https://pinotage-api.centrastage.net/#PW-frag', 'PW-frag', /must not have a query \(\?…\) or fragment/],
    ['http://example.com/?token=PW-plain', 'PW-plain', /uses http:.*only https: is allowed/],
    ['ftp://example.com/PW-ftp-path', 'PW-ftp-path', /uses ftp:.*only https: is allowed/],
    ['not a url PW-text', 'PW-text', /is not a URL/],
    ['https://host:99999/PW-badport', 'PW-badport', /is not a URL/],
  ];
  for (const [raw, secret, re] of cases)
    it(`${raw.replace(secret, '…')}: ${re.source.slice(0, 30)}`, () => {
      assert.throws(
        () => parseApiBase(raw),
        (e: Error) => {
          outputs.push(e.message);
          assert.match(e.message, re);
          assert.ok(!e.message.includes(secret), e.message);
          // Each says what is allowed.
          assert.match(e.message, /https:\/\/pinotage-api\.centrastage\.net|only https: is allowed/);
          return true;
        },
      );
    });
  it('names the origin (never the path or query) when the URL parses', () => {
    assert.throws(
      () => parseApiBase('https://pinotage-api.centrastage.net/api?apikey=PW-q2'),
      /^UsageError: --api https:\/\/pinotage-api\.centrastage\.net… must not have/,
    );
  });
});

describe('fleet API: limits of the run (fake Datto API)', function () {
  this.timeout(60_000);
  let fake: FakeDatto;
  const fleet = seededFleet(120, 4, 7);
  const siteUid = (i: number) => fleet.seed.sites[i]?.uid as string;
  beforeEach(async () => {
    fake = await startFake({ ...seededFleet(120, 4, 7).seed, limit: 30, windowMs: WINDOW });
  });
  afterEach(async () => {
    for (const t of fake.issued) secrets.add(t);
    await fake.stop();
  });

  describe('Retry-After beyond the cap ends the run with the value named; no timer overflow', () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    before(() => process.on('warning', onWarning));
    after(() => process.off('warning', onWarning));
    const far = new Date(Date.now() + 3 * 3600_000).toUTCString();
    const cases: [string, string, RegExp][] = [
      ['seconds', '3600', /Retry-After "3600", a wait of 60 min, longer than the 60 s this client waits/],
      ['an HTTP date', far, /Retry-After "[^"]+ GMT", a wait of 3 h, longer than the 60 s/],
      ['a huge number', '99999999999', /Retry-After "99999999999", a wait of \d+ h, longer than the 60 s/],
      ['the far future', 'Fri, 31 Dec 9999 23:59:59 GMT', /Retry-After "Fri, 31 Dec 9999 23:59:59 GMT"/],
    ];
    for (const [name, header, re] of cases)
      it(`${name}: ${header}`, async () => {
        fake.faults.push({ match: /site\/.*\/devices/, times: 99, status: 429, retryAfter: header });
        const e = await rejection(validateApi(client(fake), profile, { audit: 'none' }));
        assert.ok(e instanceof ApiError && e.fatal && e.status === 429);
        assert.match(e.message, /^GET \/api\/v2\/site\/[^ ]+\/devices: rate-limited \(429\) with /);
        assert.match(e.message, re);
        assert.match(e.message, /the run stops: try again later/);
        // Each request that got it gave up at once: no wait, no retry.
        const limited = fake.log.filter((l) => /site\/.*\/devices/.test(l.path)).length;
        assert.ok(limited <= 4, `${limited} site requests`);
        assert.deepEqual(
          warnings.filter((w) => w === 'TimeoutOverflowWarning'),
          [],
        );
      });
    it('a Retry-After within the cap is waited out (the cap is an option)', async () => {
      fake.faults.push({ match: /account\/sites/, times: 1, status: 429, retryAfter: '1' });
      const events: string[] = [];
      const c = client(fake, {
        maxRetryAfterMs: 1000,
        onRequest: (e) => {
          outputs.push(JSON.stringify(e));
          events.push(`${e.status} ${e.next}`);
        },
      });
      const { result } = await validateApi(c, profile, { audit: 'none' });
      assert.equal(result.summary.devices, 121);
      assert.ok(events.includes('429 wait 1000 ms (Retry-After)'), events.join('\n'));
      fake.faults.push({ match: /account\/sites/, times: 1, status: 429, retryAfter: '2' });
      const e = await rejection(validateApi(c, profile, { audit: 'none' }));
      assert.match(e.message, /Retry-After "2", a wait of 2 s, longer than the 1 s this client waits/);
    });
  });

  it('a 429 pauses every worker for its Retry-After, not only the request that got it', async () => {
    fake.faults.push({ match: /site\/.*\/devices\?page=1$/, times: 1, status: 429, retryAfter: '1' });
    const { result } = await validateApi(client(fake), profile, { audit: 'none' });
    assert.equal(result.summary.devices, 121);
    const i = firstAt(fake, /site\/.*\/devices\?page=1$/);
    const at = fake.log[i]?.at as number;
    // Requests already on the way when the 429 came may arrive just after it; none starts in the pause.
    const during = fake.log.filter((l) => l.at > at + 400 && l.at < at + 950);
    assert.deepEqual(
      during.map((l) => l.path),
      [],
    );
  });

  it('a fatal error stops every worker: only the requests already in flight follow it', async () => {
    await fake.stop();
    const f = seededFleet(120, 12, 3);
    fake = await startFake({ ...f.seed, limit: 30, windowMs: WINDOW });
    const target = new RegExp(`site/${f.seed.sites[5]?.uid}/devices\\?page=1$`);
    fake.faults.push({ match: target, times: 1, status: 429, retryAfter: '3600' });
    const e = await rejection(validateApi(client(fake), profile, { audit: 'none' }));
    assert.match(e.message, /rate-limited \(429\) with Retry-After "3600"/);
    // Client and server share one process: a request sent just before the failure may be logged
    // after the run rejected. Let everything in flight land, then count.
    await waitMs(3 * WINDOW);
    const failedAt = firstAt(fake, target);
    const after = fake.log.slice(failedAt + 1).map((l) => l.path);
    // In flight at that moment: at most one request of each other site worker and of the account
    // listing. Without the stop, 11 other sites (4 pages each) and the account listing (40 pages)
    // would run on.
    assert.ok(after.length <= 4, `${after.length} requests after the failure: ${after.join(', ')}`);
  });

  it('mapLimit: the first failure stops new items and waits for those in flight', async () => {
    let started = 0;
    let running = 0;
    const boom = new Error('item 4 failed');
    const run = new AbortController();
    const p = mapLimit(
      Array.from({ length: 50 }, (_, i) => i),
      3,
      async (i) => {
        started++;
        running++;
        await waitMs(i === 4 ? 5 : 20);
        running--;
        if (i === 4) throw boom;
        return i;
      },
      run,
    );
    await assert.rejects(p, (e) => e === boom);
    // The work beside it, sharing the controller, is told at once, with the error.
    assert.equal(run.signal.reason, boom);
    assert.equal(running, 0, 'a call still ran after mapLimit rejected');
    // Items 0-2 first, then 3-5 as they end; item 4 fails while 3 and 5 run: 6 started.
    assert.equal(started, 6);
    const ctl = new AbortController();
    let calls = 0;
    const q = mapLimit(
      [1, 2, 3, 4, 5, 6],
      2,
      async () => {
        if (++calls === 2) ctl.abort(new Error('stopped from outside'));
        await waitMs(5);
      },
      ctl,
    );
    await assert.rejects(q, /stopped from outside/);
    assert.equal(calls, 2);
  });

  describe('one site that cannot be listed is a finding; the others and the account listing carry on', () => {
    /** Expected findings when site `i`'s listing fails after its first `seen` devices. */
    const expectFailedSite = (i: number, seen: number) => {
      const exp = expectedFindings(fleet.samples, 'none', LISTING);
      const ofSite = fleet.samples.filter((s) => s.device.siteUid === siteUid(i));
      for (const s of ofSite.slice(seen)) {
        const uid = String(s.device.uid);
        exp.set(uid, [...(exp.get(uid) ?? []), 'listing-site-missing'].sort());
      }
      exp.set(siteRowUid(siteUid(i)), ['listing-site-failed']);
      return exp;
    };
    const cases: [
      string,
      (i: number) => { match: RegExp; status?: 404 | 500; body?: string },
      number,
      RegExp,
    ][] = [
      [
        'a site deleted since the sites were listed (404)',
        (i) => ({ match: new RegExp(`site/${siteUid(i)}/devices`), status: 404 }),
        0,
        /failed after 0 devices: GET \/api\/v2\/site\/[^ ]+\/devices: not found \(404\)/,
      ],
      [
        'a page without a devices array',
        (i) => ({
          match: new RegExp(`site/${siteUid(i)}/devices\\?page=1$`),
          body: '{"pageDetails":{"count":0,"totalCount":30,"nextPageUrl":null}}',
        }),
        7,
        /failed after 7 devices: GET \/api\/v2\/site\/[^ ]+\/devices\?page=1: the page has no "devices" array/,
      ],
      [
        'an empty answer',
        (i) => ({ match: new RegExp(`site/${siteUid(i)}/devices$`), body: '' }),
        0,
        /the answer is empty, not a page of "devices"/,
      ],
      [
        'an answer that is not JSON',
        (i) => ({ match: new RegExp(`site/${siteUid(i)}/devices\\?page=2$`), body: '<html>' }),
        14,
        /failed after 14 devices: .*the answer is not JSON/,
      ],
      [
        'a server error that outlasts the retries',
        (i) => ({ match: new RegExp(`site/${siteUid(i)}/devices$`), status: 500 }),
        0,
        /HTTP 500/,
      ],
    ];
    for (const [name, fault, seen, re] of cases)
      it(name, async () => {
        fake.faults.push({ times: 99, ...fault(1) });
        const { result, validator } = await validateApi(client(fake), profile, { audit: 'none' });
        assert.deepEqual(
          sortedEntries(actualFindings(result.devices)),
          sortedEntries(expectFailedSite(1, seen)),
        );
        const row = result.devices.find((d) => d.uid === siteRowUid(siteUid(1)));
        assert.ok(row);
        assert.equal(row.siteUid, siteUid(1));
        assert.match(row.findings[0]?.message ?? '', re);
        outputs.push(JSON.stringify(result));
        // Every device still checked (the failed site's through the account listing); the site row is no device.
        assert.equal(result.summary.devices, 121);
        assert.equal(result.summary.counts['listing-site-failed'], 1);
        assert.equal(
          result.summary.devicesWithFindings,
          result.devices.filter(
            (d) => d.uid !== row.uid && d.findings.some((x) => x.code !== 'id-not-recomputable'),
          ).length,
        );
        const site = result.summary.sites.find((s) => s.siteUid === siteUid(1));
        assert.equal(site?.devicesWithFindings, 30 - seen + expectedOnSite(1, seen));
        const missing = result.devices.find(
          (d) =>
            d.siteUid === siteUid(1) &&
            d.uid !== row.uid &&
            d.findings.some((x) => x.code === 'listing-site-missing'),
        );
        assert.match(
          missing?.findings.find((x) => x.code === 'listing-site-missing')?.message ?? '',
          /not by its site's listing, which failed \(listing-site-failed on Site 001\)/,
        );
        // The repair plan has nothing to rewrite for a site row.
        const plan = buildRepairPlan(result, validator, profile);
        assert.ok(!plan.entries.some((e) => e.uid === row.uid));
      });

    /** Devices among the first `seen` of site `i` that have a finding of their own. */
    function expectedOnSite(i: number, seen: number): number {
      const exp = expectedFindings(fleet.samples, 'none', LISTING);
      return fleet.samples
        .filter((s) => s.device.siteUid === siteUid(i))
        .slice(0, seen)
        .filter((s) => (exp.get(String(s.device.uid)) ?? []).length > 0).length;
    }

    it('401 after a fresh token, a 403 that persists and a Retry-After past the cap still end the run', async () => {
      const site = new RegExp(`site/${siteUid(1)}/devices`);
      for (const [fault, re] of [
        [{ status: 401 as const }, /unauthorized \(401\) after a fresh token/],
        [{ status: 403 as const }, /forbidden \(403\) 3 times/],
        [{ status: 429 as const, retryAfter: '600' }, /Retry-After "600"/],
      ] as const) {
        fake.faults.length = 0;
        fake.faults.push({ match: site, times: 99, ...fault });
        const e = await rejection(validateApi(client(fake), profile, { audit: 'none' }));
        assert.match(e.message, re);
      }
    });
  });

  describe('paging that would not end is stopped, as a finding of that site', () => {
    it('an empty page naming a next page, again and again', async () => {
      const site = new RegExp(`site/${siteUid(3)}/devices`);
      fake.faults.push({ match: site, times: 10_000, endless: 'empty' });
      const { result } = await validateApi(client(fake), profile, { audit: 'none' });
      const row = result.devices.find((d) => d.uid === siteRowUid(siteUid(3)));
      outputs.push(JSON.stringify(row));
      assert.match(
        row?.findings[0]?.message ?? '',
        /GET \/api\/v2\/site\/[^ ]+\/devices: page 1 is empty but names a next page; stopped following nextPageUrl/,
      );
      assert.equal(fake.log.filter((l) => site.test(l.path)).length, 1);
      assert.equal(result.summary.devices, 121);
    });
    it('full pages past the count totalCount announces', async () => {
      const site = new RegExp(`site/${siteUid(2)}/devices`);
      fake.faults.push({ match: site, times: 10_000, endless: 'repeat' });
      const { result } = await validateApi(client(fake), profile, { audit: 'none' });
      const row = result.devices.find((d) => d.uid === siteRowUid(siteUid(2)));
      outputs.push(JSON.stringify(row));
      // 30 devices at 7 per page: 5 pages, and a margin of 2.
      assert.match(
        row?.findings[0]?.message ?? '',
        /page 7 still names a next page, though totalCount 30 at 7 per page makes 5; stopped following nextPageUrl/,
      );
      assert.equal(fake.log.filter((l) => site.test(l.path)).length, 7);
      assert.equal(result.summary.devices, 121);
    });
  });

  it('the account listing that would not end ends the run (it belongs to no one site), in bounded requests', async () => {
    fake.faults.push({ match: /account\/devices/, times: 10_000, endless: 'empty' });
    const e = await rejection(validateApi(client(fake), profile, { audit: 'none' }));
    assert.match(
      e.message,
      /^GET \/api\/v2\/account\/devices: page 1 is empty but names a next page; stopped following nextPageUrl \(the listing would not end\)$/,
    );
    await waitMs(3 * WINDOW);
    assert.equal(fake.log.filter((l) => l.path.startsWith('/api/v2/account/devices')).length, 1);
  });

  it('a 403 that persists on every audit ends an --audit all run after its back-offs, in bounded requests', async () => {
    fake.faults.push({ match: /\/api\/v2\/audit\/device\//, times: 100_000, status: 403 });
    const e = await rejection(validateApi(client(fake), profile, { audit: 'all', concurrency: 4 }));
    assert.match(
      e.message,
      /^GET \/api\/v2\/audit\/device\/[^ ]+: forbidden \(403\) 3 times; .* or the API user lacks the permission for this request; the run stops/,
    );
    await waitMs(3 * WINDOW);
    const audits = fake.log.filter((l) => l.path.startsWith('/api/v2/audit/')).length;
    // At most 4 site workers × 4 audits in flight, 3 attempts each; before, all 120 devices × 3.
    assert.ok(audits <= 48, `${audits} audit requests`);
  });
});

describe('fleet API: --window-ms is checked', () => {
  const make = (baseUrl: string, windowMs: number, budget = 500) =>
    new DattoClient({ baseUrl, credentials: { key: KEY, secret: SECRET }, windowMs, budget });
  const remote = 'https://pinotage-api.centrastage.net';
  for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 1.5, 3_600_001])
    it(`${bad} is refused, naming the value and what is allowed`, () => {
      for (const base of [remote, 'http://127.0.0.1:9'])
        assert.throws(
          () => make(base, bad),
          (e: Error) =>
            outputs.push(e.message) > 0 &&
            e.name === 'UsageError' &&
            e.message.includes(
              `(--window-ms) ${bad} must be a whole number of milliseconds from 60000 to 3600000`,
            ),
        );
    });
  it('below 60000 only against a loopback --api (a test server)', () => {
    assert.throws(
      () => make(remote, 1000),
      /--window-ms\) 1000 ms is shorter than Datto's 60000 ms, so 500 requests per window would break the API's limit of 600 per 60 s; a shorter window is allowed only against a test server on a loopback --api/,
    );
    assert.throws(() => make(remote, 59_999), /shorter than Datto's 60000 ms/);
    assert.equal(make(remote, 60_000).budget.windowMs, 60_000);
    assert.equal(make(remote, 120_000).budget.windowMs, 120_000);
    for (const loop of ['http://127.0.0.1:9', 'http://localhost:9', 'http://[::1]:9', 'https://127.0.0.2:9'])
      assert.equal(make(loop, 1000).budget.windowMs, 1000);
  });
});

describe('rmmkit udf validate (CLI): the limits', function () {
  this.timeout(60_000);
  let fake: FakeDatto;
  let dir: string;
  const env = { NO_COLOR: '1', DATTO_API_KEY: KEY, DATTO_API_SECRET: SECRET };
  before(async () => {
    fake = await startFake({ ...seededFleet(60, 3, 9).seed, windowMs: WINDOW });
    dir = mkdtempSync(join(tmpdir(), 'rmmkit-fleet-limits-'));
    writeBrightIntegration(dir);
  });
  after(async () => {
    for (const t of fake.issued) secrets.add(t);
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const cli = async (args: string[]) => {
    const r = await runCli(['udf', 'validate', '--integration', 'bright.yaml', ...args], { env, cwd: dir });
    outputs.push(r.stdout, r.stderr);
    return r;
  };

  it('usage errors exit 2: a secret in --api (never printed), a bad --window-ms', async () => {
    const cases: [string[], RegExp, string?][] = [
      [['--api', 'http://user:PW-cli1@example.com'], /--api must not carry credentials/, 'PW-cli1'],
      [['--api', 'https://user:PW-cli2@host:99999'], /--api must not carry credentials/, 'PW-cli2'],
      [
        ['--api', 'https://example.com/?apikey=PW-cli3'],
        /--api https:\/\/example\.com… must not have a query/,
        'PW-cli3',
      ],
      [['--api', fake.url, '--window-ms', '0'], /\(--window-ms\) 0 must be a whole number/],
      [['--api', fake.url, '--window-ms', '-1'], /\(--window-ms\) -1 must be a whole number/],
      [['--api', fake.url, '--window-ms', 'abc'], /\(--window-ms\) NaN must be a whole number/],
      [
        ['--api', 'https://pinotage-api.centrastage.net', '--window-ms', '1000'],
        /\(--window-ms\) 1000 ms is shorter than Datto's 60000 ms/,
      ],
    ];
    for (const [args, re, secret] of cases) {
      const r = await cli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      if (secret) assert.ok(!r.stderr.includes(secret) && !r.stdout.includes(secret), r.stderr);
    }
    // No request reached the server.
    assert.equal(fake.log.length, 0);
  });

  it('a 403 on every audit: exit 1 with the reason, the log kept; a failed site: exit 1 with the finding', async () => {
    fake.faults.push({ match: /\/api\/v2\/audit\/device\//, times: 100_000, status: 403 });
    const r = await cli([
      '--api',
      fake.url,
      '--window-ms',
      String(WINDOW),
      '--audit',
      'all',
      '--log',
      'req.log',
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /forbidden \(403\) 3 times; .*lacks the permission for this request; the run stops/,
    );
    outputs.push(readFileSync(join(dir, 'req.log'), 'utf8'));
    fake.faults.length = 0;
    fake.faults.push({ match: /site\/[^/]+\/devices\?page=1$/, times: 1, status: 404 });
    const s = await cli([
      '--api',
      fake.url,
      '--window-ms',
      String(WINDOW),
      '--csv',
      '--max-findings',
      '1000',
    ]);
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stdout, /\r\n"?\(site site-[^,]+\)"?,,site-[^,]+,listing-site-failed,/);
  });
});

describe('fleet API limits: no secret in any output', () => {
  it('no key, secret or token in any error, request event or CLI output of these tests', () => {
    assert.ok(outputs.length > 50, `${outputs.length} outputs`);
    assert.ok(secrets.size > 3, 'tokens were issued');
    for (const secret of secrets)
      for (const t of outputs) assert.ok(!t.includes(secret), `a secret leaked: ${secret.slice(0, 6)}…`);
  });
});
