// The rmmkit CLI: builds the yargs parser, registers the commands and runs the chosen one.
// The only place that maps errors to messages and exit codes (0 ok, 1 expected failure, 2 usage, 70 bug).
import yargs, { type Argv } from 'yargs';
import { RmmkitError, UsageError } from '../lib/errors.js';
import { packageVersion } from '../lib/paths.js';
import { componentCommand } from './commands/component.js';
import { demoCommand } from './commands/demo.js';
import { devidCommand } from './commands/devid.js';
import { type CommandContext, createContext } from './context.js';
import { type Io, processIo } from './io.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** EX_SOFTWARE of sysexits.h: an internal error, i.e. a bug in rmmkit. */
export const EXIT_BUG = 70;

/** Registers every command; exported so the help text can be rendered for the README test. */
export function buildParser(ctx: CommandContext): Argv {
  return yargs()
    .scriptName('rmmkit')
    .usage('$0 <command> [options]\n\nBuild Datto RMM components, policies and device-ID deep links.')
    .command(devidCommand(ctx))
    .command(componentCommand(ctx))
    .command(demoCommand(ctx))
    .demandCommand(1, 'Name a command; see rmmkit --help.')
    .recommendCommands()
    .strict()
    .version(packageVersion())
    .alias('version', 'V')
    .help()
    .alias('help', 'h')
    .wrap(100)
    .exitProcess(false)
    .fail((message, error) => {
      if (error instanceof RmmkitError) throw error;
      throw new UsageError(message ?? error?.message ?? 'invalid usage');
    });
}

/** Runs the CLI with `args` (without node and script); returns the exit code, never exits. */
export async function main(args: string[], io: Io = processIo()): Promise<number> {
  const ctx = createContext(io);
  try {
    let output = '';
    await buildParser(ctx).parseAsync(args, {}, (_err, _argv, out) => {
      output = out;
    });
    if (output) ctx.out(output);
    if (!ctx.action) return EXIT_OK;
    return (await ctx.action()) ?? EXIT_OK;
  } catch (error) {
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
