// Runs the CLI in-process (main(args)) with captured stdout/stderr and optional stdin.
import { Readable } from 'node:stream';
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
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
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
