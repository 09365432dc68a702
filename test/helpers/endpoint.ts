// Runs the generated endpoint scripts in tests: every sh shell the spec names, and real PowerShell
// (pwsh, many cases per process). Shared by the parity, collector and component tests.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../lib/paths.js';
import { quoteSh } from '../../lib/render/quote.js';
import { needTools, type ToolName, tool } from './tools.js';

export interface Shell {
  name: string;
  argv: string[];
  tool: ToolName;
}

/** Every shell the spec names. A test that runs them calls needShells, which skips (or fails in CI). */
export const SHELLS: readonly Shell[] = [
  { name: 'dash', argv: ['dash'], tool: 'dash' },
  { name: 'bash', argv: ['bash'], tool: 'bash' },
  { name: 'bash --posix', argv: ['bash', '--posix'], tool: 'bash' },
  { name: 'busybox sh', argv: ['busybox', 'sh'], tool: 'busybox' },
  { name: 'zsh --emulate sh', argv: ['zsh', '--emulate', 'sh'], tool: 'zsh' },
];

/**
 * All five shells, or a visible skip of the test (a failure under RMMKIT_REQUIRE_TOOLS=1): a test
 * never silently runs fewer shells than it claims.
 */
export function needShells(ctx: Mocha.Context, what: string): readonly Shell[] {
  needTools(ctx, what, ...new Set(SHELLS.map((s) => s.tool)));
  return SHELLS;
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

/** Runs `fn` over items with at most `limit` in flight, results in input order: the library's own. */
export { mapLimit } from '../../lib/fleet/api-run.js';

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

export interface PsResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** One PowerShell run: the script's text, its environment, and mocks dot-sourced before it. */
export interface PsCase {
  script: string;
  env?: Record<string, string>;
  prelude?: string;
}

const PS_DRIVER = join(packageRoot(), 'test', 'helpers', 'pwsh-batch.ps1');

/** pwsh on PATH (or in ~/.dotnet/tools); tests call needTools(this, …, 'pwsh') before running it. */
export function pwshPath(): string {
  const p = tool('pwsh');
  if (!p) throw new Error('pwsh is not installed; call needTools(this, …, "pwsh") first');
  return p;
}

/**
 * Runs every case under real pwsh (`-NoProfile -NonInteractive`), many cases per process (see
 * pwsh-batch.ps1): the cases are split over `processes` pwsh processes run side by side. `processEnv`
 * is the environment of those processes (LANG/LC_ALL choose the culture). Results in input order.
 */
export async function runPwshCases(
  cases: readonly PsCase[],
  processEnv: NodeJS.ProcessEnv = {},
  processes = 2,
): Promise<PsResult[]> {
  if (cases.length === 0) return [];
  const pwsh = pwshPath();
  const tmp = tempDir('rmmkit-ps-');
  try {
    const files = new Map<string, string>();
    const fileFor = (text: string, kind: string) => {
      let f = files.get(text);
      if (!f) {
        f = join(tmp.dir, `${kind}-${files.size}.ps1`);
        writeFileSync(f, text);
        files.set(text, f);
      }
      return f;
    };
    const specs = cases.map((c) => ({
      script: fileFor(c.script, 'script'),
      prelude: c.prelude === undefined ? null : fileFor(c.prelude, 'mocks'),
      env: c.env ?? {},
    }));
    const n = Math.max(1, Math.min(processes, Math.ceil(specs.length / 8)));
    const size = Math.ceil(specs.length / n);
    const chunks = Array.from({ length: n }, (_, i) => specs.slice(i * size, (i + 1) * size));
    const parts = await Promise.all(
      chunks.map(async (chunk, i) => {
        const casesFile = join(tmp.dir, `cases-${i}.json`);
        const resultsFile = join(tmp.dir, `results-${i}.jsonl`);
        writeFileSync(casesFile, JSON.stringify(chunk));
        const r = await run(
          [pwsh, '-NoProfile', '-NonInteractive', '-File', PS_DRIVER, casesFile, resultsFile],
          processEnv,
        );
        if (r.code !== 0 || !existsSync(resultsFile)) {
          throw new Error(`pwsh batch driver failed (exit ${r.code}): ${r.stderr}${r.stdout}`);
        }
        const lines = readFileSync(resultsFile, 'utf8').trimEnd().split('\n');
        if (lines.length !== chunk.length) {
          throw new Error(`pwsh batch driver returned ${lines.length} results for ${chunk.length} cases`);
        }
        return lines.map((l) => {
          const o = JSON.parse(l) as { out: string; err: string; code: number };
          return { stdout: o.out, stderr: o.err, code: o.code };
        });
      }),
    );
    return parts.flat();
  } finally {
    tmp.cleanup();
  }
}

/** Runs one script once per environment (plus an optional prelude), batched under pwsh. */
export function runPowerShellBatch(
  script: string,
  envs: readonly Record<string, string>[],
  processEnv: NodeJS.ProcessEnv = {},
  prelude?: string,
): Promise<PsResult[]> {
  return runPwshCases(
    envs.map((env) => ({ script, env, prelude })),
    processEnv,
  );
}

/** Runs one script once per case, each case with its own environment and mock prelude. */
export function runPowerShellCases(
  script: string,
  cases: readonly { env: Record<string, string>; prelude: string }[],
): Promise<PsResult[]> {
  return runPwshCases(cases.map((c) => ({ script, env: c.env, prelude: c.prelude })));
}

/** Runs a script file as its own `pwsh -NoProfile -NonInteractive -File` process (no batching). */
export async function runPwshFile(file: string, env: NodeJS.ProcessEnv = {}): Promise<PsResult> {
  const r = await run([pwshPath(), '-NoProfile', '-NonInteractive', '-File', file], env);
  return { stdout: r.stdout, stderr: r.stderr, code: r.code ?? -1 };
}

/** shellcheck's findings on `script` as sh, or null when shellcheck is not installed. */
export function shellcheck(script: string): string | null {
  const sc = tool('shellcheck');
  if (!sc) return null;
  const r = spawnSync(sc, ['-s', 'sh', '-'], { input: script, encoding: 'utf8' });
  return r.stdout + r.stderr;
}
