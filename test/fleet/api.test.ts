// The API source against a fake Datto API on 127.0.0.1: exact findings for a seeded fleet (paging,
// listing gaps, malformed devices, clones, foreign values, oversized links), every fault the issue
// names, the request budget never exceeded, and no key, secret or token in any output or log.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { main } from '../../bin/main.js';
import {
  credentialsFrom,
  DattoClient,
  parseApiBase,
  RequestBudget,
  retryAfterMs,
} from '../../lib/fleet/api.js';
import { validateApi } from '../../lib/fleet/api-run.js';
import { applyRepairPlan, buildRepairPlan, parseRepairPlan, repairPlanJson } from '../../lib/fleet/repair.js';
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
const BUDGET = 25;
const LISTING = {
  'dev-0000002': ['listing-account-missing'],
  'dev-orphan': ['listing-site-missing', 'udf-empty'],
};

const client = fakeClient;

describe('fleet API source (fake Datto API)', function () {
  this.timeout(60_000);
  let fake: FakeDatto;
  const fleet = seededFleet(120, 4, 7);
  beforeEach(async () => {
    const f = seededFleet(120, 4, 7);
    fake = await startFake({ ...f.seed, limit: 30, windowMs: WINDOW });
  });
  afterEach(() => fake.stop());

  it('--audit none: every planted finding and both listing gaps, exactly; the budget is kept', async () => {
    const c = client(fake);
    const { result } = await validateApi(c, profile, { audit: 'none' });
    assert.deepEqual(
      sortedEntries(actualFindings(result.devices)),
      sortedEntries(expectedFindings(fleet.samples, 'none', LISTING)),
    );
    assert.equal(result.summary.devices, 121);
    assert.equal(result.summary.counts['listing-account-missing'], 1);
    assert.equal(result.summary.counts['listing-site-missing'], 1);
    assert.equal(result.summary.counts['device-malformed'], 3);
    assert.equal(result.summary.requests, fake.log.length);
    assert.ok(fake.maxInWindow(WINDOW) <= BUDGET, `max ${fake.maxInWindow(WINDOW)} in a window`);
    // Paging: 4 sites of 30 devices at 7 per page = 5 pages each; the account listing 120/7 → 18.
    assert.equal(fake.log.filter((l) => l.path.startsWith('/api/v2/site/')).length, 20);
    assert.equal(fake.log.filter((l) => l.path.startsWith('/api/v2/account/devices')).length, 18);
  });

  it('--audit all: the account salt comes from the sites; audits prove or cannot prove each ID', async () => {
    const c = client(fake);
    const plans: unknown[] = [];
    const { result } = await validateApi(c, profile, {
      audit: 'all',
      concurrency: 4,
      onPlan: (p) => void plans.push(p),
    });
    assert.deepEqual(
      sortedEntries(actualFindings(result.devices)),
      sortedEntries(expectedFindings(fleet.samples, 'all', LISTING)),
    );
    assert.equal(result.summary.counts['id-mismatch'], 3);
    assert.equal(result.summary.recompute.verified, 9);
    assert.equal((plans[0] as { devices: number }).devices, 120);
    assert.ok(fake.maxInWindow(WINDOW) <= BUDGET);
  });

  it('--audit flagged audits only devices with findings or a shared ID', async () => {
    const { result } = await validateApi(client(fake), profile, { audit: 'flagged' });
    const flagged = (_uid: string, codes: Set<string>, clone: boolean) => codes.size > 0 || clone;
    assert.deepEqual(
      sortedEntries(actualFindings(result.devices)),
      sortedEntries(expectedFindings(fleet.samples, flagged, LISTING)),
    );
    const audits = fake.log.filter((l) => l.path.startsWith('/api/v2/audit/')).length;
    assert.ok(audits > 0 && audits < 60, `${audits} audits`);
  });

  it('survives 429 with Retry-After, 403, an expired token, slow answers and dropped connections', async () => {
    fake.faults.push(
      { match: /account\/sites/, times: 1, status: 429, retryAfter: '1' },
      { match: /site\/.*\/devices/, times: 2, drop: true },
      { match: /account\/devices/, times: 1, status: 403 },
      { match: /site\/.*\/devices/, times: 1, delayMs: 2500 },
      { match: /site\/.*\/devices/, times: 1, status: 500 },
    );
    const events: string[] = [];
    const c = client(fake, { onRequest: (e) => events.push(`${e.status} ${e.next ?? ''}`) });
    const run = validateApi(c, profile, { audit: 'none' });
    // Expire the token once the run is under way: the next request gets 401 and refreshes once.
    setTimeout(() => fake.expireTokens(), 300);
    const { result } = await run;
    assert.deepEqual(
      sortedEntries(actualFindings(result.devices)),
      sortedEntries(expectedFindings(fleet.samples, 'none', LISTING)),
    );
    assert.ok(events.includes('429 wait 1000 ms (Retry-After)'), events.join('\n'));
    assert.ok(events.some((e) => e.startsWith('403 back off')));
    assert.ok(events.some((e) => e.startsWith('network-error retry')));
    assert.ok(events.some((e) => e.startsWith('timeout retry')));
    assert.ok(events.some((e) => e.startsWith('500 retry')));
    assert.equal(fake.issued.length, 2, 'one token, then exactly one refresh');
    assert.ok(fake.maxInWindow(WINDOW) <= BUDGET);
  });

  it('gives up after bounded retries, naming the request', async () => {
    fake.faults.push({ match: /account\/sites/, times: 99, drop: true });
    await assert.rejects(
      validateApi(client(fake, { retries: 2 }), profile, { audit: 'none' }),
      /GET \/api\/v2\/account\/sites: the connection failed after 3 attempts/,
    );
  });

  it('never follows a nextPageUrl to another origin (the token would go with it)', async () => {
    await fake.stop();
    fake = await startFake({
      ...seededFleet(120, 4, 7).seed,
      windowMs: WINDOW,
      nextPageOrigin: 'http://127.0.0.2:9',
    });
    await assert.rejects(
      validateApi(client(fake), profile, { audit: 'none' }),
      /nextPageUrl points to http:\/\/127\.0\.0\.2:9, not http:\/\/127\.0\.0\.1:\d+; refusing to send the token there/,
    );
  });

  it('a server limit below the budget: 429s are waited out and the run completes exactly', async () => {
    await fake.stop();
    const f = seededFleet(120, 4, 7);
    fake = await startFake({ ...f.seed, windowMs: WINDOW, limit: 12 });
    const events: string[] = [];
    const { result } = await validateApi(
      client(fake, { onRequest: (e) => events.push(String(e.status)) }),
      profile,
      {
        audit: 'none',
      },
    );
    assert.ok(events.filter((e) => e === '429').length > 0);
    assert.deepEqual(
      sortedEntries(actualFindings(result.devices)),
      sortedEntries(expectedFindings(f.samples, 'none', LISTING)),
    );
  });

  it('a 403 that does not lift is an error after bounded back-offs, naming the likely causes', async () => {
    fake.faults.push({ match: /account\/sites/, times: 99, status: 403 });
    await assert.rejects(
      validateApi(client(fake), profile, { audit: 'none' }),
      /GET \/api\/v2\/account\/sites: forbidden \(403\) 3 times; Datto blocks an address/,
    );
  });

  it('validates only the sites the integration names (datto.siteUids); an unknown site is an error', async () => {
    const scope = [fleet.seed.sites[1]?.uid as string, fleet.seed.sites[3]?.uid as string];
    const { result } = await validateApi(client(fake), profile, { audit: 'none', siteUids: scope });
    const inScope = fleet.samples.filter((s) => scope.includes(String(s.device.siteUid)));
    // Clone pairs span sites: within the scope, a cluster is two in-scope devices with one ID.
    const expected = expectedFindings(inScope, 'none');
    const byId = new Map<string, string[]>();
    for (const s of inScope) {
      const m = /id=([0-9a-f]{64})(?:&|$)/.exec(
        String((s.device.udf as Record<string, unknown> | undefined)?.udf5 ?? ''),
      );
      if (m?.[1]) byId.set(m[1], [...(byId.get(m[1]) ?? []), String(s.device.uid)]);
    }
    for (const [uid, codes] of expected) {
      const rest = codes.filter((c) => c !== 'id-clone');
      if (rest.length > 0) expected.set(uid, rest);
      else expected.delete(uid);
    }
    for (const uids of byId.values())
      if (uids.length > 1)
        for (const u of uids) expected.set(u, [...(expected.get(u) ?? []), 'id-clone'].sort());
    // dev-0000002 (missing from the account listing) is in site 2, out of scope; so is the orphan.
    assert.deepEqual(sortedEntries(actualFindings(result.devices)), sortedEntries(expected));
    assert.equal(result.summary.devices, 60);
    await assert.rejects(
      validateApi(client(fake), profile, { audit: 'none', siteUids: ['site-nope'] }),
      /datto\.siteUids name a site the account does not have: site-nope/,
    );
  });

  it('a rejected key is a clear error that names neither key nor secret', async () => {
    const c = new DattoClient({
      baseUrl: fake.url,
      credentials: { key: KEY, secret: 'wrong' },
      windowMs: WINDOW,
      budget: BUDGET,
    });
    await assert.rejects(validateApi(c, profile, { audit: 'none' }), (e: Error) => {
      assert.match(e.message, /API key or secret was rejected/);
      assert.ok(!e.message.includes(KEY) && !e.message.includes('wrong'));
      return true;
    });
  });

  it('repair: a dry run writes nothing, --yes writes only known links, never a foreign value, and a second run changes nothing', async () => {
    const c = client(fake);
    const run = await validateApi(c, profile, { audit: 'all' });
    const plan = buildRepairPlan(run.result, run.validator, profile);
    const writes = plan.entries.filter((e) => e.action === 'write-udf');
    // Per 40 devices: host-mac (verified ID, wrong host) and stale-mac (one NIC: the expected ID is known).
    assert.deepEqual(
      writes.map((e) => e.uid),
      ['dev-0000035', 'dev-0000039', 'dev-0000075', 'dev-0000079', 'dev-0000115', 'dev-0000119'],
    );
    const foreign = plan.entries.filter((e) => e.foreign);
    assert.equal(foreign.length, 3);
    const log: string[] = [];
    const dry = await applyRepairPlan(c, plan, profile, { yes: false, log: (l) => void log.push(l) });
    assert.equal(dry.written, 0);
    assert.equal(fake.writes.length, 0);
    const first = await applyRepairPlan(c, plan, profile, { yes: true, log: (l) => void log.push(l) });
    assert.equal(first.written, 6);
    assert.equal(fake.writes.length, 6);
    assert.equal(log.filter((l) => l.startsWith('written ')).length, 6);
    for (const e of writes)
      assert.equal((fake.device(e.uid)?.udf as Record<string, string> | undefined)?.udf5, e.value);
    const second = await applyRepairPlan(c, plan, profile, { yes: true, log: () => {} });
    assert.equal(second.written, 0);
    assert.equal(second.outcomes.filter((o) => o.outcome === 'already').length, 6);
    // A foreign value is written only when the plan releases it.
    const released = parseRepairPlan('p.json', repairPlanJson(plan));
    const f = released.entries.find((e) => e.foreign);
    assert.ok(f);
    Object.assign(f, {
      action: 'write-udf',
      value: 'https://partner.bright-av.web/console/device?id=' + 'a'.repeat(64),
    });
    const kept = await applyRepairPlan(c, released, profile, { yes: true, log: () => {} });
    assert.ok(kept.outcomes.some((o) => o.uid === f.uid && o.outcome === 'foreign-kept'));
    f.overwriteForeign = true;
    const over = await applyRepairPlan(c, released, profile, { yes: true, log: () => {} });
    assert.ok(over.outcomes.some((o) => o.uid === f.uid && o.outcome === 'written'));
  });
});

describe('fleet API client pieces', () => {
  it('refuses plain http except on loopback, and credentials in the URL', () => {
    assert.equal(
      parseApiBase('https://pinotage-api.centrastage.net/api/').href,
      'https://pinotage-api.centrastage.net/',
    );
    assert.equal(parseApiBase('http://127.0.0.1:8080').host, '127.0.0.1:8080');
    assert.equal(parseApiBase('http://[::1]:8080').hostname, '[::1]');
    assert.throws(() => parseApiBase('http://pinotage-api.centrastage.net'), /only https: is allowed/);
    assert.throws(
      () => parseApiBase('https://k:s@pinotage-api.centrastage.net'),
      /must not carry credentials/,
    );
    assert.throws(() => parseApiBase('pinotage'), /is not a URL/);
  });
  it('reads the key and secret from the environment or a file, never from elsewhere', () => {
    assert.deepEqual(credentialsFrom({ DATTO_API_KEY: 'k', DATTO_API_SECRET: 's' }), {
      key: 'k',
      secret: 's',
    });
    assert.deepEqual(
      credentialsFrom({}, { name: 'c.env', text: 'DATTO_API_KEY=k1\nDATTO_API_SECRET = s1\n' }),
      {
        key: 'k1',
        secret: 's1',
      },
    );
    assert.deepEqual(credentialsFrom({}, { name: 'c.json', text: '{"key":"k2","secret":"s2"}' }), {
      key: 'k2',
      secret: 's2',
    });
    assert.throws(() => credentialsFrom({ DATTO_API_KEY: 'k' }), /set DATTO_API_KEY and DATTO_API_SECRET/);
    assert.throws(
      () => credentialsFrom({}, { name: 'c.json', text: '{"key":"only-key-xyz"}' }),
      (e: Error) => /c\.json: has no key and secret/.test(e.message) && !e.message.includes('only-key-xyz'),
    );
  });

  it('reads Retry-After in seconds and as an HTTP date', () => {
    assert.equal(retryAfterMs('3'), 3000);
    assert.equal(
      retryAfterMs('Sun, 29 Nov 2026 12:00:10 GMT', Date.parse('Sun, 29 Nov 2026 12:00:00 GMT')),
      10_000,
    );
    assert.equal(retryAfterMs(null), null);
  });
  it('the budget lets no more than N requests hold a place in one window', async () => {
    const b = new RequestBudget(3, 200);
    const t0 = performance.now();
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 7 }, async () => {
        const release = await b.take();
        starts.push(performance.now() - t0);
        release();
      }),
    );
    starts.sort((a, z) => a - z);
    // 3 at once, 3 more a window later, the 7th a window after that.
    assert.ok(
      (starts[2] as number) < 190 && (starts[3] as number) >= 195 && (starts[6] as number) >= 395,
      starts.join(','),
    );
  });
});

describe('rmmkit udf validate (CLI) against the fake API', function () {
  this.timeout(60_000);
  let fake: FakeDatto;
  let dir: string;
  before(async () => {
    fake = await startFake({ ...seededFleet(60, 3, 9).seed, windowMs: WINDOW });
    dir = mkdtempSync(join(tmpdir(), 'rmmkit-fleet-cli-'));
    writeBrightIntegration(dir);
    writeFileSync(join(dir, 'creds.json'), JSON.stringify({ key: KEY, secret: SECRET }));
  });
  after(async () => {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints {summary, devices}, writes the log, HTML and plan, exits 1 over --max-findings; no secret anywhere', async () => {
    const env = { NO_COLOR: '1', DATTO_API_KEY: KEY, DATTO_API_SECRET: SECRET };
    const args = [
      'udf',
      'validate',
      '--integration',
      'bright.yaml',
      '--api',
      fake.url,
      '--budget',
      '20',
      '--window-ms',
      String(WINDOW),
    ];
    const out = [
      '--json',
      '--audit',
      'all',
      '--log',
      'req.log',
      '--html',
      'r.html',
      '--repair-plan',
      'plan.json',
    ];
    const r = await runCli([...args, ...out], { env, cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as {
      summary: { devices: number; findings: number };
      devices: {
        uid: string;
        hostname: string;
        siteUid: string;
        findings: { code: string; message: string }[];
      }[];
    };
    assert.deepEqual(Object.keys(doc), ['summary', 'devices']);
    assert.equal(doc.summary.devices, 61);
    for (const d of doc.devices) {
      assert.deepEqual(Object.keys(d), ['uid', 'hostname', 'siteUid', 'findings']);
      for (const f of d.findings) assert.deepEqual(Object.keys(f), ['code', 'message']);
    }
    assert.match(r.stderr, /--audit all: 60 devices on 3 sites need about \d+ requests/);
    const high = await runCli([...args, '--max-findings', '1000'], { env, cwd: dir });
    assert.equal(high.code, 0, high.stderr);
    const csv = await runCli([...args, '--csv', '--credentials', 'creds.json'], {
      env: { NO_COLOR: '1' },
      cwd: dir,
    });
    assert.equal(csv.code, 1);
    assert.match(csv.stdout, /^uid,hostname,siteUid,code,message\r\n/);
    const repair = await runCli(
      [
        'udf',
        'repair',
        'plan.json',
        '--integration',
        'bright.yaml',
        '--api',
        fake.url,
        '--window-ms',
        String(WINDOW),
        '--log',
        'repair.log',
      ],
      { env, cwd: dir },
    );
    assert.equal(repair.code, 0, repair.stderr);
    assert.match(
      repair.stdout,
      /^Repair: 0 written, \d+ rerun-component, 2 would-write \(dry run: pass --yes to write\)\n$/,
    );
    const yes = await runCli(
      [
        'udf',
        'repair',
        'plan.json',
        '--integration',
        'bright.yaml',
        '--api',
        fake.url,
        '--window-ms',
        String(WINDOW),
        '--yes',
        '--log',
        'repair-yes.log',
      ],
      { env, cwd: dir },
    );
    assert.equal(yes.code, 0, yes.stderr);
    assert.match(yes.stdout, /^Repair: 2 written, /);
    assert.equal(
      readFileSync(join(dir, 'repair-yes.log'), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('written dev-')).length,
      2,
    );
    const again = await runCli(
      [
        'udf',
        'repair',
        'plan.json',
        '--integration',
        'bright.yaml',
        '--api',
        fake.url,
        '--window-ms',
        String(WINDOW),
        '--yes',
      ],
      { env, cwd: dir },
    );
    assert.match(again.stdout, /^Repair: 0 written, \d+ rerun-component, 2 already\n$/);
    const texts = [
      r.stdout,
      r.stderr,
      high.stdout,
      high.stderr,
      csv.stdout,
      csv.stderr,
      repair.stdout,
      repair.stderr,
      yes.stdout,
      yes.stderr,
      again.stdout,
      again.stderr,
    ];
    for (const f of ['req.log', 'r.html', 'plan.json', 'repair.log', 'repair-yes.log'])
      texts.push(readFileSync(join(dir, f), 'utf8'));
    assert.ok(readFileSync(join(dir, 'req.log'), 'utf8').split('\n').length > 60);
    assert.ok(fake.issued.length >= 3);
    for (const secret of [KEY, SECRET, ...fake.issued, Buffer.from(`${KEY}:${SECRET}`).toString('base64')])
      for (const t of texts) assert.ok(!t.includes(secret), `a secret leaked: ${secret.slice(0, 6)}…`);
  });

  it('shows progress on stderr only on a TTY; stdout stays clean JSON', async () => {
    const env = { NO_COLOR: '1', DATTO_API_KEY: KEY, DATTO_API_SECRET: SECRET };
    const args = [
      'udf',
      'validate',
      '--integration',
      'bright.yaml',
      '--api',
      fake.url,
      '--json',
      '--max-findings',
      '1000',
    ];
    const run = async (tty: boolean) => {
      let out = '';
      let err = '';
      const code = await main([...args, '--window-ms', String(WINDOW)], {
        stdout: {
          write: (c: string) => {
            out += c;
            return true;
          },
        },
        stderr: {
          write: (c: string) => {
            err += c;
            return true;
          },
          isTTY: tty,
        },
        stdin: Readable.from(['']),
        env,
        cwd: dir,
      });
      return { code, out, err };
    };
    const tty = await run(true);
    assert.equal(tty.code, 0, tty.err);
    assert.match(tty.err, /devices \d+\/60 \| requests \d+ \(\d+\/500 in window\)/);
    assert.match(tty.err, /\d+ requests in \d+ s/);
    assert.equal((JSON.parse(tty.out) as { summary: { devices: number } }).summary.devices, 61);
    const plain = await run(false);
    assert.equal(plain.code, 0);
    assert.equal(plain.err, '');
  });

  it('usage errors exit 2: no source, both sources, http to a remote host, missing credentials', async () => {
    const base = ['udf', 'validate', '--integration', 'bright.yaml'];
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [base, {}, /exactly one source/],
      [[...base, '--api', fake.url, '--input', 'x.json'], {}, /exactly one source/],
      [
        [...base, '--api', 'http://example.com'],
        { DATTO_API_KEY: 'k', DATTO_API_SECRET: 's' },
        /only https: is allowed/,
      ],
      [[...base, '--api', fake.url], {}, /DATTO_API_KEY and DATTO_API_SECRET/],
    ];
    for (const [args, env, re] of cases) {
      const r = await runCli(args, { env: { NO_COLOR: '1', ...env }, cwd: dir });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
    }
  });
});
