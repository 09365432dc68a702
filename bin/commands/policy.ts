// `rmmkit policy …`: build, inspect, diff, probe and print build sheets of monitoring policies (.pcy).
// Parses flags, calls lib/policy (loaded lazily), prints; nothing else.
import type { Argv } from 'yargs';
import type { Policy } from '../../lib/policy/types.js';
import type { CommandContext } from '../context.js';

/** An input file larger than this is refused before it is read. */
const MAX_INPUT = 64 * 1024 * 1024;

async function readInput(path: string): Promise<Uint8Array> {
  const { readInputFile } = await import('../../lib/io/files.js');
  return readInputFile(path, MAX_INPUT);
}

/** Policies from a .pcy (rmmkit-pcy profile) or a policy YAML/JSON file, told apart by the first bytes. */
async function loadPolicies(path: string): Promise<Policy[]> {
  const { sniff, readPolicy, loadPolicyFile } = await import('../../lib/policy/index.js');
  const bytes = await readInput(path);
  if (sniff(bytes) === 'zip') return [readPolicy(path, bytes)];
  return (await loadPolicyFile(path)).policies;
}

/** Refuses to replace an existing output unless --force (loaded with the command that writes). */
async function checkOutput(path: string, shown: string, force: boolean): Promise<void> {
  const { checkOutputFile } = await import('../out-file.js');
  await checkOutputFile(path, shown, force, 'the file');
}

function sourceDateEpoch(env: NodeJS.ProcessEnv, fail: (m: string) => Error): number | undefined {
  const v = env.SOURCE_DATE_EPOCH;
  if (v === undefined || v === '') return undefined;
  if (!/^[0-9]+$/.test(v)) throw fail(`${JSON.stringify(v)} is not a whole number of seconds`);
  return Number(v);
}

export function policyCommand(ctx: CommandContext) {
  const abs = async (p: string) => (await import('node:path')).resolve(ctx.io.cwd, p);
  return {
    command: 'policy',
    describe: 'Build, inspect, diff and probe monitoring policies (.pcy); print build sheets',
    builder: (y: Argv) =>
      y
        .command({
          command: 'build <file>',
          describe: 'Build each policy of a YAML file into DIR: <name>.pcy, its sheets and its components',
          builder: (a: Argv) =>
            a
              .positional('file', { type: 'string', demandOption: true, describe: 'the policy YAML file' })
              .option('out', { type: 'string', demandOption: true, describe: 'the folder to write into' })
              .option('force', { type: 'boolean', default: false, describe: 'replace existing files' }),
          handler: (a: { file: string; out: string; force: boolean }) => {
            ctx.action = async () => {
              const { join, relative } = await import('node:path');
              const { InputError } = await import('../../lib/errors.js');
              const { writeFileAtomic } = await import('../../lib/io/files.js');
              const { buildPolicy, pcyEntries, policyFileStem, renderSheetHtml, renderSheetMarkdown } =
                await import('../../lib/policy/index.js');
              const { policies, issues } = await (await import('../../lib/policy/load.js')).loadPolicyFile(
                await abs(a.file),
              );
              for (const i of issues) ctx.err(`${a.file}: ${i.severity} ${i.path}: ${i.message}`);
              const epoch = sourceDateEpoch(ctx.io.env, (m) => new InputError('SOURCE_DATE_EPOCH', m));
              const dir = await abs(a.out);
              const files = new Map<string, Uint8Array | string>();
              for (const p of policies) {
                const stem = policyFileStem(p);
                if (files.has(`${stem}.pcy`))
                  throw new InputError(
                    a.file,
                    `two policies would both be written as ${stem}.pcy; rename one`,
                  );
                files.set(`${stem}.pcy`, buildPolicy(p, { sourceDateEpoch: epoch }));
                files.set(`${stem}.sheet.md`, renderSheetMarkdown([p]));
                files.set(`${stem}.sheet.html`, renderSheetHtml([p]));
                for (const e of pcyEntries(p).slice(1))
                  if (e.name.endsWith('.cpt')) files.set(e.name, e.data);
              }
              for (const name of files.keys()) await checkOutput(join(dir, name), join(a.out, name), a.force);
              for (const [name, data] of files) {
                // replace: false unless --force, so a file created since the check is not replaced either.
                await writeFileAtomic(join(dir, name), data, { replace: a.force });
                const rel = relative(ctx.io.cwd, join(dir, name));
                ctx.out(rel.startsWith('..') ? join(dir, name) : rel);
              }
              return 0;
            };
          },
        })
        .command({
          command: 'inspect <pcy>',
          describe: 'Print a readable summary of a .pcy (or policy YAML file)',
          builder: (a: Argv) =>
            a
              .positional('pcy', { type: 'string', demandOption: true, describe: 'the .pcy or YAML file' })
              .option('json', { type: 'boolean', default: false, describe: 'machine-readable output' }),
          handler: (a: { pcy: string; json: boolean }) => {
            ctx.action = async () => {
              const { MONITOR_TYPES, policyView } = await import('../../lib/policy/index.js');
              const policies = await loadPolicies(await abs(a.pcy));
              if (a.json) {
                ctx.out(JSON.stringify(policies.map(policyView), null, 2));
                return 0;
              }
              for (const p of policies) {
                ctx.out(`policy      ${JSON.stringify(p.name)}`);
                ctx.out(`scope       ${p.scope}, ${p.enabled ? 'enabled' : 'disabled'}`);
                if (p.description) ctx.out(`description ${JSON.stringify(p.description)}`);
                ctx.out(`monitors    ${p.monitors.length}`);
                p.monitors.forEach((m, k) => {
                  const row = MONITOR_TYPES.find((r) => r.type === m.type)!;
                  const r = m.responses;
                  const resp = [
                    r.ticket ? 'ticket' : '',
                    r.email.length ? `e-mail ${r.email.join(', ')}` : '',
                    r.component ? `run ${r.component.name}` : '',
                    r.webhook ? `webhook ${r.webhook}` : '',
                  ].filter(Boolean);
                  ctx.out(`  ${k + 1}. ${row.title}: ${row.summary(m)}`);
                  ctx.out(
                    `     ${m.priority}, auto-resolve ${m.autoResolveMins === undefined ? 'never' : `${m.autoResolveMins} min`}, responses: ${resp.join('; ') || 'none'}`,
                  );
                  if (m.type === 'component')
                    ctx.out(
                      `     component ${m.component.strategy === 'embed' ? 'embedded' : 'referenced'}: ${m.component.name}${m.component.uid ? ` (${m.component.uid})` : ''}${m.variables.length ? `; ${m.variables.map((v) => `${v.name}=${JSON.stringify(v.value)}`).join(', ')}` : ''}`,
                    );
                });
                const kept = Object.values(p.extras?.elements ?? {}).reduce((n, l) => n + l.length, 0);
                if (p.extras?.format) ctx.out(`format      ${p.extras.format} (read as rmmkit-pcy/1)`);
                if (kept || p.extras?.entries?.length)
                  ctx.out(
                    `kept        ${kept} unknown element(s), ${p.extras?.entries?.length ?? 0} unknown entr${p.extras?.entries?.length === 1 ? 'y' : 'ies'}`,
                  );
              }
              return 0;
            };
          },
        })
        .command({
          command: 'diff <a> <b>',
          describe: 'Compare two policies (.pcy or YAML) by meaning; exit 1 when they differ',
          builder: (a: Argv) =>
            a
              .positional('a', {
                type: 'string',
                demandOption: true,
                describe: 'the first .pcy or YAML file',
              })
              .positional('b', {
                type: 'string',
                demandOption: true,
                describe: 'the second .pcy or YAML file',
              })
              .option('json', { type: 'boolean', default: false, describe: 'machine-readable output' }),
          handler: (a: { a: string; b: string; json: boolean }) => {
            ctx.action = async () => {
              const { diffPolicySets, formatDifference } = await import('../../lib/policy/index.js');
              const d = diffPolicySets(
                await loadPolicies(await abs(a.a)),
                await loadPolicies(await abs(a.b)),
              );
              if (a.json) ctx.out(JSON.stringify(d, null, 2));
              else if (d.length === 0) ctx.out('no differences');
              else for (const x of d) ctx.out(formatDifference(x));
              return d.length === 0 ? 0 : 1;
            };
          },
        })
        .command({
          command: 'sheet <file>',
          describe: 'Print the build sheet a person follows in the Datto UI (Markdown or standalone HTML)',
          builder: (a: Argv) =>
            a
              .positional('file', { type: 'string', demandOption: true, describe: 'the .pcy or YAML file' })
              .option('format', {
                choices: ['md', 'html'] as const,
                default: 'md' as const,
                describe: 'output format',
              })
              .option('out', { type: 'string', describe: 'write to this file instead of stdout' })
              .option('force', {
                type: 'boolean',
                default: false,
                describe: 'replace an existing --out file',
              }),
          handler: (a: { file: string; format: 'md' | 'html'; out?: string; force: boolean }) => {
            ctx.action = async () => {
              const { renderSheetHtml, renderSheetMarkdown } = await import('../../lib/policy/index.js');
              const policies = await loadPolicies(await abs(a.file));
              const text = a.format === 'html' ? renderSheetHtml(policies) : renderSheetMarkdown(policies);
              if (a.out === undefined) {
                ctx.io.stdout.write(text);
                return 0;
              }
              const { writeFileAtomic } = await import('../../lib/io/files.js');
              await checkOutput(await abs(a.out), a.out, a.force);
              await writeFileAtomic(await abs(a.out), text, { replace: a.force });
              ctx.out(a.out);
              return 0;
            };
          },
        })
        .command({
          command: 'probe <file>',
          describe:
            'Identify any policy file (zip, XML, JSON) and list its structure; --redact writes a shareable copy',
          builder: (a: Argv) =>
            a
              .positional('file', { type: 'string', demandOption: true, describe: 'the file to probe' })
              .option('redact', {
                type: 'string',
                describe: 'write a copy with names, e-mails, UIDs, URLs and free text replaced',
              })
              .option('force', {
                type: 'boolean',
                default: false,
                describe: 'replace an existing --redact file',
              })
              .option('json', { type: 'boolean', default: false, describe: 'machine-readable output' }),
          handler: (a: { file: string; redact?: string; force: boolean; json: boolean }) => {
            ctx.action = async () => {
              const { formatProbe, probeBytes, redactBytes } = await import('../../lib/policy/probe.js');
              const bytes = await readInput(await abs(a.file));
              const r = probeBytes(a.file, bytes);
              if (a.json) ctx.out(JSON.stringify(r, null, 2));
              else for (const line of formatProbe(r)) ctx.out(line);
              if (a.redact !== undefined) {
                const { writeFileAtomic } = await import('../../lib/io/files.js');
                const out = redactBytes(a.file, bytes);
                await checkOutput(await abs(a.redact), a.redact, a.force);
                await writeFileAtomic(await abs(a.redact), out, { replace: a.force });
                ctx.err(
                  `redacted copy written to ${a.redact} (${out.byteLength} bytes); check it before you share it`,
                );
              }
              return 0;
            };
          },
        })
        .demandCommand(1, 'Name a policy command: build, inspect, diff, sheet or probe.'),
    handler: () => {},
  };
}
