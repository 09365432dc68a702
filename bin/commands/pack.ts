// `rmmkit component pack`: source folders → .cpt files. Kept apart from the rest of `component` so
// the start-up fast path (bin/fast.ts) runs the same code without loading the argument parser.
import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { BODY_ENTRY, ICON_ENTRY, readCpt, writeCpt, XML_ENTRY } from '../../lib/component/cpt.js';
import { type LintFinding, lintComponent } from '../../lib/component/lint.js';
import { METADATA_FILE, readSourceDir, scriptFileName } from '../../lib/component/source.js';
import type { Component, XmlLayout } from '../../lib/component/types.js';
import { InputError, RmmkitError, UsageError } from '../../lib/errors.js';
import { writeFileAtomic } from '../../lib/io/files.js';
import type { CommandContext } from '../context.js';
import { checkOutputFile } from '../out-file.js';

/** The options of `component pack`, however they were parsed. */
export interface PackOptions {
  dirs: string[];
  out?: string | undefined;
  outDir?: string | undefined;
  layout?: string | undefined;
  force: boolean;
  lint: boolean;
}

/** pack never writes into its own source folder, and replaces an existing file only with --force. */
async function checkPackOutput(dir: string, out: string, shown: string, force: boolean): Promise<void> {
  const real = async (p: string) => {
    try {
      return await realpath(p);
    } catch {
      return p;
    }
  };
  const inside = relative(await real(dir), join(await real(dirname(out)), basename(out)));
  if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside)))
    throw new InputError(shown, `is inside the source folder ${dir}; write the archive elsewhere`);
  await checkOutputFile(out, shown, force, 'the .cpt file');
}

function sourceDateEpoch(env: NodeJS.ProcessEnv): number | undefined {
  const v = env.SOURCE_DATE_EPOCH;
  if (v === undefined || v === '') return undefined;
  if (!/^[0-9]+$/.test(v))
    throw new InputError('SOURCE_DATE_EPOCH', `${JSON.stringify(v)} is not a whole number of seconds`);
  return Number(v);
}

function layoutOption(v: string | undefined): XmlLayout | undefined {
  if (v === undefined) return undefined;
  if (v !== 'legacy' && v !== 'current') throw new UsageError(`--layout must be legacy or current, not ${v}`);
  return v;
}

/** Where a finding points, in the terms of the input: archive entries, or source-folder files. */
export function locate(input: string, c: Component, dir: boolean, f: LintFinding): string {
  let file = f.entry;
  if (dir) {
    if (f.entry === XML_ENTRY) file = METADATA_FILE;
    else if (f.entry === BODY_ENTRY) file = scriptFileName(c.general.installType);
    else if (f.entry !== ICON_ENTRY) file = `attachments/${f.entry}`;
  }
  const at = dir ? `${input}/${file}` : `${input}!${file}`;
  return `${at}${f.line !== undefined ? `:${f.line}` : ''}${f.path ? ` (${f.path})` : ''}`;
}

/** Source folder → output file pairs of `pack`: `--out` for one folder, `--out-dir` for any number. */
function packJobs(dirs: string[], out: string | undefined, outDir: string | undefined) {
  if ((out === undefined) === (outDir === undefined))
    throw new UsageError('give exactly one of --out FILE or --out-dir DIR');
  if (out !== undefined) {
    if (dirs.length !== 1)
      throw new UsageError(`--out takes one folder, ${dirs.length} were given; use --out-dir`);
    return [{ dir: dirs[0] as string, out }];
  }
  const seen = new Map<string, string>();
  return dirs.map((dir) => {
    const name = `${basename(resolve(dir))}.cpt`;
    const other = seen.get(name);
    if (other !== undefined) throw new UsageError(`"${other}" and "${dir}" would both be packed to ${name}`);
    seen.set(name, dir);
    return { dir, out: join(outDir as string, name) };
  });
}

/** Packs one source folder to `out` (checked first, written atomically) and says so. */
async function packOne(
  ctx: CommandContext,
  dir: string,
  out: string,
  settings: { layout: XmlLayout | undefined; sourceDateEpoch: number | undefined },
  force: boolean,
  lint: boolean,
) {
  const abs = (p: string) => resolve(ctx.io.cwd, p);
  await checkPackOutput(abs(dir), abs(out), out, force);
  const c = await readSourceDir(abs(dir));
  if (lint) {
    const errors = lintComponent(c).filter((f) => f.severity === 'error');
    if (errors.length > 0)
      throw new InputError(
        dir,
        `lint found ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} (rmmkit component lint ${dir}) or pack anyway with --no-lint:\n${errors.map((f) => `  ${locate(dir, c, true, f)}: [${f.rule}] ${f.message}`).join('\n')}`,
        { code: 'LINT_ERRORS' },
      );
  }
  const bytes = writeCpt(c, settings);
  // Safety net: what pack writes must read back; otherwise the source folder is at fault.
  try {
    readCpt(out, bytes);
  } catch (err) {
    throw new InputError(
      abs(dir),
      `packing gives an archive that does not read back (${(err as Error).message}); check the xml section of ${METADATA_FILE}`,
    );
  }
  // Without --force, not even a file created since the check is replaced.
  await writeFileAtomic(abs(out), bytes, { replace: force });
  ctx.out(`packed ${dir} → ${out} (${bytes.length} bytes)`);
}

/** Packs every folder (one `--out`, or any number into `--out-dir`); one folder's problem does not stop the rest. */
export async function runPack(ctx: CommandContext, a: PackOptions): Promise<number> {
  const jobs = packJobs(a.dirs, a.out, a.outDir);
  // Settings of the whole command, checked once before any folder (a bad one is one error, not one per folder).
  const settings = { layout: layoutOption(a.layout), sourceDateEpoch: sourceDateEpoch(ctx.io.env) };
  let failed = 0;
  for (const job of jobs) {
    try {
      await packOne(ctx, job.dir, job.out, settings, a.force, a.lint);
    } catch (err) {
      // One folder's problem is reported and the rest still pack; a bug still surfaces.
      if (!(err instanceof RmmkitError) || jobs.length === 1) throw err;
      ctx.err(`rmmkit: ${err.message}`);
      failed++;
    }
  }
  if (jobs.length > 1) ctx.out(`packed ${jobs.length - failed} of ${jobs.length} folders`);
  return failed ? 1 : 0;
}
