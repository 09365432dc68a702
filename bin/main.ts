// The rmmkit CLI: builds the yargs parser, registers the commands and runs the chosen one.
// Errors are mapped to messages and exit codes (0 ok, 1 expected failure, 2 usage, 70 bug) in bin/run.ts.
import yargs, { type Argv, type CommandModule } from 'yargs';
import { UsageError } from '../lib/errors.js';
import { packageVersion } from '../lib/paths.js';
import { type CommandContext, createContext } from './context.js';
import { type Io, processIo } from './io.js';
import { EXIT_OK, runMapped } from './run.js';

export { EXIT_BUG, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './run.js';

// biome-ignore lint/suspicious/noExplicitAny: yargs command modules are generic in their argv shape
type AnyCommand = CommandModule<any, any>;

/**
 * Every command, loaded only when chosen: start-up pays for the command that runs, not for all of
 * them (`rmmkit --version` loads none). `command` and `describe` are what the top-level help lists;
 * a test checks that they equal the loaded module's own.
 */
export const COMMANDS: readonly {
  command: string;
  describe: string;
  load: () => Promise<(ctx: CommandContext) => AnyCommand>;
}[] = [
  {
    command: 'devid',
    describe: 'Compute DEVID1 device IDs and vendor-console deep links',
    load: async () => (await import('./commands/devid.js')).devidCommand,
  },
  {
    command: 'component',
    describe: 'Unpack, pack, verify, lint and inspect Datto RMM components (.cpt)',
    load: async () => (await import('./commands/component.js')).componentCommand,
  },
  ...(
    [
      ['init <file>', 'Write a commented starter integration file'],
      ['check <file>', 'Validate an integration file (every problem, with its line); writes nothing'],
      [
        'build <file>',
        'Build the components (.cpt), policies (.pcy), endpoint hashers and BUILD.md of an integration file',
      ],
      ['schema', 'Print the JSON Schema of the integration file'],
    ] as const
  ).map(([command, describe]) => ({
    command,
    describe,
    load: async () => {
      const { integrationCommands } = await import('./commands/integration.js');
      return (ctx: CommandContext) =>
        integrationCommands(ctx).find((c) => c.command === command) as AnyCommand;
    },
  })),
  {
    command: 'udf',
    describe: 'Check the deep links in the UDFs of a whole fleet, and repair them',
    load: async () => (await import('./commands/udf.js')).udfCommand,
  },
  {
    command: 'policy',
    describe: 'Build, inspect, diff and probe monitoring policies (.pcy); print build sheets',
    load: async () => (await import('./commands/policy.js')).policyCommand,
  },
  {
    command: 'demo',
    describe: 'Build the bundled examples into out/, then show DEVID1 examples and this machine',
    load: async () => (await import('./commands/demo.js')).demoCommand,
  },
  {
    command: 'detect',
    describe: 'Build and lint Sentinel and Defender hunting rules for Datto RMM (T1219)',
    load: async () => (await import('./commands/detect.js')).detectCommand,
  },
];

/** The command word of `args` (the first word that is not an option), if any. */
function chosenCommand(args: readonly string[]): string | undefined {
  return args.find((a) => !a.startsWith('-'));
}

/**
 * The parser with every command registered: the chosen one in full, the others by name and
 * description only (enough for the top-level help and for suggestions on a typo).
 */
export async function buildParser(ctx: CommandContext, args: readonly string[]): Promise<Argv> {
  const parser: Argv = yargs();
  const chosen = chosenCommand(args);
  parser
    .scriptName('rmmkit')
    .usage('$0 <command> [options]\n\nBuild Datto RMM components, policies and device-ID deep links.');
  for (const c of COMMANDS) {
    if (c.command.split(' ')[0] === chosen) parser.command((await c.load())(ctx));
    else parser.command(c.command, c.describe);
  }
  return (
    parser
      .demandCommand(1, 'Name a command; see rmmkit --help.')
      .recommendCommands()
      .strict()
      // yargs turns a repeated flag into an array where every handler expects one value: refuse it
      // as a usage error, except for options and positionals declared as arrays (`verify a b c`).
      .middleware(function refuseRepeatedFlags(argv) {
        // getOptions() is public yargs API that @types/yargs does not declare.
        const declared = (parser as unknown as { getOptions(): { array: string[] } }).getOptions().array;
        // yargs also sets the camelCase alias of a hyphenated option (--site-uid → siteUid).
        const arrays = new Set(
          declared.flatMap((k) => [k, k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())]),
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
      .fail((message, error, y) => {
        // yargs' own validation errors are YErrors or bare messages: usage. Anything else thrown
        // while parsing is ours: pass it on so main() classifies it (expected error or bug).
        if (error && error.name !== 'YError') throw error;
        throw new UsageError(namePositionals(message ?? error?.message ?? 'invalid usage', y));
      })
  );
}

/**
 * yargs says "Not enough non-option arguments: got 0, need at least 1" without naming them; the
 * usage line of the failing command does ("rmmkit component unpack <cpt>"), so name them from it.
 */
function namePositionals(message: string, y: Argv): string {
  if (!message.startsWith('Not enough non-option arguments')) return message;
  let usage = '';
  y.showHelp((text: string) => {
    usage = text.split('\n')[0] ?? '';
  });
  const names = usage.match(/<[^>]+>/g);
  if (!names) return message;
  const counts = message.replace(/^Not enough non-option arguments:\s*/, '');
  return `missing positional argument ${names.join(' ')}: usage is "${usage.trim()}" (${counts})`;
}

/** Runs the CLI with `args` (without node and script); returns the exit code, never exits. */
export async function main(args: string[], io: Io = processIo()): Promise<number> {
  const ctx = createContext(io);
  return runMapped(ctx, async () => {
    let output = '';
    await (await buildParser(ctx, args)).parseAsync(args, {}, (_err, _argv, out) => {
      output = out;
    });
    if (output) ctx.out(output);
    if (!ctx.action) return EXIT_OK;
    return ctx.action();
  });
}
