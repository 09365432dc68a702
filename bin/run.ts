// Runs a chosen command and maps what it throws to a message and an exit code: the one place that
// does (0 ok, 1 expected failure, 2 usage, 70 bug). Used by main() after the full parser and by the
// start-up fast path (bin/fast.ts), which must behave exactly alike.
import { RmmkitError, UsageError } from '../lib/errors.js';
import type { CommandContext } from './context.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** EX_SOFTWARE of sysexits.h: an internal error, i.e. a bug in rmmkit. */
export const EXIT_BUG = 70;

/** Runs `work` (which returns an exit code or nothing for 0); never throws, never exits. */
export async function runMapped(
  ctx: CommandContext,
  work: () => Promise<number | undefined> | number | undefined,
): Promise<number> {
  try {
    return (await work()) ?? EXIT_OK;
  } catch (error) {
    // The reader went away (`rmmkit … | head`): stop quietly, as Unix tools do.
    if ((error as NodeJS.ErrnoException)?.code === 'EPIPE') return EXIT_OK;
    if (error instanceof UsageError) {
      ctx.err(`rmmkit: ${error.message}`);
      ctx.err('Run rmmkit --help (or rmmkit <command> --help) for usage.');
      return EXIT_USAGE;
    }
    if (error instanceof RmmkitError) {
      ctx.err(`rmmkit: ${error.message}`);
      return EXIT_FAILURE;
    }
    const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
    ctx.err(
      `rmmkit: internal error; this is a bug in rmmkit, please report it with the command you ran.\n${stack}`,
    );
    return EXIT_BUG;
  }
}
