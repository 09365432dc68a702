// The git-friendly source form of a component: a folder with component.yaml (mirroring resource.xml
// plus what a byte-exact re-pack needs), the script under its real extension, icon.png, attachments/.
import { lstat, readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, parse as parsePath, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { InputError } from '../errors.js';
import { checkEntryName, collisionKey } from '../io/zip.js';
import { GENERAL_FIELDS } from './resource-xml.js';
import type {
  Component,
  ComponentGeneral,
  ComponentVariable,
  OrderItem,
  PostCondition,
  XmlAttr,
  XmlFidelity,
  XmlNode,
} from './types.js';

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
  // Stryker disable next-line StringLiteral: any stand-in for a missing installType is no known type either, so .txt
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
    // Stryker disable ConditionalExpression: yaml's stringify leaves out undefined values
    for (const f of ['name', 'type', 'direction', 'description', 'defaultVal'] as const)
      if (v[f] !== undefined) o[f] = v[f];
    // Stryker restore ConditionalExpression
    if (v.options.length > 0)
      o.options = v.options.map((opt, n) => ({
        ...(opt.idx !== n ? { idx: opt.idx } : {}),
        // Stryker disable next-line ConditionalExpression: yaml's stringify leaves out undefined values
        ...(opt.name !== undefined ? { name: opt.name } : {}),
        // Stryker disable next-line ConditionalExpression: yaml's stringify leaves out undefined values
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
  // Stryker disable next-line ConditionalExpression: yaml's stringify leaves out undefined values
  if (c.archive.timestamp !== undefined) archive.timestamp = c.archive.timestamp;
  // The folder cannot hold an order, so with two or more attachments it is always recorded.
  if (c.archive.order) archive.order = c.archive.order;
  else if (c.attachments.length >= 2)
    archive.order = [
      'command.bat',
      'resource.xml',
      ...(c.icon ? ['icon.png'] : []),
      ...c.attachments.map((a) => a.name),
    ];
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
    // Stryker disable next-line ArrayDeclaration: options is replaced a few lines below
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
  // Stryker disable next-line ArrayDeclaration: without an attachments folder a stand-in name reads as a missing file and is skipped
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
  const folded = new Map<string, string>();
  for (const name of names) {
    checkEntryName(attDir, name);
    const other = folded.get(collisionKey(name));
    if (other !== undefined)
      throw new InputError(
        attDir,
        `${JSON.stringify(other)} and ${JSON.stringify(name)} collide: Windows treats names that differ only in case or Unicode normalisation as one file`,
      );
    folded.set(collisionKey(name), name);
    const data = await readIn(join('attachments', name));
    // Stryker disable next-line ConditionalExpression: the name was listed a moment ago; only a file deleted in between (a race no test can order) is missing here
    if (!data) continue;
    attachments.push({ name, data });
  }
  const order =
    archive.order === undefined
      ? undefined
      : list(archive.order, 'archive.order').map((n, k) => str(n, `archive.order[${k}]`)!);
  // Attachments keep the recorded order; new ones follow sorted by name (names were read sorted and
  // sort is stable, so equal ranks keep that order).
  if (order) attachments.sort((a, b) => rankIn(order, a.name) - rankIn(order, b.name));
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

const XML_NAME = /^[A-Za-z_:][-A-Za-z0-9_.:]*$/;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const S = '[ \\t\\r\\n]+';
const EQ = '[ \\t\\r\\n]*=[ \\t\\r\\n]*';
const qv = (v: string) => `(?:"${v}"|'${v}')`;
const DECLARATION = new RegExp(
  `^<\\?xml${S}version${EQ}${qv('1\\.[0-9]+')}(?:${S}encoding${EQ}${qv('[A-Za-z][A-Za-z0-9._-]*')})?(?:${S}standalone${EQ}${qv('(?:yes|no)')})?[ \\t\\r\\n]*\\?>$`,
);
/** Character data: no markup, every `&` a reference, no `]]>`. */
const CHAR_DATA = /^(?:[^<&]|&(?:#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]*);)*$/;
const MARKUP = [
  /^<!--(?:(?!--)[\s\S])*-->$/,
  /^<!\[CDATA\[(?:(?!\]\]>)[\s\S])*\]\]>$/,
  /^<\?(?![Xx][Mm][Ll](?![-A-Za-z0-9_.:]))[A-Za-z_:][-A-Za-z0-9_.:]*(?:[ \t\r\n](?:(?!\?>)[\s\S])*)?\?>$/,
];
const MAX_NODE_DEPTH = 64;

/**
 * The xml fidelity record, checked for shape and for values: it is written into resource.xml as is,
 * so a hand edit must not be able to smuggle in markup (a DOCTYPE, an element, broken XML).
 */
function readFidelity(v: unknown, bad: (key: string, msg: string) => Error): XmlFidelity {
  if (v === undefined) return { layout: 'current' };
  if (!isObj(v)) throw bad('xml', 'expected a mapping');
  const allowed = ['layout', 'declaration', 'quote', 'short', 'afterDeclaration', 'trailing', 'rootAttrs'];
  allowed.push('pairs', 'raw', 'order', 'attrs');
  for (const k of Object.keys(v))
    if (!allowed.includes(k)) throw bad(`xml.${k}`, `unknown key; allowed: ${allowed.join(', ')}`);
  if (v.layout !== 'legacy' && v.layout !== 'current') throw bad('xml.layout', 'expected legacy or current');
  const fid: XmlFidelity = { layout: v.layout };
  const text = (x: unknown, key: string): string => {
    if (typeof x !== 'string') throw bad(key, 'expected text');
    return x;
  };
  const charData = (x: unknown, key: string): string => {
    const t = text(x, key);
    if (!CHAR_DATA.test(t) || t.includes(']]>'))
      throw bad(key, 'expected XML text: no < or ]]>, and & only in a character or entity reference');
    return t;
  };
  const name = (x: unknown, key: string): string => {
    const t = text(x, key);
    if (!XML_NAME.test(t) || FORBIDDEN_KEYS.has(t)) throw bad(key, `${JSON.stringify(t)} is not an XML name`);
    return t;
  };
  const blank = (x: unknown, key: string): string => {
    const t = text(x, key);
    if (!/^[ \t\r\n]*$/.test(t)) throw bad(key, 'expected only spaces, tabs and line breaks');
    return t;
  };
  const listOf = <T>(x: unknown, key: string, each: (y: unknown, k: string) => T): T[] => {
    if (!Array.isArray(x)) throw bad(key, 'expected a list');
    return x.map((y, n) => each(y, `${key}[${n}]`));
  };
  const mapOf = <T>(x: unknown, key: string, each: (y: unknown, k: string) => T): Record<string, T> => {
    if (!isObj(x)) throw bad(key, 'expected a mapping');
    const out: Record<string, T> = {};
    for (const [k, y] of Object.entries(x)) {
      if (FORBIDDEN_KEYS.has(k)) continue;
      out[k] = each(y, `${key}.${k}`);
    }
    return out;
  };
  const attr = (x: unknown, key: string): XmlAttr => {
    if (!isObj(x)) throw bad(key, 'expected a mapping with name and value');
    for (const k of Object.keys(x))
      if (k !== 'name' && k !== 'value') throw bad(`${key}.${k}`, 'unknown key; allowed: name, value');
    return { name: name(x.name, `${key}.name`), value: charData(x.value, `${key}.value`) };
  };
  const node = (x: unknown, key: string, depth: number): XmlNode => {
    if (!isObj(x)) throw bad(key, 'expected a mapping');
    if (depth > MAX_NODE_DEPTH) throw bad(key, `nested deeper than ${MAX_NODE_DEPTH} levels`);
    const only2 = (keys: string[]) => {
      for (const k of Object.keys(x))
        if (!keys.includes(k)) throw bad(`${key}.${k}`, `unknown key; allowed: ${keys.join(', ')}`);
    };
    if (x.type === 'element') {
      only2(['type', 'name', 'attrs', 'children', 'pair']);
      const el: XmlNode = {
        type: 'element',
        name: name(x.name, `${key}.name`),
        attrs: x.attrs === undefined ? [] : listOf(x.attrs, `${key}.attrs`, attr),
        children:
          x.children === undefined
            ? []
            : listOf(x.children, `${key}.children`, (y, k) => node(y, k, depth + 1)),
      };
      if (x.pair !== undefined) {
        if (x.pair !== 'true' && x.pair !== 'false') throw bad(`${key}.pair`, 'expected true or false');
        el.pair = x.pair === 'true';
      }
      return el;
    }
    if (x.type === 'text') {
      only2(['type', 'raw']);
      return { type: 'text', raw: charData(x.raw, `${key}.raw`) };
    }
    if (x.type === 'markup') {
      only2(['type', 'raw']);
      const raw = text(x.raw, `${key}.raw`);
      if (!MARKUP.some((re) => re.test(raw)))
        throw bad(`${key}.raw`, 'expected one comment, CDATA section or processing instruction');
      return { type: 'markup', raw };
    }
    throw bad(`${key}.type`, 'expected element, text or markup');
  };
  if (v.declaration !== undefined) {
    if (v.declaration === '~' || v.declaration === 'null') fid.declaration = null;
    else {
      const d = text(v.declaration, 'xml.declaration');
      if (!DECLARATION.test(d))
        throw bad(
          'xml.declaration',
          'expected an XML declaration such as <?xml version="1.0" encoding="UTF-8"?>',
        );
      fid.declaration = d;
    }
  }
  if (v.quote !== undefined) {
    if (v.quote !== '"' && v.quote !== "'") throw bad('xml.quote', `expected " or '`);
    fid.quote = v.quote;
  }
  if (v.short !== undefined) {
    if (v.short !== '/>' && v.short !== ' />') throw bad('xml.short', 'expected "/>" or " />"');
    fid.short = v.short;
  }
  if (v.afterDeclaration !== undefined)
    fid.afterDeclaration = blank(v.afterDeclaration, 'xml.afterDeclaration');
  if (v.trailing !== undefined) fid.trailing = blank(v.trailing, 'xml.trailing');
  if (v.rootAttrs !== undefined) fid.rootAttrs = listOf(v.rootAttrs, 'xml.rootAttrs', attr);
  if (v.pairs !== undefined) fid.pairs = listOf(v.pairs, 'xml.pairs', text);
  if (v.raw !== undefined) fid.raw = mapOf(v.raw, 'xml.raw', charData);
  if (v.attrs !== undefined) fid.attrs = mapOf(v.attrs, 'xml.attrs', (y, k) => listOf(y, k, attr));
  if (v.order !== undefined)
    fid.order = mapOf(v.order, 'xml.order', (y, k) =>
      listOf(y, k, (item, ik): OrderItem => (typeof item === 'string' ? name(item, ik) : node(item, ik, 1))),
    );
  return fid;
}
