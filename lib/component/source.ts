// The git-friendly source form of a component: a folder with component.yaml (mirroring resource.xml
// plus what a byte-exact re-pack needs), the script under its real extension, icon.png, attachments/.
import { lstat, readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, parse as parsePath, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { InputError } from '../errors.js';
import { checkEntryName } from '../io/zip.js';
import { GENERAL_FIELDS } from './resource-xml.js';
import type { Component, ComponentGeneral, ComponentVariable, PostCondition, XmlFidelity } from './types.js';

export const METADATA_FILE = 'component.yaml';
export const SOURCE_FORMAT = 'rmmkit-component/1';
const SCRIPT_EXT: Record<string, string> = {
  powershell: 'ps1',
  unix: 'sh',
  batch: 'bat',
  vbscript: 'vbs',
  javascript: 'js',
  python: 'py',
  ruby: 'rb',
  groovy: 'groovy',
};

/** The script's file name in a source folder: `command.<ext>` from installType (`.txt` if unknown). */
export function scriptFileName(installType: string | undefined): string {
  return `command.${SCRIPT_EXT[(installType ?? '').toLowerCase()] ?? 'txt'}`;
}

const HEADER =
  '# rmmkit component source: `rmmkit component pack DIR --out X.cpt` builds the archive.\n' +
  '# general/variables/postConditions mirror resource.xml; archive and xml record what a\n' +
  '# byte-exact rebuild needs (timestamp, layout, quirks, unknown elements): edit with care.\n';

/** The files of a component's source folder (relative path → bytes), ready for writeTreeAtomic. */
export function componentToSource(c: Component): Map<string, Uint8Array | string> {
  const meta: Record<string, unknown> = { format: SOURCE_FORMAT };
  meta.general = { ...c.general };
  meta.variables = c.variables.map((v, k) => {
    const o: Record<string, unknown> = {};
    if (v.idx !== k) o.idx = v.idx;
    for (const f of ['name', 'type', 'direction', 'description', 'defaultVal'] as const)
      if (v[f] !== undefined) o[f] = v[f];
    if (v.options.length > 0)
      o.options = v.options.map((opt, n) => ({
        ...(opt.idx !== n ? { idx: opt.idx } : {}),
        ...(opt.name !== undefined ? { name: opt.name } : {}),
        ...(opt.value !== undefined ? { value: opt.value } : {}),
      }));
    return o;
  });
  meta.postConditions = c.postConditions.map((p, k) => {
    const { idx, ...rest } = p;
    return idx !== k ? { idx, ...rest } : rest;
  });
  const script = scriptFileName(c.general.installType);
  meta.script = script;
  const archive: Record<string, unknown> = {};
  if (c.archive.timestamp !== undefined) archive.timestamp = c.archive.timestamp;
  if (c.archive.order) archive.order = c.archive.order;
  meta.archive = archive;
  meta.xml = c.xml;
  const files = new Map<string, Uint8Array | string>();
  files.set(METADATA_FILE, HEADER + stringify(meta, { lineWidth: 0 }));
  files.set(script, c.body);
  if (c.icon) files.set('icon.png', c.icon);
  for (const a of c.attachments) files.set(`attachments/${a.name}`, a.data);
  return files;
}

/**
 * Refuses to let `unpack --force` replace `dir` unless it is empty or holds only what a source folder
 * owns (component.yaml, command.*, icon.png, attachments/ with plain files); never `/`, the home
 * folder or `cwd`. Throws an InputError naming `dir` and the first foreign file.
 */
export async function checkReplaceableSourceDir(dir: string, cwd: string): Promise<void> {
  const abs = resolve(dir);
  if (abs === parsePath(abs).root || abs === resolve(homedir()) || abs === resolve(cwd))
    throw new InputError(dir, '--force never replaces the root, the home folder or the current folder');
  const st = await lstat(abs);
  if (st.isSymbolicLink()) throw new InputError(dir, 'is a symbolic link; --force does not replace it');
  const names = await readdir(abs, { withFileTypes: true });
  if (names.length === 0) return;
  const foreign = (what: string) =>
    new InputError(
      dir,
      `--force only replaces an empty folder or a component source folder (${METADATA_FILE}, command.*, icon.png, attachments/); it holds ${what}`,
    );
  if (!names.some((e) => e.name === METADATA_FILE && e.isFile())) throw foreign(`no ${METADATA_FILE}`);
  for (const e of names) {
    if (e.name === 'attachments' && e.isDirectory()) {
      for (const a of await readdir(join(abs, e.name), { withFileTypes: true }))
        if (!a.isFile()) throw foreign(`attachments/${a.name}, which is not a plain file`);
      continue;
    }
    const owned = e.name === METADATA_FILE || e.name === 'icon.png' || /^command\.[A-Za-z0-9]+$/.test(e.name);
    if (!owned || !e.isFile()) throw foreign(e.name);
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a source folder back into a component. Every problem names the file and key. */
export async function readSourceDir(dir: string): Promise<Component> {
  const metaPath = join(dir, METADATA_FILE);
  let text: string;
  try {
    if ((await lstat(metaPath)).isSymbolicLink())
      throw new InputError(metaPath, 'is a symbolic link; symlinks are not followed in a source folder');
    text = await readFile(metaPath, 'utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(
      dir,
      `not a component source folder: cannot read ${METADATA_FILE} (${(err as NodeJS.ErrnoException).code})`,
    );
  }
  let meta: unknown;
  try {
    // failsafe: every scalar stays a string, so "1.0" or "false" come back exactly as written
    meta = parse(text, { schema: 'failsafe', uniqueKeys: true, maxAliasCount: 0 });
  } catch (err) {
    throw new InputError(metaPath, `invalid YAML: ${(err as Error).message}`);
  }
  const bad = (key: string, msg: string) => new InputError(metaPath, `${key}: ${msg}`);
  if (!isObj(meta)) throw bad('(root)', 'expected a mapping');
  if (meta.format !== SOURCE_FORMAT) throw bad('format', `expected ${JSON.stringify(SOURCE_FORMAT)}`);
  const str = (v: unknown, key: string): string | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw bad(key, 'expected text');
    return v;
  };
  const int = (v: unknown, key: string, dflt: number): number => {
    if (v === undefined) return dflt;
    if (typeof v !== 'string' || !/^(0|[1-9][0-9]{0,8})$/.test(v)) throw bad(key, 'expected a whole number');
    return Number(v);
  };
  const list = (v: unknown, key: string): unknown[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw bad(key, 'expected a list');
    return v;
  };
  const only = (o: Obj, key: string, allowed: readonly string[]) => {
    for (const k of Object.keys(o))
      if (!allowed.includes(k)) throw bad(`${key}.${k}`, `unknown key; allowed: ${allowed.join(', ')}`);
  };
  only(meta, '(root)', ['format', 'general', 'variables', 'postConditions', 'script', 'archive', 'xml']);
  const g = meta.general ?? {};
  if (!isObj(g)) throw bad('general', 'expected a mapping');
  only(g, 'general', GENERAL_FIELDS);
  const general: ComponentGeneral = {};
  for (const f of GENERAL_FIELDS) {
    const v = str(g[f], `general.${f}`);
    if (v !== undefined) general[f] = v;
  }
  const variables: ComponentVariable[] = list(meta.variables, 'variables').map((v, k) => {
    const key = `variables[${k}]`;
    if (!isObj(v)) throw bad(key, 'expected a mapping');
    only(v, key, ['idx', 'name', 'type', 'direction', 'description', 'defaultVal', 'options']);
    const out: ComponentVariable = { idx: int(v.idx, `${key}.idx`, k), options: [] };
    for (const f of ['name', 'type', 'direction', 'description', 'defaultVal'] as const) {
      const s = str(v[f], `${key}.${f}`);
      if (s !== undefined) out[f] = s;
    }
    out.options = list(v.options, `${key}.options`).map((o, n) => {
      const ok = `${key}.options[${n}]`;
      if (!isObj(o)) throw bad(ok, 'expected a mapping');
      only(o, ok, ['idx', 'name', 'value']);
      const name = str(o.name, `${ok}.name`);
      const value = str(o.value, `${ok}.value`);
      return {
        idx: int(o.idx, `${ok}.idx`, n),
        ...(name !== undefined ? { name } : {}),
        ...(value !== undefined ? { value } : {}),
      };
    });
    return out;
  });
  const postConditions: PostCondition[] = list(meta.postConditions, 'postConditions').map((p, k) => {
    const key = `postConditions[${k}]`;
    if (!isObj(p)) throw bad(key, 'expected a mapping');
    only(p, key, ['idx', 'consequence', 'resource', 'text', 'qualifier']);
    const out: PostCondition = { idx: int(p.idx, `${key}.idx`, k) };
    for (const f of ['consequence', 'resource', 'text', 'qualifier'] as const) {
      const s = str(p[f], `${key}.${f}`);
      if (s !== undefined) out[f] = s;
    }
    return out;
  });
  const archive = meta.archive ?? {};
  if (!isObj(archive)) throw bad('archive', 'expected a mapping');
  only(archive, 'archive', ['timestamp', 'order']);
  const xml = readFidelity(meta.xml, bad);
  const script = str(meta.script, 'script') ?? scriptFileName(general.installType);
  checkEntryName(metaPath, script);
  // Every path is lstat'ed: a symlink (or anything but a regular file) could pull in a file from
  // outside the folder, so it is refused rather than followed.
  const kindOf = async (path: string) => {
    try {
      return await lstat(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined;
      throw new InputError(path, `cannot read (${code})`);
    }
  };
  const readIn = async (name: string) => {
    const path = join(dir, name);
    const st = await kindOf(path);
    if (!st) return undefined;
    if (st.isSymbolicLink())
      throw new InputError(path, 'is a symbolic link; symlinks are not followed in a source folder');
    if (!st.isFile()) throw new InputError(path, 'is not a regular file; a source folder holds only files');
    try {
      return new Uint8Array(await readFile(path));
    } catch (err) {
      throw new InputError(path, `cannot read (${(err as NodeJS.ErrnoException).code})`);
    }
  };
  const body = await readIn(script);
  if (!body)
    throw new InputError(dir, `the script ${script} is missing (named by "script" in ${METADATA_FILE})`);
  const icon = await readIn('icon.png');
  const attachments = [];
  const attDir = join(dir, 'attachments');
  let names: string[] = [];
  const attStat = await kindOf(attDir);
  if (attStat?.isSymbolicLink())
    throw new InputError(attDir, 'is a symbolic link; symlinks are not followed in a source folder');
  if (attStat && !attStat.isDirectory()) throw new InputError(attDir, 'is not a folder');
  if (attStat) {
    try {
      names = (await readdir(attDir)).sort();
    } catch (err) {
      throw new InputError(attDir, `cannot read (${(err as NodeJS.ErrnoException).code})`);
    }
  }
  for (const name of names) {
    checkEntryName(attDir, name);
    const data = await readIn(join('attachments', name));
    if (!data) continue;
    attachments.push({ name, data });
  }
  const order =
    archive.order === undefined
      ? undefined
      : list(archive.order, 'archive.order').map((n, k) => str(n, `archive.order[${k}]`)!);
  // Attachments keep the recorded order; new ones follow sorted by name.
  if (order)
    attachments.sort((a, b) => rankIn(order, a.name) - rankIn(order, b.name) || (a.name < b.name ? -1 : 1));
  return {
    general,
    variables,
    postConditions,
    xml,
    body,
    icon,
    attachments,
    archive: {
      ...(archive.timestamp !== undefined ? { timestamp: str(archive.timestamp, 'archive.timestamp')! } : {}),
      ...(order ? { order } : {}),
    },
  };
}

const rankIn = (order: string[], name: string) => {
  const k = order.indexOf(name);
  return k < 0 ? order.length : k;
};

/** The xml fidelity record: checked for shape; its content is what readResourceXml produced. */
function readFidelity(v: unknown, bad: (key: string, msg: string) => Error): XmlFidelity {
  if (v === undefined) return { layout: 'current' };
  if (!isObj(v)) throw bad('xml', 'expected a mapping');
  if (v.layout !== 'legacy' && v.layout !== 'current') throw bad('xml.layout', 'expected legacy or current');
  const fid = fromFailsafe(v) as XmlFidelity;
  if (v.declaration === '~' || v.declaration === 'null') fid.declaration = null;
  return fid;
}

/** The failsafe schema reads every scalar as text; `pair: "true"` in unknown nodes is turned back. */
function fromFailsafe(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromFailsafe);
  if (isObj(v)) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === '__proto__') continue;
      out[k] = k === 'pair' ? x === 'true' : fromFailsafe(x);
    }
    return out;
  }
  return v;
}
