// The rmmkit CLI: builds the yargs parser, registers the commands and runs the chosen one.
// The only place that maps errors to messages and exit codes (0 ok, 1 expected failure, 2 usage, 70 bug).
import yargs, { type Argv } from 'yargs';
import { RmmkitError, UsageError } from '../lib/errors.js';
import { packageVersion } from '../lib/paths.js';
import { componentCommand } from './commands/component.js';
import { demoCommand } from './commands/demo.js';
import { devidCommand } from './commands/devid.js';
import { integrationCommands } from './commands/integration.js';
import { udfCommand } from './commands/udf.js';
import { type CommandContext, createContext } from './context.js';
import { type Io, processIo } from './io.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** EX_SOFTWARE of sysexits.h: an internal error, i.e. a bug in rmmkit. */
export const EXIT_BUG = 70;

/** Registers every command; exported so the help text can be rendered for the README test. */
export function buildParser(ctx: CommandContext): Argv {
  const parser: Argv = yargs();
  return (
    parser
      .scriptName('rmmkit')
      .usage('$0 <command> [options]\n\nBuild Datto RMM components, policies and device-ID deep links.')
      .command(devidCommand(ctx))
      .command(udfCommand(ctx))
      .command(componentCommand(ctx))
      .command(demoCommand(ctx))
      .command(integrationCommands(ctx))
      .demandCommand(1, 'Name a command; see rmmkit --help.')
      .recommendCommands()
      .strict()
      // yargs turns a repeated flag into an array where every handler expects one value: refuse it
      // as a usage error, except for options and positionals declared as arrays (`verify a b c`).
      .middleware(function refuseRepeatedFlags(argv) {
        // getOptions() is public yargs API that @types/yargs does not declare.
        const arrays = new Set(
          (parser as unknown as { getOptions(): { array: string[] } }).getOptions().array,
        );
        for (const [key, value] of Object.entries(argv)) {
          if (key !== '_' && Array.isArray(value) && !arrays.has(key)) {
            throw new UsageError(`--${key} was given more than once; give it once`);
          }
        }
      }, true)
      .version(packageVersion())
      .alias('version', 'V')
      .help()
      .alias('help', 'h')
      .wrap(100)
      .exitProcess(false)
      .fail((message, error) => {
        // yargs' own validation errors are YErrors or bare messages: usage. Anything else thrown
        // while parsing is ours: pass it on so main() classifies it (expected error or bug).
        if (error && error.name !== 'YError') throw error;
        throw new UsageError(message ?? error?.message ?? 'invalid usage');
      })
  );
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
