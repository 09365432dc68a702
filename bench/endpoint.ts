// Benchmark of the endpoint hashers (override mode): wall time per ID of the sh script under dash and
// bash against the floor `printf '%s' X | sha256sum`, and of the PowerShell script against a bare SHA-256
// in the same engine, each run the same number of times in the same run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { WORKED_EXAMPLES } from '../lib/devid/examples.js';
import { packageRoot } from '../lib/paths.js';
import { renderDevidScript } from '../lib/render/devid-script.js';

const N = Number(process.env.BENCH_ENDPOINT_N ?? 200);

// Worked example 2: a salted ID, as a Datto component computes it (account salt: two SHA-256 runs).
const EXAMPLE = WORKED_EXAMPLES[1]!;
const ENV = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  DEVID_MAC: EXAMPLE.input.mac as string,
  DEVID_BB: EXAMPLE.input.serials?.BB as string,
  DEVID_SALT: EXAMPLE.input.salt as string,
};

function onPath(cmd: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, cmd)));
}

/** Milliseconds for `n` sequential spawns of argv; checks the first run's output. */
function timeSpawns(argv: string[], n: number, check: string): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    // stdin ignored: with an open stdin pipe, bash -c with a pipeline stalls ~140 ms per run under
    // Node's spawnSync, which would flatter the hasher by inflating the floor.
    const r = spawnSync(argv[0] as string, argv.slice(1), {
      env: ENV,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (i === 0 && r.stdout !== check)
      throw new Error(`${argv.join(' ')} printed ${JSON.stringify(r.stdout)}`);
  }
  return performance.now() - t0;
}

function line(label: string, ms: number, n: number): string {
  return `${label.padEnd(44)} ${((ms / n) * 1000).toFixed(0).padStart(7)} us/ID  (${ms.toFixed(0)} ms for ${n})`;
}

export function benchEndpoint(): void {
  console.log(`# endpoint: ${N} IDs per measurement (override mode, worked example 2), best of 3 rounds`);
  const dir = mkdtempSync(join(tmpdir(), 'rmmkit-bench-'));
  try {
    const sh = join(dir, 'devid.sh');
    writeFileSync(sh, renderDevidScript({ target: 'sh' }));
    const canonicalFloor = `printf '%s' '${EXAMPLE.canonical}' | sha256sum`;
    for (const shell of ['dash', 'bash']) {
      if (!onPath(shell)) {
        console.log(`${shell}: not installed, skipped`);
        continue;
      }
      let script = Number.POSITIVE_INFINITY;
      let floor = Number.POSITIVE_INFINITY;
      for (let round = 0; round < 3; round++) {
        script = Math.min(script, timeSpawns([shell, sh], N, `${EXAMPLE.id}\n`));
        floor = Math.min(floor, timeSpawns([shell, '-c', canonicalFloor], N, `${EXAMPLE.id}  -\n`));
      }
      console.log(line(`sh hasher under ${shell}`, script, N));
      console.log(line(`floor: ${shell} -c "printf '%s' X | sha256sum"`, floor, N));
      console.log(
        `ratio     hasher / floor (${shell})             ${(script / floor).toFixed(2)}   (target <= 4)`,
      );
    }
    benchPowerShell(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function benchPowerShell(dir: string): void {
  const pwsh = spawnSync('pwsh', ['-NoProfile', '-NonInteractive', '-Command', '0'], { encoding: 'utf8' });
  if (pwsh.error || pwsh.status !== 0) {
    console.log('PowerShell: pwsh is not installed (npm run setup:tools), skipped');
    return;
  }
  const ps = join(dir, 'devid.ps1');
  writeFileSync(ps, renderDevidScript({ target: 'powershell' }));
  const bare = join(dir, 'bare.ps1');
  writeFileSync(
    bare,
    [
      `$b = [Text.Encoding]::UTF8.GetBytes('${EXAMPLE.canonical}')`,
      '$d = [Security.Cryptography.SHA256]::Create().ComputeHash($b)',
      "$h = ''",
      "foreach ($x in $d) { $h += $x.ToString('x2') }",
      '[Console]::Out.Write($h + "`n")',
    ].join('\n'),
  );
  // One pwsh process per measurement runs the script N times through the test suite's batch driver
  // (test/helpers/pwsh-batch.ps1); pwsh start-up is measured with an empty batch and subtracted from
  // both, so the ratio is per ID.
  const driver = join(packageRoot(), 'test', 'helpers', 'pwsh-batch.ps1');
  const batch = (file: string, n: number): number => {
    const cases = join(dir, 'cases.json');
    const results = join(dir, 'results.jsonl');
    writeFileSync(
      cases,
      JSON.stringify(Array.from({ length: n }, () => ({ script: file, prelude: null, env: ENV }))),
    );
    const t0 = performance.now();
    const r = spawnSync('pwsh', ['-NoProfile', '-NonInteractive', '-File', driver, cases, results], {
      encoding: 'utf8',
    });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`pwsh batch failed: ${r.stderr}`);
    if (n > 0) {
      const first = JSON.parse(readFileSync(results, 'utf8').split('\n')[0] as string) as { out: string };
      if (first.out !== `${EXAMPLE.id}\n`) throw new Error(`unexpected: ${first.out}`);
    }
    return ms;
  };
  let startup = Number.POSITIVE_INFINITY;
  let script = Number.POSITIVE_INFINITY;
  let floor = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    startup = Math.min(startup, batch(bare, 0));
    script = Math.min(script, batch(ps, N));
    floor = Math.min(floor, batch(bare, N));
  }
  console.log(`PowerShell start-up (pwsh, subtracted)             ${startup.toFixed(0)} ms`);
  console.log(line('PowerShell hasher (pwsh, per run in batch)', script - startup, N));
  console.log(line('floor: bare SHA-256 script, same pwsh', floor - startup, N));
  console.log(
    `ratio     hasher / floor (PowerShell)        ${((script - startup) / (floor - startup)).toFixed(2)}   (target <= 4)`,
  );
}
