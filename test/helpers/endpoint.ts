// Runs the generated endpoint hashers in tests: the sh shells that exist here, and a PowerShell engine
// (RMMKIT_PSHOST, the tools/pshost build, or pwsh on PATH). Shared by the parity and collector tests.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { packageRoot } from '../../lib/paths.js';
import { quoteSh } from '../../lib/render/quote.js';

export interface Shell {
  name: string;
  argv: string[];
}

/** Every shell the issue names; `available` filters to those installed here. */
export const SHELLS: readonly Shell[] = [
  { name: 'dash', argv: ['dash'] },
  { name: 'bash', argv: ['bash'] },
  { name: 'bash --posix', argv: ['bash', '--posix'] },
  { name: 'busybox sh', argv: ['busybox', 'sh'] },
  { name: 'zsh --emulate sh', argv: ['zsh', '--emulate', 'sh'] },
];

export function onPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, command))) return join(dir, command);
  }
  return null;
}

export function availableShells(): Shell[] {
  return SHELLS.filter((s) => onPath(s.argv[0] as string) !== null);
}

export interface PowerShellEngine {
  /** Command line that runs a script file: [...argv, file]. */
  argv: string[];
  kind: 'pshost' | 'pwsh';
}

const PSHOST_DIR = join(packageRoot(), 'tools', 'pshost');
const PSHOST_BIN = join(PSHOST_DIR, 'bin', 'Release', 'net10.0', 'pshost');

/**
 * Builds tools/pshost when no other engine is chosen, dotnet is here, and the binary is missing
 * or older than its sources, so a plain `npm test` on a fresh clone runs the PowerShell tests as
 * CI does. A failed build is said once; the PowerShell tests then skip visibly.
 */
export function ensurePshost(): void {
  if (process.env.RMMKIT_PSHOST || onPath('pwsh') || !onPath('dotnet')) return;
  const sources = ['Program.cs', 'pshost.csproj'].map((f) => statSync(join(PSHOST_DIR, f)).mtimeMs);
  if (existsSync(PSHOST_BIN) && statSync(PSHOST_BIN).mtimeMs >= Math.max(...sources)) return;
  console.log('  building tools/pshost (the PowerShell engine the tests run scripts in) …');
  const r = spawnSync('dotnet', ['build', '-c', 'Release', PSHOST_DIR], {
    encoding: 'utf8',
    timeout: 600000,
  });
  if (r.status !== 0) {
    console.log(`  tools/pshost did not build (exit ${r.status}); PowerShell tests will be SKIPPED`);
  }
}

/** The PowerShell engine for tests, or null (tests then skip with a visible notice). */
export function findPowerShell(): PowerShellEngine | null {
  const env = process.env.RMMKIT_PSHOST;
  // RMMKIT_PSHOST=none turns PowerShell off, to check that the tests then skip visibly.
  if (env === 'none') return null;
  if (env && existsSync(env)) return { argv: [env], kind: 'pshost' };
  if (existsSync(PSHOST_BIN)) return { argv: [PSHOST_BIN], kind: 'pshost' };
  const pwsh = onPath('pwsh');
  if (pwsh) return { argv: [pwsh, '-NoProfile', '-NonInteractive', '-File'], kind: 'pwsh' };
  return null;
}

/** Skips the current test with a line on the console, so a skip is never mistaken for a pass. */
export function skipNoPowerShell(ctx: Mocha.Context): void {
  console.log('      SKIPPED: no PowerShell engine (build tools/pshost with dotnet, or install pwsh)');
  ctx.skip();
}

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Runs argv with exactly `env` (plus PATH unless given), asynchronously. */
export function run(
  argv: string[],
  env: NodeJS.ProcessEnv,
  input?: string,
  cwd?: string,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] as string, argv.slice(1), {
      env: { PATH: process.env.PATH, ...env },
      cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/** Runs `tasks` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** A fresh temp directory with cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The override-mode inputs of one run: DEVID_* variables, '' or absent = unset. */
export interface OverrideTuple {
  mac: string;
  bb?: string;
  sys?: string;
  uuid?: string;
  salt?: string;
}

export function overrideEnv(t: OverrideTuple): Record<string, string> {
  const env: Record<string, string> = { DEVID_MAC: t.mac };
  if (t.bb) env.DEVID_BB = t.bb;
  if (t.sys) env.DEVID_SYS = t.sys;
  if (t.uuid) env.DEVID_UUID = t.uuid;
  if (t.salt) env.DEVID_SALT = t.salt;
  return env;
}

const END = '@@rmmkit-end rc=';

/**
 * One sh process hashes every tuple: a driver script sets the DEVID_* variables (as sh literals made
 * by quoteSh, so the quoting helper is exercised with every hostile value) and runs the hasher in a
 * subshell per tuple. Returns each tuple's stdout and exit code, and the driver's whole stderr.
 */
export async function runShDriver(
  shell: Shell,
  script: string,
  tuples: readonly OverrideTuple[],
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<{ results: { stdout: string; code: number }[]; stderr: string }> {
  const tmp = tempDir('rmmkit-driver-');
  try {
    const hasher = join(tmp.dir, 'devid.sh');
    writeFileSync(hasher, script);
    const lines: string[] = [];
    for (const t of tuples) {
      const env = overrideEnv(t);
      for (const name of ['DEVID_MAC', 'DEVID_BB', 'DEVID_SYS', 'DEVID_UUID', 'DEVID_SALT']) {
        const v = env[name];
        lines.push(v === undefined ? `unset ${name}` : `${name}=${quoteSh(v)}; export ${name}`);
      }
      lines.push(`( . ${quoteSh(hasher)} ); printf '${END}%s\\n' "$?"`);
    }
    const driver = join(tmp.dir, 'driver.sh');
    writeFileSync(driver, `${lines.join('\n')}\n`);
    const r = await run([...shell.argv, driver], extraEnv);
    const parts = r.stdout.split(END);
    const results: { stdout: string; code: number }[] = [];
    for (let i = 0; i < tuples.length; i++) {
      const out = parts[i] as string;
      // Each part after the first starts with the previous tuple's "<rc>\n".
      const body = i === 0 ? out : out.slice(out.indexOf('\n') + 1);
      const rcText = (parts[i + 1] ?? '').split('\n')[0] as string;
      results.push({ stdout: body, code: Number(rcText) });
    }
    return { results, stderr: r.stderr };
  } finally {
    tmp.cleanup();
  }
}

/** One pshost --batch process: one JSON line of environment per run in, one JSON result per run out. */
async function runPshostBatch(
  argv: string[],
  envs: readonly Record<string, string>[],
  extraEnv: NodeJS.ProcessEnv,
): Promise<{ stdout: string; stderr: string; code: number }[]> {
  const input = envs.map((e) => JSON.stringify(e)).join('\n');
  const r = await run(argv, extraEnv, `${input}\n`);
  if (r.code !== 0) throw new Error(`pshost failed (${r.code}): ${r.stderr}`);
  return r.stdout
    .trimEnd()
    .split('\n')
    .map((l) => {
      const o = JSON.parse(l) as { out: string; err: string; code: number };
      return { stdout: o.out, stderr: o.err, code: o.code };
    });
}

/** Runs the PowerShell script once per tuple in one engine process (pshost --batch) or per process (pwsh). */
export async function runPowerShellBatch(
  engine: PowerShellEngine,
  script: string,
  envs: readonly Record<string, string>[],
  extraEnv: NodeJS.ProcessEnv = {},
  prelude?: string,
): Promise<{ stdout: string; stderr: string; code: number }[]> {
  const tmp = tempDir('rmmkit-ps-');
  try {
    const file = join(tmp.dir, 'devid.ps1');
    writeFileSync(file, script);
    let preludeFile: string | undefined;
    if (prelude !== undefined) {
      preludeFile = join(tmp.dir, 'mocks.ps1');
      writeFileSync(preludeFile, prelude);
    }
    if (engine.kind === 'pshost') {
      const argv = [...engine.argv, '--batch', ...(preludeFile ? ['--prelude', preludeFile] : []), file];
      return await runPshostBatch(argv, envs, extraEnv);
    }
    // pwsh: one process per input; the prelude is dot-sourced by a small wrapper.
    let target = file;
    if (preludeFile) {
      target = join(tmp.dir, 'wrapper.ps1');
      writeFileSync(target, `. '${preludeFile}'\n& '${file}'\nexit $LASTEXITCODE\n`);
    }
    return mapLimit(envs, 4, async (e) => {
      const r = await run([...engine.argv, target], { ...extraEnv, ...e });
      return { stdout: r.stdout, stderr: r.stderr, code: r.code ?? -1 };
    });
  } finally {
    tmp.cleanup();
  }
}

/**
 * Runs the PowerShell script once per case, each case with its own environment and mock prelude
 * (dot-sourced before the script), in one pshost process; one pwsh process per case otherwise.
 */
export async function runPowerShellCases(
  engine: PowerShellEngine,
  script: string,
  cases: readonly { env: Record<string, string>; prelude: string }[],
): Promise<{ stdout: string; stderr: string; code: number }[]> {
  const tmp = tempDir('rmmkit-pscases-');
  try {
    const file = join(tmp.dir, 'devid.ps1');
    writeFileSync(file, script);
    const preludes = cases.map((c, i) => {
      const p = join(tmp.dir, `mocks-${i}.ps1`);
      writeFileSync(p, c.prelude);
      return p;
    });
    if (engine.kind === 'pshost') {
      const envs = cases.map((c, i) => ({ ...c.env, __prelude: preludes[i] as string }));
      return await runPshostBatch([...engine.argv, '--batch', file], envs, {});
    }
    return mapLimit(cases, 4, async (c) => {
      const i = cases.indexOf(c);
      const wrapper = join(tmp.dir, `wrapper-${i}.ps1`);
      writeFileSync(wrapper, `. '${preludes[i]}'\n& '${file}'\nexit $LASTEXITCODE\n`);
      const r = await run([...engine.argv, wrapper], c.env);
      return { stdout: r.stdout, stderr: r.stderr, code: r.code ?? -1 };
    });
  } finally {
    tmp.cleanup();
  }
}

/** shellcheck's findings on `script` as sh, or null when shellcheck is not installed. */
export function shellcheck(script: string): string | null {
  if (!onPath('shellcheck')) return null;
  const r = spawnSync('shellcheck', ['-s', 'sh', '-'], { input: script, encoding: 'utf8' });
  return r.stdout + r.stderr;
}
