// The external tools the test suite runs (shells, pwsh, shellcheck, Chromium, a locale …): where they
// are, and one way to skip a test that needs an absent one — or, under RMMKIT_REQUIRE_TOOLS=1, to fail.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Every tool a test may need, with the way to get it on Debian/Ubuntu and on macOS. */
export const TOOLS = {
  dash: { install: 'apt-get install dash' },
  bash: { install: 'apt-get install bash / brew install bash' },
  busybox: { install: 'apt-get install busybox' },
  zsh: { install: 'apt-get install zsh / brew install zsh' },
  shellcheck: { install: 'apt-get install shellcheck / brew install shellcheck' },
  pwsh: { install: 'dotnet tool install --global PowerShell --version 7.6.9' },
  setpriv: { install: 'apt-get install util-linux, and run the tests as root' },
  'tr_TR.UTF-8': { install: 'apt-get install locales && localedef -i tr_TR -f UTF-8 tr_TR.UTF-8' },
  chromium: { install: 'apt-get install chromium' },
  python3: { install: 'apt-get install python3' },
  linux: { install: 'run the tests on Linux' },
  'root-sysfs': { install: 'run the tests as root on Linux, where /sys/bus/pci/rescan is a write-only file' },
} as const;

export type ToolName = keyof typeof TOOLS;

/** The one command that installs every optional tool on Debian/Ubuntu. */
export const SETUP_COMMAND = 'npm run setup:tools';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The absolute path of `command` on PATH (or in ~/.dotnet/tools for pwsh), or null. */
export function onPath(command: string, path = process.env.PATH ?? ''): string | null {
  const dirs = path.split(delimiter).filter(Boolean);
  if (command === 'pwsh') dirs.push(join(homedir(), '.dotnet', 'tools'));
  for (const dir of dirs) {
    const file = join(dir, command);
    if (existsSync(file) && isExecutable(file)) return file;
  }
  return null;
}

function hasLocale(name: string, path: string): boolean {
  const locale = onPath('locale', path);
  if (!locale) return false;
  const r = spawnSync(locale, ['-a'], { encoding: 'utf8' });
  const want = name.toLowerCase().replace(/utf-?8$/, '');
  return r.stdout.split('\n').some(
    (l) =>
      l
        .trim()
        .toLowerCase()
        .replace(/utf-?8$/, '') === want,
  );
}

/** A sysfs attribute that root can open for writing only: reading it fails even as root. */
export const WRITE_ONLY_SYSFS = '/sys/bus/pci/rescan';

const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** Where `tool` is here, or null. `path` defaults to PATH; tests of this module pass another. */
export function findTool(tool: ToolName, path = process.env.PATH ?? ''): string | null {
  switch (tool) {
    case 'tr_TR.UTF-8':
      return hasLocale(tool, path) ? tool : null;
    case 'linux':
      return process.platform === 'linux' ? 'linux' : null;
    case 'root-sysfs':
      return process.getuid?.() === 0 && existsSync(WRITE_ONLY_SYSFS) ? WRITE_ONLY_SYSFS : null;
    case 'setpriv':
      return process.getuid?.() === 0 ? onPath('setpriv', path) : null;
    case 'chromium': {
      const env = process.env.RMMKIT_CHROMIUM;
      if (env && isExecutable(env)) return env;
      for (const name of CHROMIUM_NAMES) {
        const p = onPath(name, path);
        if (p) return p;
      }
      const mac = '/Applications/Chromium.app/Contents/MacOS/Chromium';
      return existsSync(mac) ? mac : null;
    }
    default:
      return onPath(tool, path);
  }
}

const cache = new Map<ToolName, string | null>();

/** findTool with the process PATH, cached for the run. */
export function tool(name: ToolName): string | null {
  if (!cache.has(name)) cache.set(name, findTool(name));
  return cache.get(name) ?? null;
}

/** True when CI asked that nothing skip: a missing tool then fails the test that needs it. */
export function toolsRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.RMMKIT_REQUIRE_TOOLS === '1' || env.RMMKIT_REQUIRE_TOOLS === 'true';
}

/** What was skipped in this run, by group: printed once each, and summarised at the end. */
const skipped = new Map<string, ToolName[]>();

export function skipLine(what: string, missing: readonly ToolName[]): string {
  const how = missing.map((t) => `${t}: ${TOOLS[t].install}`).join('; ');
  return `SKIPPED: ${what} — needs ${missing.join(', ')} (${how})`;
}

export class MissingToolError extends Error {
  constructor(what: string, missing: readonly ToolName[]) {
    super(
      `${what} needs ${missing.join(', ')}, which this machine lacks, and RMMKIT_REQUIRE_TOOLS=1 forbids ` +
        `skipping. Install: ${missing.map((t) => TOOLS[t].install).join('; ')} (or ${SETUP_COMMAND}).`,
    );
    this.name = 'MissingToolError';
  }
}

/**
 * Call at the top of a test or hook: true when every tool is here. Otherwise it prints one
 * `SKIPPED: …` line for the group `what` (once per run), records it for the summary and skips the
 * test; under RMMKIT_REQUIRE_TOOLS=1 it throws instead, so CI fails rather than skips.
 */
export function needTools(ctx: Mocha.Context, what: string, ...tools: ToolName[]): void {
  const missing = tools.filter((t) => tool(t) === null);
  if (missing.length === 0) return;
  if (toolsRequired()) throw new MissingToolError(what, missing);
  if (!skipped.has(what)) {
    skipped.set(what, missing);
    console.log(`      ${skipLine(what, missing)}`);
  }
  ctx.skip();
}

/** The end-of-run line: every skipped group, or that nothing was skipped. */
export function skipSummary(): string {
  if (skipped.size === 0) return 'Tool check: nothing skipped.';
  const groups = [...skipped].map(([what, tools]) => `${what} (${tools.join(', ')})`);
  const tools = [...new Set([...skipped.values()].flat())];
  return (
    `SKIPPED ${skipped.size} group${skipped.size === 1 ? '' : 's'} for missing tools: ${groups.join('; ')}. ` +
    `Install ${tools.join(', ')} (${SETUP_COMMAND} on Debian/Ubuntu) to run them.`
  );
}
