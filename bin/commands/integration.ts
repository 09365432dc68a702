// `rmmkit init | check | schema | build`: the integration file's verbs. Parse flags → call
// lib/integration (loaded lazily) → print; nothing else.
import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../../lib/errors.js';
import type { CommandContext } from '../context.js';

type Os = 'windows' | 'macos' | 'linux';

export function integrationCommands(ctx: CommandContext): CommandModule[] {
  const commands = [
    {
      command: 'init <file>',
      describe: 'Write a commented starter integration file',
      builder: (y: Argv) =>
        y
          .positional('file', { type: 'string', demandOption: true, describe: 'file to write (.yaml)' })
          .option('vendor', { type: 'string', demandOption: true, describe: 'vendor name' })
          .option('product', { type: 'string', demandOption: true, describe: 'product name' })
          .option('link', {
            type: 'string',
            demandOption: true,
            describe: 'console link of one device, with {ID}',
          })
          .option('slot', { type: 'number', default: 7, describe: 'UDF slot for the link (2-30)' })
          .option('salt', { type: 'string', default: 'account', describe: 'account, site, none or env:NAME' })
          .option('os', {
            type: 'array',
            string: true,
            choices: ['windows', 'macos', 'linux'],
            default: ['windows'],
            describe: 'operating systems to start components for',
          })
          .option('force', { type: 'boolean', default: false, describe: 'overwrite an existing file' }),
      handler: (a: {
        file: string;
        vendor: string;
        product: string;
        link: string;
        slot: number;
        salt: string;
        os: Os[];
        force: boolean;
      }) => {
        ctx.action = async () => {
          const { renderStarter } = await import('../../lib/integration/init.js');
          const { writeFileAtomic } = await import('../../lib/io/files.js');
          const file = resolve(ctx.io.cwd, a.file);
          if (existsSync(file) && !a.force)
            throw new UsageError(`${a.file} exists; give --force to overwrite it`);
          const schemaFile = findSchemaFrom(dirname(file));
          const text = renderStarter({
            vendor: a.vendor,
            product: a.product,
            link: a.link,
            slot: a.slot,
            salt: a.salt,
            os: a.os,
            schemaPath: schemaFile ? relative(dirname(file), schemaFile) : undefined,
          });
          await writeFileAtomic(file, text);
          ctx.out(`wrote ${a.file}; next: rmmkit check ${a.file}`);
          return 0;
        };
      },
    },
    {
      command: 'check <file>',
      describe: 'Validate an integration file (every problem, with its line); writes nothing',
      builder: (y: Argv) =>
        y
          .positional('file', { type: 'string', demandOption: true, describe: 'integration file' })
          .option('json', { type: 'boolean', default: false, describe: 'print the findings as JSON' }),
      handler: (a: { file: string; json: boolean }) => {
        ctx.action = async () => {
          const { checkIntegration, formatIssue } = await import('../../lib/integration/load.js');
          const r = await checkIntegration(resolve(ctx.io.cwd, a.file));
          // A valid file is also rendered and linted as it would be built (nothing is written).
          if (r.integration) {
            const { lintIntegration } = await import('../../lib/integration/build.js');
            r.issues.push(...(await lintIntegration(r.integration)));
          }
          const issues = r.issues.map((i) => ({ ...i, file: a.file }));
          const errors = issues.filter((i) => i.severity === 'error').length;
          if (a.json) {
            ctx.out(JSON.stringify({ file: a.file, valid: errors === 0, issues }, null, 2));
          } else {
            for (const i of issues)
              ctx.out(`${formatIssue(i)}${i.severity === 'warning' ? ' (warning)' : ''}`);
            if (errors === 0) {
              const n = r.integration?.components.length ?? 0;
              ctx.out(`${a.file}: valid (${n} component${n === 1 ? '' : 's'})`);
            }
          }
          if (errors > 0 && !a.json)
            ctx.err(`rmmkit: ${a.file} has ${errors} error${errors === 1 ? '' : 's'}`);
          return errors === 0 ? 0 : 1;
        };
      },
    },
    {
      command: 'build <file>',
      describe:
        'Build the components (.cpt), policies (.pcy), endpoint hashers and BUILD.md of an integration file',
      builder: (y: Argv) =>
        y
          .positional('file', { type: 'string', demandOption: true, describe: 'integration file' })
          .option('out', { type: 'string', demandOption: true, describe: 'output folder' })
          .option('force', {
            type: 'boolean',
            default: false,
            describe: 'replace a non-empty output folder',
          }),
      handler: (a: { file: string; out: string; force: boolean }) => {
        ctx.action = async () => {
          const { loadIntegration } = await import('../../lib/integration/load.js');
          const { buildIntegration } = await import('../../lib/integration/build.js');
          const { writeTreeAtomic } = await import('../../lib/io/files.js');
          const integration = await loadIntegration(resolve(ctx.io.cwd, a.file));
          const epoch = ctx.io.env.SOURCE_DATE_EPOCH;
          const sourceDateEpoch = epoch && /^[0-9]{1,12}$/.test(epoch) ? Number(epoch) : undefined;
          const built = await buildIntegration(integration, { sourceDateEpoch });
          await writeTreeAtomic(resolve(ctx.io.cwd, a.out), built.files, { force: a.force });
          for (const line of describeTree(a.out, built.files)) ctx.out(line);
          return 0;
        };
      },
    },
    {
      command: 'schema',
      describe: 'Print the JSON Schema of the integration file',
      builder: (y: Argv) => y,
      handler: () => {
        ctx.action = async () => {
          const { integrationJsonSchema } = await import('../../lib/integration/schema.js');
          ctx.out(JSON.stringify(integrationJsonSchema(), null, 2));
          return 0;
        };
      },
    },
  ];
  // Each module's handler takes its own argument type; yargs passes the parsed flags it built.
  return commands as unknown as CommandModule[];
}

/** A short tree of what a build wrote: folder, then each file with its size. */
export function describeTree(out: string, files: ReadonlyMap<string, Uint8Array | string>): string[] {
  const lines = [`${out}/`];
  const names = [...files.keys()].sort();
  let dir = '';
  for (const name of names) {
    const slash = name.lastIndexOf('/');
    const d = slash < 0 ? '' : name.slice(0, slash);
    if (d !== dir && d) lines.push(`  ${d}/`);
    dir = d;
    const data = files.get(name) as Uint8Array | string;
    const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    lines.push(`${d ? '    ' : '  '}${name.slice(slash + 1)}  (${size} bytes)`);
  }
  return lines;
}

/** The nearest schema/integration.schema.json at or above `dir` (a vendor's repo may vendor it). */
function findSchemaFrom(dir: string): string | null {
  let d = dir;
  for (;;) {
    const f = resolve(d, 'schema', 'integration.schema.json');
    if (existsSync(f)) return f;
    const up = dirname(d);
    if (up === d) return null;
    d = up;
  }
}
