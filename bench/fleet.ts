// Benchmark of fleet validation: 100,000 devices as a JSON export and as CSV (devices/s, peak RSS,
// ratio to a bare JSON.parse / bare csv-parse of the same file), and 100,000 devices through the
// fake Datto API at the rate budget against the floor that budget sets.
// Each measurement runs in its own child process so its peak RSS is its own.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const N = Number(process.env.BENCH_FLEET_N ?? 100_000);
/** The API window, scaled down from Datto's 60 s so the bench takes seconds (budget per window unchanged). */
const WINDOW_MS = Number(process.env.BENCH_FLEET_WINDOW_MS ?? 30_000);
const BUDGET = 500;
const SALT = 'acct-bench-0000-4000-8000-000000000001';

const BRIGHT = {
  vendor: 'Bright',
  product: 'Bright Antivirus',
  link: {
    template: 'https://partner.bright-av.web/console/device?id={ID}',
    hosts: ['partner.bright-av.web'],
    salt: { kind: 'account' as const },
    udf: { slot: 7, max: 30 },
  },
};

interface ChildResult {
  ms: number;
  devices: number;
  rssMb: number;
  extra?: Record<string, number>;
}

/**
 * The library as users run it: the compiled dist/ (`npm run bench` builds it first), not the
 * sources through the test loader, whose per-function helpers and loader hooks add their own cost.
 */
async function builtFleet(): Promise<typeof import('../lib/fleet/index.js')> {
  const built = new URL('../dist/lib/fleet/index.js', import.meta.url);
  if (!existsSync(built))
    throw new Error(
      `bench/fleet.ts measures the built library: run npm run build first (${built.pathname} is missing)`,
    );
  return (await import(built.href)) as typeof import('../lib/fleet/index.js');
}

async function child(mode: string, file: string): Promise<ChildResult> {
  const fleet = await builtFleet();
  const profile = fleet.fleetProfileFromIntegration(BRIGHT);
  const t0 = performance.now();
  let devices = 0;
  let extra: Record<string, number> | undefined;
  if (mode === 'validate-json' || mode === 'validate-csv') {
    const { result } = await fleet.validateExport(file, profile, { saltValue: SALT });
    devices = result.summary.devices;
  } else if (mode === 'parse-json') {
    const all = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
    devices = all.length;
  } else if (mode === 'parse-csv') {
    const { parse } = await import('csv-parse/sync');
    const rows = parse(readFileSync(file, 'utf8'), { columns: true, bom: true }) as unknown[];
    devices = rows.length;
  } else if (mode === 'api') {
    const { FakeDatto } = await import('../test/fleet/fake-datto.js');
    const sites = 40;
    const samples = fleet.sampleFleet(profile, { devices: N, sites, salt: SALT });
    const devs: { raw: unknown; site: string }[] = [];
    for (const s of samples) devs.push({ raw: s.device, site: String(s.device.siteUid) });
    const fake = await new FakeDatto({
      key: 'k',
      secret: 's',
      accountUid: SALT,
      sites: Array.from({ length: sites }, (_, i) => ({ uid: fleet.siteUidOf(i), name: `Site ${i}` })),
      devices: devs,
      pageSize: 250,
      limit: 600,
      windowMs: WINDOW_MS,
    }).start();
    const client = new fleet.DattoClient({
      baseUrl: fake.url,
      credentials: { key: 'k', secret: 's' },
      budget: BUDGET,
      windowMs: WINDOW_MS,
    });
    const start = performance.now();
    const { result } = await fleet.validateApi(client, profile, { audit: 'none', concurrency: 4 });
    const ms = performance.now() - start;
    devices = result.summary.devices;
    extra = {
      requests: client.requests,
      floorMs: fleet.floorMs(client.requests, BUDGET, WINDOW_MS),
      maxInWindow: fake.maxInWindow(WINDOW_MS),
      ms,
    };
    await fake.stop();
  }
  const ms = extra?.ms ?? performance.now() - t0;
  return { ms, devices, rssMb: process.resourceUsage().maxRSS / 1024, ...(extra ? { extra } : {}) };
}

function runChild(mode: string, file: string): ChildResult {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--import', 'tsx/esm', self, 'child', mode, file], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`bench child ${mode} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as ChildResult;
}

/** The best of `runs` runs of each mode, the modes alternating (so a change in the machine's load hits both alike). */
function bestOf(modes: string[], file: string, runs = 3): ChildResult[] {
  const best: (ChildResult | null)[] = modes.map(() => null);
  for (let i = 0; i < runs; i++)
    modes.forEach((mode, k) => {
      const r = runChild(mode, file);
      const b = best[k];
      if (!b || r.ms < b.ms) best[k] = r;
    });
  return best as ChildResult[];
}

const rate = (r: ChildResult) => `${Math.round((r.devices / r.ms) * 1000).toLocaleString('en')} devices/s`;

export async function benchFleet(): Promise<void> {
  const fleet = await import('../lib/fleet/index.js');
  const profile = fleet.fleetProfileFromIntegration(BRIGHT);
  const dir = mkdtempSync(join(tmpdir(), 'rmmkit-bench-fleet-'));
  try {
    const json = join(dir, 'fleet.json');
    const csv = join(dir, 'fleet.csv');
    await fleet.writeSampleExport(json, 'json', profile, { devices: N, sites: 40, salt: SALT });
    await fleet.writeSampleExport(csv, 'csv', profile, { devices: N, sites: 40, salt: SALT });
    console.log(
      `# fleet: ${N.toLocaleString('en')} devices, Node ${process.version}, the built library (dist/) (best of 3 alternating runs, each in its own process)`,
    );
    for (const [label, file, v, bare] of [
      ['JSON export', json, 'validate-json', 'parse-json'],
      ['CSV export', csv, 'validate-csv', 'parse-csv'],
    ] as const) {
      const [a, b] = bestOf([v, bare], file) as [ChildResult, ChildResult];
      const mb = (statSync(file).size / 1e6).toFixed(1);
      console.log(
        `${label} (${mb} MB): validate ${a.ms.toFixed(0)} ms, ${rate(a)}, peak RSS ${a.rssMb.toFixed(0)} MB | bare ${bare === 'parse-json' ? 'JSON.parse' : 'csv-parse (sync)'} ${b.ms.toFixed(0)} ms, peak RSS ${b.rssMb.toFixed(0)} MB | ratio ${(a.ms / b.ms).toFixed(2)}x (target <= 3x)`,
      );
    }
    // BENCH_FLEET_API=0 leaves the half-minute API run out (the export figures alone).
    if (process.env.BENCH_FLEET_API === '0') return;
    const api = runChild('api', '-');
    const e = api.extra ?? {};
    console.log(
      `API (fake, 127.0.0.1; window scaled to ${WINDOW_MS} ms, budget ${BUDGET} per window): ${api.devices.toLocaleString('en')} devices, ${e.requests} requests in ${(api.ms / 1000).toFixed(2)} s; floor ${((e.floorMs ?? 0) / 1000).toFixed(2)} s; ratio ${(api.ms / Math.max(1, e.floorMs ?? 1)).toFixed(2)}x (target <= 1.2x); most requests in one window at the server: ${e.maxInWindow}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'child') {
  const r = await child(process.argv[3] as string, process.argv[4] as string);
  console.log(JSON.stringify(r));
} else if (import.meta.url === `file://${process.argv[1]}`) {
  await benchFleet();
}
