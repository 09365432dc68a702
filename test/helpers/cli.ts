// Runs the CLI in-process (main(args)) with captured stdout/stderr and optional stdin.
import { Readable } from 'node:stream';
import type { Io } from '../../bin/io.js';
import { main } from '../../bin/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  args: string[],
  options: { stdin?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<CliResult> {
  const r = await runEntry(main, args, options);
  return r as CliResult;
}

/**
 * Runs an entry point of the CLI (main, or the start-up fast path, which gives null for a command
 * line it does not take) in-process with captured output.
 */
export async function runEntry(
  entry: (args: string[], io: Io) => Promise<number | null>,
  args: string[],
  options: { stdin?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await entry(args, {
    stdout: {
      write: (c: string) => {
        stdout += c;
        return true;
      },
    },
    stderr: {
      write: (c: string) => {
        stderr += c;
        return true;
      },
    },
    stdin: Readable.from([options.stdin ?? '']),
    env: options.env ?? { NO_COLOR: '1' },
    cwd: options.cwd ?? process.cwd(),
  });
  return { code, stdout, stderr };
}
