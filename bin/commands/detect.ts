// `rmmkit detect …`: build Sentinel and Defender hunting rules for Datto RMM that know the sanctioned
// account, and lint rule files. Parses flags, calls lib/detect (loaded lazily), prints; nothing else.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { InputError, UsageError } from '../../lib/errors.js';
import type { CommandContext } from '../context.js';

/** Rule and integration files are small; anything larger is refused before it is parsed. */
const MAX_INPUT_BYTES = 4 * 1024 * 1024;

async function readText(path: string, what: string): Promise<string> {
  try {
    const s = await stat(path);
    if (s.isFile() && s.size > MAX_INPUT_BYTES)
      throw new InputError(path, `${s.size} bytes; a ${what} over ${MAX_INPUT_BYTES} bytes is refused`, {
        code: 'TOO_LARGE',
      });
    return await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(path, `cannot read the ${what} (${code === 'EISDIR' ? 'it is a folder' : code})`, {
      cause: err,
    });
  }
}

interface BuildFlags {
  integration?: string;
  platform?: string;
  accountUid?: string;
  siteUid?: string[];
  device?: string[];
  out: string;
  force: boolean;
  json: boolean;
}

export function detectCommand(ctx: CommandContext) {
  return {
    command: 'detect',
    describe: 'Build and lint Sentinel and Defender hunting rules for Datto RMM (T1219)',
    builder: (y: Argv) =>
      y
        .command({
          command: 'build',
          describe: 'Write rules that leave the sanctioned Datto platform out (--integration or --platform)',
          builder: (y: Argv) =>
            y
              .option('integration', {
                type: 'string',
                describe: 'integration file whose datto section gives platform, accountUid, siteUids',
              })
              .option('platform', { type: 'string', describe: 'sanctioned Datto platform, e.g. merlot' })
              .option('account-uid', { type: 'string', describe: 'sanctioned Datto account UID' })
              .option('site-uid', {
                type: 'string',
                array: true,
                describe: 'sanctioned site UID (repeatable)',
              })
              .option('device', {
                type: 'string',
                array: true,
                describe: 'device allowed to run the sanctioned agent (repeatable; default: any)',
              })
              .option('out', { type: 'string', demandOption: true, describe: 'output folder' })
              .option('force', {
                type: 'boolean',
                default: false,
                describe: 'replace a non-empty output folder',
              })
              .option('json', {
                type: 'boolean',
                default: false,
                describe: 'print {profile, files} as JSON',
              }),
          handler: (a: BuildFlags) => {
            ctx.action = async () => {
              if (a.integration === undefined && a.platform === undefined)
                throw new UsageError('detect build needs --integration FILE or --platform NAME');
              const { buildDetection, profileFromSources, readDattoSection } = await import(
                '../../lib/detect/build.js'
              );
              let section: Record<string, unknown> | undefined;
              let subject = 'the sanctioned profile from the flags';
              if (a.integration !== undefined) {
                const file = resolve(ctx.io.cwd, a.integration);
                section = readDattoSection(await readText(file, 'integration file'), a.integration) as
                  | Record<string, unknown>
                  | undefined;
                if (section === undefined && a.platform === undefined)
                  throw new InputError(
                    a.integration,
                    'has no datto section (platform, accountUid, siteUids); add one or pass --platform',
                  );
                subject = `the datto section of ${a.integration}${a.platform || a.accountUid || a.siteUid || a.device ? ' with the flags' : ''}`;
              }
              const profile = profileFromSources(
                section,
                { platform: a.platform, accountUid: a.accountUid, siteUids: a.siteUid, devices: a.device },
                subject,
              );
              const built = buildDetection(profile);
              const { writeTreeAtomic } = await import('../../lib/io/files.js');
              const out = resolve(ctx.io.cwd, a.out);
              await writeTreeAtomic(out, new Map(built.files.map((f) => [f.path, f.text])), {
                force: a.force,
              });
              if (a.json)
                ctx.out(JSON.stringify({ profile, files: built.files.map((f) => f.path) }, null, 2));
              else {
                for (const f of built.files) ctx.out(`wrote ${f.path}`);
                ctx.out(
                  `${built.files.length} files for platform ${profile.platform} in ${a.out} (each passed detect lint)`,
                );
              }
              return 0;
            };
          },
        })
        .command({
          command: 'lint [rules..]',
          describe: 'Check Sentinel rule YAML and Defender .kql files (YAML, KQL, columns, schema, signers)',
          builder: (y: Argv) =>
            y
              .positional('rules', {
                type: 'string',
                array: true,
                describe: 'rule files (.yaml, .yml, .kql)',
              })
              .option('json', {
                type: 'boolean',
                default: false,
                describe: 'print an array of {file, rule, severity, line, column, message}',
              })
              .option('list-rules', {
                type: 'boolean',
                default: false,
                describe: 'list the finding ids and exit',
              }),
          handler: (a: { rules?: string[]; json: boolean; listRules: boolean }) => {
            ctx.action = async () => {
              const { lintRules, RULE_LINT_IDS, ruleLintFailed } = await import('../../lib/detect/lint.js');
              if (a.listRules) {
                if (a.json) ctx.out(JSON.stringify(RULE_LINT_IDS, null, 2));
                else
                  for (const r of RULE_LINT_IDS)
                    ctx.out(`${r.id.padEnd(24)} ${r.severity.padEnd(8)} ${r.summary}`);
                return 0;
              }
              const files = a.rules ?? [];
              if (files.length === 0) throw new UsageError('detect lint needs at least one rule file');
              const inputs = [];
              for (const file of files)
                inputs.push({ file, text: await readText(resolve(ctx.io.cwd, file), 'rule file') });
              const findings = lintRules(inputs);
              const errors = findings.filter((f) => f.severity === 'error').length;
              const warnings = findings.length - errors;
              if (a.json) ctx.out(JSON.stringify(findings, null, 2));
              else {
                for (const f of findings)
                  ctx.out(`${f.file}:${f.line}:${f.column}: ${f.severity} [${f.rule}] ${f.message}`);
                ctx.out(
                  `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} in ${inputs.length} file${inputs.length === 1 ? '' : 's'}`,
                );
              }
              return ruleLintFailed(findings) ? 1 : 0;
            };
          },
        })
        .demandCommand(1, 'Name a detect command: build or lint.'),
    handler: () => {},
  };
}
