// Collection on macOS and Windows: runs the rendered endpoint hasher (sh or PowerShell) on this machine,
// so `devid collect` there uses exactly the code a Datto component runs. Linux keeps collect-linux.ts.
import { spawnSync } from 'node:child_process';
import { writeTempFile } from '../io/files.js';
import { renderDevidScript } from '../render/devid-script.js';
import { type Recipe, recipeIdPattern } from './recipes.js';

export interface EndpointRun {
  /** The interface or adapter the script chose ('' when none). */
  nic: string;
  /** The ID, or the script's error code. */
  result: { id: string } | { error: string };
  /** How the script was run, for messages. */
  runner: string;
}

/** The environment variable that carries --salt into the script (never baked into its source). */
const SALT_VAR = 'RMMKIT_DEVID_SALT';

/** PowerShell executables to try on Windows, in order: Windows PowerShell first, then pwsh. */
const POWERSHELLS = ['powershell.exe', 'pwsh.exe', 'pwsh'];

/**
 * Renders the hasher for `platform`, runs it with DEVID_TRACE=1 and parses its two output lines.
 * Throws when no runner starts or the output breaks the script's contract.
 */
export function runEndpointHasher(
  platform: 'darwin' | 'win32',
  salt: string | undefined,
  recipe?: Recipe,
): EndpointRun {
  // Stryker disable next-line StringLiteral: every later test is target === 'sh', so any other word means PowerShell ('sh' itself is killed by the darwin test)
  const target = platform === 'win32' ? 'powershell' : 'sh';
  const script = renderDevidScript({ target, salt: { kind: 'env', name: SALT_VAR }, recipe });
  // Stryker disable next-line ConditionalExpression,StringLiteral: /bin/sh runs the file whatever its name (PowerShell's .ps1 is checked by the win32 test)
  const file = writeTempFile(target === 'sh' ? 'devid.sh' : 'devid.ps1', script);
  const env: NodeJS.ProcessEnv = { ...process.env, DEVID_TRACE: '1', [SALT_VAR]: salt ?? '' };
  delete env.DEVID_MAC;
  try {
    const runners =
      target === 'sh'
        ? [['/bin/sh', file.path]]
        : POWERSHELLS.map((exe) => [
            exe,
            '-NoProfile',
            '-NonInteractive',
            '-ExecutionPolicy',
            'Bypass',
            '-File',
            file.path,
          ]);
    for (const [exe, ...args] of runners) {
      const r = spawnSync(exe as string, args, { env, encoding: 'utf8', timeout: 120_000 });
      if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      if (r.error) throw r.error;
      return parseHasherOutput(r.stdout, exe as string, recipe ? recipeIdPattern(recipe) : undefined);
    }
    throw new Error(`no PowerShell found (tried ${POWERSHELLS.join(', ')})`);
  } finally {
    file.cleanup();
  }
}

/** Parses `nic=<name>` then one line of ID or error code (the DEVID_TRACE output of the scripts). */
export function parseHasherOutput(
  stdout: string,
  runner: string,
  idPattern: RegExp = /^[0-9a-f]{64}$/,
): EndpointRun {
  const lines = stdout.replace(/\r/g, '').split('\n');
  // Stryker disable next-line StringLiteral: split always gives a first element
  const nicLine = lines[0] ?? '';
  // Stryker disable next-line StringLiteral: without a second line the length check below throws first
  const last = lines[1] ?? '';
  if (!nicLine.startsWith('nic=') || lines.length !== 3 || lines[2] !== '') {
    throw new Error(`the endpoint hasher broke its output contract: ${JSON.stringify(stdout)}`);
  }
  const nic = nicLine.slice(4);
  // The ID first: an upper-case hex ID of a recipe would also pass for an error code.
  if (idPattern.test(last)) return { nic, result: { id: last }, runner };
  if (/^[A-Z_0-9]+$/.test(last)) return { nic, result: { error: last }, runner };
  throw new Error(`the endpoint hasher printed neither an ID nor an error code: ${JSON.stringify(stdout)}`);
}
