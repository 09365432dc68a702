// `rmmkit component …`: unpack, pack, verify, lint and inspect Datto component archives (.cpt).
// Parses flags, calls lib/component and lib/io, prints; nothing else (pack's own code is in pack.ts).
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { readCpt, type VerifyResult, verifyCptDetailed, writeCpt } from '../../lib/component/cpt.js';
import { inspectPng, LINT_RULES, type LintFinding, lintComponent } from '../../lib/component/lint.js';
import { checkReplaceableSourceDir, componentToSource, readSourceDir } from '../../lib/component/source.js';
import type { Component } from '../../lib/component/types.js';
import { RmmkitError, UsageError } from '../../lib/errors.js';
import { readInputFile, writeTreeAtomic } from '../../lib/io/files.js';
import type { CommandContext } from '../context.js';
import { locate, runPack } from './pack.js';

/** An input archive larger than this is refused before it is read. */
const MAX_CPT_BYTES = 600 * 1024 * 1024;

function readInput(path: string): Promise<Uint8Array> {
  return readInputFile(path, MAX_CPT_BYTES, 'a .cpt file');
}

async function loadComponent(path: string): Promise<{ component: Component; dir: boolean }> {
  let isDir = false;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    // readInput reports a missing file with its own message
  }
  if (isDir) return { component: await readSourceDir(path), dir: true };
  return { component: readCpt(path, await readInput(path)), dir: false };
}

/**
 * The source-folder path of a round trip: unpack `c` to a temporary folder, pack it again and compare
 * with `direct`, the archive packing `c` directly gave. Returns the first differing byte, or -1.
 */
async function sourceRoundTrip(c: Component, direct: Uint8Array): Promise<number> {
  const tmp = await mkdtemp(join(tmpdir(), 'rmmkit-verify-'));
  try {
    await writeTreeAtomic(join(tmp, 'src'), componentToSource(c));
    const a = direct;
    const b = writeCpt(await readSourceDir(join(tmp, 'src')));
    if (Buffer.from(a).equals(Buffer.from(b))) return -1;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
    return n;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** An input a reporting command could not read: reported in its place, the other inputs still done. */
interface FileError {
  input: string;
  error: { code: string; message: string };
}

/** Runs `work` for one input; an expected error (RmmkitError) becomes a FileError, anything else is a bug. */
async function perFile(input: string, work: () => Promise<void>): Promise<FileError | undefined> {
  try {
    await work();
    return undefined;
  } catch (err) {
    if (!(err instanceof RmmkitError) || err instanceof UsageError) throw err;
    return { input, error: { code: err.code, message: err.message } };
  }
}

function describeBody(b: Uint8Array): string {
  const text = Buffer.from(b).toString('latin1');
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length - crlf;
  const eol = crlf && lf ? 'mixed CRLF/LF' : crlf ? 'CRLF' : lf ? 'LF' : 'one line';
  const bom = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
  const last = b[b.length - 1];
  return `${b.length} bytes, ${eol}, ${last === 0x0a ? 'trailing newline' : 'no trailing newline'}${bom ? ', BOM' : ''}`;
}

function describeIcon(icon: Uint8Array | undefined): string {
  const p = inspectPng(icon);
  if (!p.ok) return p.why;
  return `${p.width}×${p.height} PNG, ${p.transparent ? 'with transparency' : 'opaque'} (${icon!.length} bytes)`;
}

function inspectView(c: Component) {
  return {
    general: c.general,
    layout: c.xml.layout,
    variables: c.variables.map((v) => ({
      idx: v.idx,
      name: v.name,
      type: v.type,
      direction: v.direction,
      description: v.description,
      defaultVal: v.defaultVal,
      options: v.options,
    })),
    postConditions: c.postConditions,
    body: describeBody(c.body),
    icon: describeIcon(c.icon),
    attachments: c.attachments.map((a) => ({ name: a.name, bytes: a.data.length })),
    archive: c.archive,
    unknownElements: Object.values(c.xml.order ?? {})
      .flat()
      .filter((i) => typeof i !== 'string').length,
  };
}

export function componentCommand(ctx: CommandContext) {
  const abs = (p: string) => resolve(ctx.io.cwd, p);
  return {
    command: 'component',
    describe: 'Unpack, pack, verify, lint and inspect Datto RMM components (.cpt)',
    builder: (y: Argv) =>
      y
        .command({
          command: 'unpack <cpt>',
          describe:
            'Unpack a .cpt into a git-friendly source folder (component.yaml, script, icon, attachments)',
          builder: (y: Argv) =>
            y
              .positional('cpt', { type: 'string', demandOption: true, describe: 'the .cpt archive' })
              .option('out', { type: 'string', demandOption: true, describe: 'the source folder to create' })
              .option('force', {
                type: 'boolean',
                default: false,
                describe: 'replace --out if it is an earlier source folder (never one holding other files)',
              }),
          handler: (a: { cpt: string; out: string; force: boolean }) => {
            ctx.action = async () => {
              const c = readCpt(a.cpt, await readInput(abs(a.cpt)));
              const files = componentToSource(c);
              await writeTreeAtomic(abs(a.out), files, {
                force: a.force,
                mayReplace: (d) => checkReplaceableSourceDir(d, ctx.io.cwd),
              });
              ctx.out(`unpacked ${a.cpt} → ${a.out} (${files.size} files, ${c.xml.layout} layout)`);
              return 0;
            };
          },
        })
        .command({
          command: 'pack <dirs..>',
          describe:
            "Pack source folders into .cpt files with Datto's writer fingerprint (byte-exact, deterministic)",
          builder: (y: Argv) =>
            y
              .positional('dirs', {
                type: 'string',
                array: true,
                demandOption: true,
                describe: 'the source folder(s)',
              })
              .option('out', { type: 'string', describe: 'the .cpt to write (one folder)' })
              .option('out-dir', {
                type: 'string',
                describe: 'write each folder to <out-dir>/<folder name>.cpt (any number of folders)',
              })
              .option('layout', {
                type: 'string',
                choices: ['legacy', 'current'],
                describe: 'resource.xml layout; default: as unpacked, else current',
              })
              .option('force', {
                type: 'boolean',
                default: false,
                describe: 'replace existing output files',
              })
              .option('lint', {
                type: 'boolean',
                default: true,
                describe: 'lint each folder first and refuse to pack on errors (--no-lint packs anyway)',
              })
              .example('$0 component pack src/deploy-win --out deploy-win.cpt', 'one folder')
              .example('$0 component pack src/* --out-dir dist/', 'many folders in one process'),
          handler: (a: {
            dirs: string[];
            out?: string;
            outDir?: string;
            layout?: string;
            force: boolean;
            lint: boolean;
          }) => {
            ctx.action = () => runPack(ctx, a);
          },
        })
        .command({
          command: 'verify <cpt..>',
          describe: 'Read, rewrite and re-read each .cpt; report every entry or container byte that differs',
          builder: (y: Argv) =>
            y
              .positional('cpt', {
                type: 'string',
                array: true,
                demandOption: true,
                describe: 'the .cpt archives',
              })
              .option('json', { type: 'boolean', default: false, describe: 'machine-readable output' }),
          handler: (a: { cpt: string[]; json: boolean }) => {
            ctx.action = async () => {
              const results: (VerifyResult | FileError)[] = [];
              for (const f of a.cpt) {
                // One unreadable archive is reported and the others are still verified.
                const failed = await perFile(f, async () => {
                  const bytes = await readInput(abs(f));
                  const { result: r, component, rebuilt } = verifyCptDetailed(f, bytes);
                  // unpack → pack must rebuild the same archive as read → write
                  if (r.lossless) {
                    const at = await sourceRoundTrip(component, rebuilt);
                    if (at >= 0) {
                      r.differences.push({
                        entry: '(source folder)',
                        offset: at,
                        message: `unpack then pack differs from the direct rewrite at byte ${at}`,
                      });
                      r.lossless = false;
                      r.ok = false;
                    }
                  }
                  results.push(r);
                });
                if (failed) results.push(failed);
              }
              if (a.json) ctx.out(JSON.stringify(results, null, 2));
              else
                for (const r of results) {
                  if ('error' in r) {
                    ctx.out(`FAIL ${r.input}: ${r.error.message}`);
                    continue;
                  }
                  const how = r.containerIdentical
                    ? 'byte-exact: every entry and the whole archive rebuild identically, also through a source folder'
                    : r.lossless
                      ? r.dattoFingerprint
                        ? `entries identical but the archive differs from byte ${r.containerOffset}`
                        : `lossless: every entry rebuilds identically (not written by Datto's writer, so the container is rewritten in Datto's form; first difference at byte ${r.containerOffset})`
                      : 'NOT lossless';
                  ctx.out(`${r.ok ? 'ok  ' : 'FAIL'} ${r.input}: ${how}`);
                  for (const d of r.differences) ctx.out(`     ${r.input}!${d.entry}: ${d.message}`);
                }
              return results.every((r) => 'ok' in r && r.ok) ? 0 : 1;
            };
          },
        })
        .command({
          command: 'lint [inputs..]',
          describe: 'Check .cpt archives or source folders against the format rules and ComStore standards',
          builder: (y: Argv) =>
            y
              .positional('inputs', {
                type: 'string',
                array: true,
                describe: '.cpt archives or source folders',
              })
              .option('json', { type: 'boolean', default: false, describe: 'machine-readable output' })
              .option('list-rules', { type: 'boolean', default: false, describe: 'list the rules and exit' }),
          handler: (a: { inputs?: string[]; json: boolean; listRules: boolean }) => {
            ctx.action = async () => {
              if (a.listRules) {
                const rules = LINT_RULES.map(({ id, severity, source, summary }) => ({
                  id,
                  severity,
                  source,
                  summary,
                }));
                if (a.json) ctx.out(JSON.stringify(rules, null, 2));
                else
                  for (const r of rules)
                    ctx.out(`${r.id.padEnd(26)} ${r.severity.padEnd(8)} ${r.source.padEnd(9)} ${r.summary}`);
                return 0;
              }
              const inputs = a.inputs ?? [];
              if (inputs.length === 0)
                throw new UsageError('component lint needs at least one .cpt or source folder');
              /** One result per input, in the order given: its findings, or why it could not be read. */
              const results: (
                | { input: string; findings: LintFinding[]; dir: boolean; component: Component }
                | FileError
              )[] = [];
              for (const input of inputs) {
                // One unreadable input is reported in its place and the others are still linted.
                const failed = await perFile(input, async () => {
                  const { component, dir } = await loadComponent(abs(input));
                  results.push({ input, findings: lintComponent(component), dir, component });
                });
                if (failed) results.push(failed);
              }
              const reports = results.filter((r) => !('error' in r)) as Extract<
                (typeof results)[number],
                { findings: LintFinding[] }
              >[];
              const failures = results.length - reports.length;
              const count = (severity: string) =>
                reports.reduce((n, r) => n + r.findings.filter((f) => f.severity === severity).length, 0);
              const errors = count('error');
              const warnings = count('warning');
              if (a.json)
                ctx.out(
                  JSON.stringify(
                    results.map((r) => ('error' in r ? r : { input: r.input, findings: r.findings })),
                    null,
                    2,
                  ),
                );
              else {
                for (const r of results)
                  if ('error' in r) ctx.out(`${r.error.message}: error [unreadable]`);
                  else
                    for (const f of r.findings)
                      ctx.out(
                        `${locate(r.input, r.component, r.dir, f)}: ${f.severity} [${f.rule}] ${f.message}`,
                      );
                ctx.out(
                  `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} in ${reports.length} component${reports.length === 1 ? '' : 's'}${failures ? `; ${failures} input${failures === 1 ? '' : 's'} could not be read` : ''}`,
                );
              }
              return errors > 0 || failures > 0 ? 1 : 0;
            };
          },
        })
        .command({
          command: 'inspect <cpt>',
          describe: 'Print a readable summary of a .cpt (or source folder)',
          builder: (y: Argv) =>
            y
              .positional('cpt', {
                type: 'string',
                demandOption: true,
                describe: 'the .cpt archive or source folder',
              })
              .option('json', { type: 'boolean', default: false, describe: 'machine-readable output' }),
          handler: (a: { cpt: string; json: boolean }) => {
            ctx.action = async () => {
              const { component: c } = await loadComponent(abs(a.cpt));
              const v = inspectView(c);
              if (a.json) {
                ctx.out(JSON.stringify(v, null, 2));
                return 0;
              }
              const row = (k: string, val: string) => ctx.out(`${k.padEnd(15)} ${val}`);
              const q = (s: string | undefined) => (s === undefined ? '(absent)' : JSON.stringify(s));
              row('name', q(c.general.name));
              row('category', q(c.general.category));
              row(
                'installType',
                `${q(c.general.installType)}${c.general.uninstallType !== undefined ? `, uninstallType ${q(c.general.uninstallType)}` : ''}`,
              );
              row('uid', q(c.general.uid));
              row(
                'version',
                `${q(c.general.version)}, timeout ${q(c.general.timeout)} s, securityLevel ${q(c.general.securityLevel)}`,
              );
              row('hash', q(c.general.hash));
              row('description', q(c.general.description));
              row(
                'resource.xml',
                `${c.xml.layout} layout${v.unknownElements ? `, ${v.unknownElements} unknown element(s) kept` : ''}`,
              );
              row('body', v.body);
              row('icon', v.icon);
              row(
                'attachments',
                v.attachments.length
                  ? v.attachments.map((x) => `${x.name} (${x.bytes} bytes)`).join(', ')
                  : 'none',
              );
              row('timestamp', c.archive.timestamp ?? '(none: pinned default or SOURCE_DATE_EPOCH)');
              ctx.out(`variables       ${c.variables.length}`);
              for (const x of c.variables) {
                const opts = x.options.length
                  ? `  options ${x.options.map((o) => `${q(o.name)}=${q(o.value)}`).join(', ')}`
                  : '';
                ctx.out(
                  `  ${x.idx} ${x.name ?? '(no name)'}  ${x.type ?? '?'}${x.direction === 'true' ? ' (output)' : ''}  default ${q(x.defaultVal)}${opts}`,
                );
              }
              ctx.out(`postConditions  ${c.postConditions.length}`);
              for (const p of c.postConditions)
                ctx.out(
                  `  ${p.idx} ${p.consequence ?? '?'} when ${p.resource ?? '?'} has ${q(p.text)} (${p.qualifier ?? '?'})`,
                );
              return 0;
            };
          },
        })
        .demandCommand(1, 'Name a component command: unpack, pack, verify, lint or inspect.'),
    handler: () => {},
  };
}
