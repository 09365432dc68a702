// Start-up benchmark of the built CLI (issue: "a CLI that starts fast"), side by side in one run:
//   rmmkit --version                      vs  node -e 0                    (target <= 1.6x)
//   rmmkit component pack (one export)    vs  a minimal Python packer       (target <= 1.0x)
//     (the fast path: bin/fast.ts, one CommonJS file compiled with a V8 code cache)
//   rmmkit component pack --out-dir (10)  vs  10 separate pack processes    (what --out-dir saves)
// Runs alternate, so machine noise hits every contender alike; figures are the median and the
// minimum wall time of ROUNDS runs. Needs `npm run build` (bench/run.ts does it) and python3.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { packageRoot } from '../lib/paths.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21);
const ROOT = packageRoot();
const CLI = join(ROOT, 'dist', 'bin', 'rmmkit.js');
const EXPORT = join(ROOT, 'test', 'fixtures', 'component', 'current-applications.cpt');

function timeRun(argv: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0] as string, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const min = (xs: number[]) => Math.min(...xs);

export function benchStartup(): void {
  const tmp = mkdtempSync(join(tmpdir(), 'rmmkit-startup-'));
  try {
    // One real export as a source folder; the Python baseline reads the same folder, with the
    // metadata as JSON (its standard library has no YAML reader).
    const src = join(tmp, 'src', 'current-applications');
    const unpack = spawnSync(process.execPath, [CLI, 'component', 'unpack', EXPORT, '--out', src]);
    if (unpack.status !== 0) throw new Error(`unpack failed: ${unpack.stderr}`);
    const meta = parse(readFileSync(join(src, 'component.yaml'), 'utf8'));
    const json = JSON.stringify({ general: meta.general, variables: meta.variables, script: meta.script });
    writeFileSync(join(src, 'component.json'), json);
    const many: string[] = [];
    for (let i = 0; i < 10; i++) {
      const d = join(tmp, 'many', `c${i}`);
      mkdirSync(d, { recursive: true });
      spawnSync('cp', ['-R', `${src}/.`, d]);
      many.push(d);
    }
    const py = join(ROOT, 'bench', 'baseline', 'pack_component.py');
    const node = process.execPath;
    const runs: Record<string, () => number> = {
      'node -e 0': () => timeRun([node, '-e', '0']),
      'rmmkit --version': () => timeRun([node, CLI, '--version']),
      'python3 pack': () => timeRun(['python3', py, src, join(tmp, 'py.cpt')]),
      'rmmkit component pack': () =>
        timeRun([node, CLI, 'component', 'pack', src, '--out', join(tmp, 'rk.cpt'), '--force']),
      'rmmkit pack x10 (10 processes)': () =>
        many.reduce(
          (t, d, i) =>
            t + timeRun([node, CLI, 'component', 'pack', d, '--out', join(tmp, `s${i}.cpt`), '--force']),
          0,
        ),
      'rmmkit pack --out-dir x10 (1 process)': () =>
        timeRun([node, CLI, 'component', 'pack', ...many, '--out-dir', join(tmp, 'outdir'), '--force']),
    };
    // Whether the pack fast path ran with its V8 code cache (scripts/bundle-cli.mjs writes it).
    const trace = spawnSync(
      node,
      [CLI, 'component', 'pack', src, '--out', join(tmp, 'trace.cpt'), '--force'],
      { encoding: 'utf8', env: { ...process.env, RMMKIT_TRACE_CODE_CACHE: '1' } },
    );
    const cache = /code cache (used|not used)/.exec(trace.stderr)?.[1] ?? 'not loaded (no fast path?)';
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
    for (const run of Object.values(runs)) run(); // warm the file cache
    for (let r = 0; r < ROUNDS; r++) for (const [k, run] of Object.entries(runs)) times[k]?.push(run());
    console.log(
      `\nCLI start-up (${ROUNDS} alternating rounds; median / min wall ms; pack fast path code cache: ${cache})`,
    );
    for (const [k, xs] of Object.entries(times)) {
      console.log(
        `  ${k.padEnd(40)} ${median(xs).toFixed(1).padStart(7)} / ${min(xs).toFixed(1).padStart(7)}`,
      );
    }
    const ratio = (a: string, b: string) =>
      `${(median(times[a] as number[]) / median(times[b] as number[])).toFixed(2)}x median, ` +
      `${(min(times[a] as number[]) / min(times[b] as number[])).toFixed(2)}x min`;
    console.log(
      `  rmmkit --version / node -e 0            ${ratio('rmmkit --version', 'node -e 0')}  (target <= 1.6x)`,
    );
    console.log(
      `  component pack / python3 pack           ${ratio('rmmkit component pack', 'python3 pack')}  (target <= 1.0x)`,
    );
    console.log(
      `  pack --out-dir x10 / 10 processes       ${ratio('rmmkit pack --out-dir x10 (1 process)', 'rmmkit pack x10 (10 processes)')}`,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
