// The rmmkit-pcy/1 profile: every element name and token in the PCY1 table below, and the writer and
// reader of the .pcy archive (policy.xml first, then components/<slug>.cpt for embedded components).
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { PINNED_TIMESTAMP, readCpt, writeCpt } from '../component/cpt.js';
import { escapeText } from '../component/resource-xml.js';
import type { Component } from '../component/types.js';
import { InputError } from '../errors.js';
import {
  checkEntryName,
  DEFAULT_ZIP_LIMITS,
  dosFromEpoch,
  parseDosDateTime,
  readZip,
  writeZipDatto,
  type ZipEntry,
  type ZipLimits,
} from '../io/zip.js';
import { type FieldSpec, getField, MONITOR_TYPES, type MonitorTypeRow, setField } from './monitor-types.js';
import {
  type ComponentRef,
  EVENT_TYPES,
  type Monitor,
  type MonitorType,
  type Policy,
  PRIORITIES,
  type Responses,
  RUN_STATES,
  SCOPES,
  type UnknownElement,
} from './types.js';

/** The one table of the profile: entry names, element names, attribute names and value tokens. */
export const PCY1 = {
  format: 'rmmkit-pcy/1',
  formatFamily: 'rmmkit-pcy/',
  policyEntry: 'policy.xml',
  componentsDir: 'components',
  declaration: '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
  indent: '    ',
  root: 'policy',
  rootInfo: 'CentraStage Policy',
  attr: { info: 'info', format: 'format', idx: 'idx' },
  general: {
    element: 'general',
    name: 'name',
    description: 'description',
    type: 'type',
    scope: 'scope',
    enabled: 'enabled',
  },
  policyType: 'monitoring',
  monitor: {
    element: 'monitor',
    type: 'type',
    priority: 'priority',
    autoResolveMins: 'autoresolveMins',
    responses: 'responses',
  },
  responses: { email: 'email', ticket: 'ticket', component: 'component', webhook: 'webhook' },
  componentRef: { uid: 'componentUid', name: 'componentName', entry: 'entry' },
  variable: { element: 'variable', name: 'name', value: 'value' },
  /** Per monitor type: the type token, the element of its block, and an element per model field. */
  monitors: {
    eventlog: {
      token: 'eventlog',
      block: 'eventlog',
      fields: {
        log: 'logName',
        source: 'source',
        codes: 'code',
        eventTypes: 'eventType',
        match: 'description',
        'trigger.count': 'triggerCount',
        'trigger.windowMins': 'windowMins',
      },
    },
    component: {
      token: 'comp_script',
      block: 'comp_script',
      fields: { component: '', variables: 'variable', intervalMins: 'intervalMins' },
    },
    process: { token: 'process', block: 'process', fields: { process: 'processName', state: 'state' } },
    service: { token: 'srvc', block: 'srvc', fields: { service: 'serviceName', state: 'state' } },
  } satisfies Record<MonitorType, { token: string; block: string; fields: Record<string, string> }>,
  /** Value tokens: model value → text in policy.xml. */
  tokens: {
    boolean: { true: 'true', false: 'false' } as Record<string, string>,
    priority: Object.fromEntries(PRIORITIES.map((p) => [p, p])) as Record<string, string>,
    eventType: Object.fromEntries(EVENT_TYPES.map((p) => [p, p])) as Record<string, string>,
    scope: Object.fromEntries(SCOPES.map((p) => [p, p])) as Record<string, string>,
    state: Object.fromEntries(RUN_STATES.map((p) => [p, p])) as Record<string, string>,
  },
} as const;

/** policy.xml above this size is refused before parsing. */
export const MAX_POLICY_XML = 4 * 1024 * 1024;
/** A .pcy holds policy.xml and a few components; far fewer entries than a .cpt may. */
export const PCY_ZIP_LIMITS: ZipLimits = { ...DEFAULT_ZIP_LIMITS, maxEntries: 1000 };

/** Which token table an enum field uses. */
const ENUM_TABLE: Record<string, 'eventType' | 'state'> = {
  eventTypes: 'eventType',
  state: 'state',
};

/** Entry names of a .pcy: flat names, or one level under a folder (components/x.cpt), each part safe. */
function checkPcyEntryName(input: string, name: string): void {
  const parts = name.split('/');
  if (parts.length > 2)
    throw new InputError(
      input,
      `unsafe entry name ${JSON.stringify(name)}: at most one folder level is allowed`,
      {
        code: 'UNSAFE_ENTRY',
      },
    );
  for (const p of parts) {
    try {
      checkEntryName(input, p);
    } catch (err) {
      if (!(err instanceof InputError) || p === name) throw err;
      const why = err.message.slice(err.message.indexOf(': ', input.length + 2) + 2);
      throw new InputError(
        input,
        `unsafe entry name ${JSON.stringify(name)} (part ${JSON.stringify(p)}: ${why})`,
        {
          code: 'UNSAFE_ENTRY',
        },
      );
    }
  }
}

/** A file name for a component inside the archive: lower-case words joined by "-". */
export function slugify(name: string, fallback = 'component'): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return s || fallback;
}

export interface PolicyBuildOptions {
  /** Unix seconds for the zip timestamp (SOURCE_DATE_EPOCH); default the pinned DOS epoch. */
  sourceDateEpoch?: number;
}

// ---------------------------------------------------------------- write

const escAttr = (s: string) => escapeText(s).replaceAll('"', '&quot;');
/** Minimal escaping plus CR and TAB as references, so a reader's newline normalisation cannot change them. */
const escText = (s: string) => escapeText(s).replaceAll('\r', '&#13;');

class XmlOut {
  readonly lines: string[] = [];
  open(depth: number, name: string, attrs: [string, string][] = []) {
    this.lines.push(`${PCY1.indent.repeat(depth)}<${name}${attrText(attrs)}>`);
  }
  close(depth: number, name: string) {
    this.lines.push(`${PCY1.indent.repeat(depth)}</${name}>`);
  }
  leaf(depth: number, name: string, value: string, attrs: [string, string][] = []) {
    const pad = PCY1.indent.repeat(depth);
    this.lines.push(
      value === ''
        ? `${pad}<${name}${attrText(attrs)}/>`
        : `${pad}<${name}${attrText(attrs)}>${escText(value)}</${name}>`,
    );
  }
  unknown(depth: number, n: UnknownElement) {
    const attrs = n.attrs.map((a) => [a.name, a.value] as [string, string]);
    if (n.children.length === 0) this.leaf(depth, n.name, n.text ?? '', attrs);
    else {
      this.open(depth, n.name, attrs);
      for (const c of n.children) this.unknown(depth + 1, c);
      this.close(depth, n.name);
    }
  }
}
const attrText = (attrs: [string, string][]) => attrs.map(([k, v]) => ` ${k}="${escAttr(v)}"`).join('');

/** Assigns archive entries to embedded components: one entry per distinct component, slugs unique. */
export function componentEntries(p: Policy): Map<Component, string> {
  const out = new Map<Component, string>();
  const byBytes = new Map<string, string>();
  const used = new Set<string>();
  const refs: ComponentRef[] = [];
  for (const m of p.monitors) {
    if (m.type === 'component') refs.push(m.component);
    if (m.responses.component) refs.push(m.responses.component);
  }
  for (const r of refs) {
    if (r.strategy !== 'embed' || out.has(r.component)) continue;
    const bytes = Buffer.from(writeCpt(r.component)).toString('base64');
    const known = byBytes.get(bytes);
    if (known) {
      out.set(r.component, known);
      continue;
    }
    const base = slugify(r.name);
    let slug = base;
    for (let n = 2; used.has(slug); n++) slug = `${base}-${n}`;
    used.add(slug);
    const entry = `${PCY1.componentsDir}/${slug}.cpt`;
    byBytes.set(bytes, entry);
    out.set(r.component, entry);
  }
  return out;
}

function writeRef(x: XmlOut, depth: number, r: ComponentRef, entries: Map<Component, string>) {
  x.leaf(depth, PCY1.componentRef.uid, r.uid);
  x.leaf(depth, PCY1.componentRef.name, r.name);
  if (r.strategy === 'embed') x.leaf(depth, PCY1.componentRef.entry, entries.get(r.component)!);
}

function writeField(
  x: XmlOut,
  depth: number,
  m: Monitor,
  f: FieldSpec,
  element: string,
  entries: Map<Component, string>,
) {
  const v = getField(m, f.key);
  if (v === undefined) return;
  switch (f.kind) {
    case 'text':
      x.leaf(depth, element, v as string);
      return;
    case 'int':
      x.leaf(depth, element, String(v));
      return;
    case 'ints':
      for (const n of v as number[]) x.leaf(depth, element, String(n));
      return;
    case 'enum':
      x.leaf(depth, element, PCY1.tokens[ENUM_TABLE[f.key]!][v as string]!);
      return;
    case 'enums':
      for (const e of v as string[]) x.leaf(depth, element, PCY1.tokens[ENUM_TABLE[f.key]!][e]!);
      return;
    case 'component':
      writeRef(x, depth, v as ComponentRef, entries);
      return;
    case 'variables':
      (v as { name: string; value: string }[]).forEach((vv, k) => {
        x.open(depth, element, [[PCY1.attr.idx, String(k)]]);
        x.leaf(depth + 1, PCY1.variable.name, vv.name);
        x.leaf(depth + 1, PCY1.variable.value, vv.value);
        x.close(depth, element);
      });
      return;
  }
}

/** policy.xml of a policy, as text (no trailing newline). */
export function writePolicyXml(p: Policy, entries: Map<Component, string> = componentEntries(p)): string {
  const x = new XmlOut();
  const extra = (path: string, depth: number) => {
    for (const n of p.extras?.elements?.[path] ?? []) x.unknown(depth, n);
  };
  const G = PCY1.general;
  x.open(0, PCY1.root, [
    [PCY1.attr.info, PCY1.rootInfo],
    [PCY1.attr.format, p.extras?.format ?? PCY1.format],
  ]);
  x.open(1, G.element);
  x.leaf(2, G.name, p.name);
  x.leaf(2, G.description, p.description);
  x.leaf(2, G.type, PCY1.policyType);
  x.leaf(2, G.scope, PCY1.tokens.scope[p.scope]!);
  x.leaf(2, G.enabled, PCY1.tokens.boolean[`${p.enabled}`]!);
  extra('general', 2);
  x.close(1, G.element);
  p.monitors.forEach((m, k) => {
    const M = PCY1.monitor;
    const t = PCY1.monitors[m.type];
    const row = MONITOR_TYPES.find((r) => r.type === m.type)!;
    const path = `monitor[${k}]`;
    x.open(1, M.element, [[PCY1.attr.idx, String(k)]]);
    x.leaf(2, M.type, t.token);
    x.leaf(2, M.priority, PCY1.tokens.priority[m.priority]!);
    if (m.autoResolveMins !== undefined) x.leaf(2, M.autoResolveMins, String(m.autoResolveMins));
    x.open(2, t.block);
    for (const f of row.fields) writeField(x, 3, m, f, (t.fields as Record<string, string>)[f.key]!, entries);
    extra(`${path}.${t.block}`, 3);
    x.close(2, t.block);
    writeResponses(x, 2, m.responses, entries);
    extra(`${path}.${M.responses}`, 3);
    x.close(2, M.responses);
    extra(path, 2);
    x.close(1, M.element);
  });
  extra('policy', 1);
  x.close(0, PCY1.root);
  return `${PCY1.declaration}${x.lines.join('\n')}`;
}

/** Opens <responses> and writes its known children; the caller closes it (after unknown children). */
function writeResponses(x: XmlOut, depth: number, r: Responses, entries: Map<Component, string>) {
  const R = PCY1.responses;
  x.open(depth, PCY1.monitor.responses);
  for (const e of r.email) x.leaf(depth + 1, R.email, e);
  x.leaf(depth + 1, R.ticket, PCY1.tokens.boolean[`${r.ticket}`]!);
  if (r.component) {
    x.open(depth + 1, R.component);
    writeRef(x, depth + 2, r.component, entries);
    x.close(depth + 1, R.component);
  }
  if (r.webhook !== undefined) x.leaf(depth + 1, R.webhook, r.webhook);
}

/** The archive's entries in write order: policy.xml, embedded components, kept extra entries. */
export function pcyEntries(p: Policy): ZipEntry[] {
  const entries = componentEntries(p);
  const out: ZipEntry[] = [{ name: PCY1.policyEntry, data: Buffer.from(writePolicyXml(p, entries), 'utf8') }];
  const done = new Set<string>();
  for (const [c, name] of entries) {
    if (done.has(name)) continue;
    done.add(name);
    out.push({ name, data: writeCpt(c) });
  }
  for (const e of p.extras?.entries ?? []) if (!done.has(e.name) && e.name !== PCY1.policyEntry) out.push(e);
  return out;
}

/** Builds the .pcy bytes of a normalized policy: the same policy always gives the same bytes. */
export function buildPolicy(p: Policy, options: PolicyBuildOptions = {}): Uint8Array {
  return writePcyEntries(pcyEntries(p), options);
}

/** Zips entries made by pcyEntries (for a caller that also needs the entries themselves). */
export function writePcyEntries(entries: ZipEntry[], options: PolicyBuildOptions = {}): Uint8Array {
  const dos =
    options.sourceDateEpoch !== undefined
      ? dosFromEpoch(options.sourceDateEpoch)
      : parseDosDateTime('timestamp', PINNED_TIMESTAMP);
  return writeZipDatto(entries, dos);
}

// ---------------------------------------------------------------- read

type Node = UnknownElement;

/** Parses XML text into elements; DOCTYPE/ENTITY and oversized input are refused before parsing. */
export function parseXmlElements(input: string, text: string, maxBytes = MAX_POLICY_XML): Node {
  const bad = (msg: string, code = 'BAD_XML') => new InputError(input, msg, { code });
  const size = Buffer.byteLength(text);
  if (size > maxBytes) throw bad(`${size} bytes of XML; at most ${maxBytes} bytes are read`, 'TOO_LARGE');
  const dt = /<!(DOCTYPE|ENTITY)/i.exec(text);
  if (dt) {
    const before = text.slice(0, dt.index);
    throw bad(
      `${dt[1]!.toUpperCase()} declaration at line ${before.split('\n').length}: document types and entities are refused`,
      'DOCTYPE',
    );
  }
  if (!/[^ \t\r\n]/.test(text)) throw bad('is empty; expected an XML document');
  const valid = XMLValidator.validate(text);
  if (valid !== true)
    throw bad(`invalid XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: true,
    htmlEntities: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
  });
  let doc: Record<string, unknown>[];
  try {
    doc = parser.parse(text) as Record<string, unknown>[];
  } catch (err) {
    // the parser's own limits (nesting depth …) are bad input, not a bug
    throw bad(`cannot be parsed: ${(err as Error).message}`);
  }
  const toNode = (o: Record<string, unknown>, depth: number): Node | undefined => {
    const name = Object.keys(o).find((k) => k !== ':@');
    if (name === undefined || name === '#text' || name.startsWith('#') || name.startsWith('?'))
      return undefined;
    if (depth > 64) throw bad('elements nested deeper than 64 levels');
    const attrsObj = (o[':@'] ?? {}) as Record<string, string>;
    const kids = (o[name] ?? []) as Record<string, unknown>[];
    const children: Node[] = [];
    let text = '';
    for (const k of kids) {
      if ('#text' in k) text += String(k['#text']);
      else {
        const c = toNode(k, depth + 1);
        if (c) children.push(c);
      }
    }
    const n: Node = {
      name,
      attrs: Object.entries(attrsObj).map(([k, v]) => ({ name: k, value: String(v) })),
      children,
    };
    if (children.length === 0) n.text = text;
    return n;
  };
  const roots = doc.map((o) => toNode(o, 0)).filter((n): n is Node => n !== undefined);
  if (roots.length !== 1) throw bad('expected exactly one root element');
  return roots[0]!;
}

export interface ReadPolicyOptions {
  limits?: ZipLimits;
}

/** Reads a .pcy written in the rmmkit-pcy profile. `input` names it in errors. */
export function readPolicy(input: string, bytes: Uint8Array, options: ReadPolicyOptions = {}): Policy {
  const zip = readZip(input, bytes, options.limits ?? PCY_ZIP_LIMITS, checkPcyEntryName);
  const first = zip.entries[0];
  if (!first || first.name !== PCY1.policyEntry) {
    const has = zip.entries.some((e) => e.name === PCY1.policyEntry);
    throw new InputError(
      input,
      has
        ? `${PCY1.policyEntry} is not the first entry; this is not an ${PCY1.format} archive (run rmmkit policy probe to see its layout)`
        : `no ${PCY1.policyEntry} entry (entries: ${zip.entries.map((e) => e.name).join(', ') || 'none'}); this is not an ${PCY1.format} archive. Run rmmkit policy probe on it to see its layout`,
      { code: 'NOT_A_POLICY' },
    );
  }
  const where = `${input}!${PCY1.policyEntry}`;
  let text: string;
  try {
    if (first.data.byteLength > MAX_POLICY_XML)
      throw new InputError(
        where,
        `${first.data.byteLength} bytes of XML; at most ${MAX_POLICY_XML} bytes are read`,
        {
          code: 'TOO_LARGE',
        },
      );
    text = new TextDecoder('utf-8', { fatal: true }).decode(first.data);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(where, 'is not valid UTF-8');
  }
  const root = parseXmlElements(where, text);
  const entries = new Map(zip.entries.map((e) => [e.name, e.data]));
  const used = new Set<string>([PCY1.policyEntry]);
  const components = new Map<string, Component>();
  const loadEntry = (name: string, at: string): Component => {
    const data = entries.get(name);
    if (!data)
      throw new InputError(
        where,
        `${at} names entry ${JSON.stringify(name)}, which the archive does not hold`,
      );
    used.add(name);
    let c = components.get(name);
    if (!c) {
      c = readCpt(`${input}!${name}`, data);
      components.set(name, c);
    }
    return c;
  };
  const p = fromPolicyElement(where, root, loadEntry);
  const rest = zip.entries.filter((e) => !used.has(e.name));
  if (rest.length) {
    p.extras ??= {};
    p.extras.entries = rest.map((e) => ({ name: e.name, data: e.data }));
  }
  return p;
}

function fromPolicyElement(
  where: string,
  root: Node,
  loadEntry: (name: string, at: string) => Component,
): Policy {
  const fail = (path: string, msg: string) =>
    new InputError(where, `${path}: ${msg}`, { code: 'BAD_POLICY' });
  if (root.name !== PCY1.root)
    throw fail(
      root.name,
      `the root element is <${root.name}>, expected <${PCY1.root}>; this is not an ${PCY1.format} policy (run rmmkit policy probe to see its layout)`,
    );
  const format = root.attrs.find((a) => a.name === PCY1.attr.format)?.value;
  if (format === undefined || !format.startsWith(PCY1.formatFamily))
    throw fail(
      PCY1.root,
      `format ${format === undefined ? 'is missing' : JSON.stringify(format)}; rmmkit reads ${PCY1.format} (Datto's own layout is not public: run rmmkit policy probe --redact on it and share the copy)`,
    );
  const extras: Record<string, Node[]> = {};
  const keep = (path: string, n: Node) => {
    extras[path] ??= [];
    extras[path].push(n);
  };
  const leafText = (n: Node, path: string) => {
    if (n.children.length) throw fail(path, 'expected text, found child elements');
    return n.text ?? '';
  };
  const childLeaf = (parent: Node, name: string, path: string, required: boolean): string | undefined => {
    const c = parent.children.filter((x) => x.name === name);
    if (c.length > 1) throw fail(`${path}.${name}`, 'appears more than once');
    if (c.length === 0) {
      if (required) throw fail(`${path}.${name}`, 'is missing');
      return undefined;
    }
    return leafText(c[0]!, `${path}.${name}`);
  };
  const token = (table: Record<string, string>, text: string, path: string) => {
    const k = Object.keys(table).find((key) => table[key] === text);
    if (k === undefined)
      throw fail(
        path,
        `${JSON.stringify(text)} is not a known value; expected one of ${Object.values(table).join(', ')}`,
      );
    return k;
  };
  const int = (text: string, path: string) => {
    if (!/^(0|[1-9][0-9]{0,8})$/.test(text))
      throw fail(path, `${JSON.stringify(text)} is not a whole number`);
    return Number(text);
  };
  const G = PCY1.general;
  const general = root.children.find((c) => c.name === G.element);
  if (!general) throw fail(`${PCY1.root}.${G.element}`, 'is missing');
  const gKnown = new Set<string>([G.name, G.description, G.type, G.scope, G.enabled]);
  const type = childLeaf(general, G.type, 'general', true)!;
  if (type !== PCY1.policyType)
    throw fail('general.type', `${JSON.stringify(type)}; this profile holds ${PCY1.policyType} policies`);
  const policy: Policy = {
    name: childLeaf(general, G.name, 'general', true)!,
    description: childLeaf(general, G.description, 'general', false) ?? '',
    scope: token(
      PCY1.tokens.scope,
      childLeaf(general, G.scope, 'general', true)!,
      'general.scope',
    ) as Policy['scope'],
    enabled:
      token(PCY1.tokens.boolean, childLeaf(general, G.enabled, 'general', true)!, 'general.enabled') ===
      'true',
    monitors: [],
  };
  for (const c of general.children) if (!gKnown.has(c.name)) keep('general', c);

  const readRef = (parent: Node, path: string): ComponentRef => {
    const uid = childLeaf(parent, PCY1.componentRef.uid, path, true)!;
    const name = childLeaf(parent, PCY1.componentRef.name, path, true)!;
    const entry = childLeaf(parent, PCY1.componentRef.entry, path, false);
    if (entry === undefined) return { strategy: 'uid', uid, name };
    return {
      strategy: 'embed',
      uid,
      name,
      component: loadEntry(entry, `${path}.${PCY1.componentRef.entry}`),
    };
  };
  const refKnown = new Set<string>(Object.values(PCY1.componentRef));

  let k = 0;
  let pos = 0;
  for (const el of root.children) {
    if (el.name === G.element) continue;
    if (el.name !== PCY1.monitor.element) {
      keep('policy', el);
      continue;
    }
    const M = PCY1.monitor;
    const path = `monitor[${k}]`;
    const idx = el.attrs.find((a) => a.name === PCY1.attr.idx)?.value;
    if (idx !== String(pos++))
      throw fail(path, `has idx=${JSON.stringify(idx ?? null)}; monitors are numbered 0, 1, 2 … in order`);
    const typeToken = childLeaf(el, M.type, path, true)!;
    const entry = Object.entries(PCY1.monitors).find(([, t]) => t.token === typeToken);
    if (!entry) {
      // a monitor type a later profile added: kept whole, written back as it was
      keep('policy', el);
      continue;
    }
    const [modelType, t] = entry as [MonitorType, (typeof PCY1.monitors)[MonitorType]];
    const row = MONITOR_TYPES.find((r) => r.type === modelType) as MonitorTypeRow;
    const m: Record<string, unknown> = { type: modelType };
    m.priority = token(PCY1.tokens.priority, childLeaf(el, M.priority, path, true)!, `${path}.${M.priority}`);
    const ar = childLeaf(el, M.autoResolveMins, path, false);
    if (ar !== undefined) m.autoResolveMins = int(ar, `${path}.${M.autoResolveMins}`);
    const block = el.children.filter((c) => c.name === t.block);
    if (block.length !== 1)
      throw fail(`${path}.${t.block}`, block.length ? 'appears more than once' : 'is missing');
    const b = block[0]!;
    const bpath = `${path}.${t.block}`;
    const fieldElements = t.fields as Record<string, string>;
    const known = new Set<string>();
    for (const f of row.fields) {
      const name = fieldElements[f.key]!;
      if (f.kind === 'component') {
        setField(m, f.key, readRef(b, bpath));
        for (const r of refKnown) known.add(r);
        continue;
      }
      known.add(name);
      const els = b.children.filter((c) => c.name === name);
      if (f.kind === 'ints' || f.kind === 'enums') {
        if (els.length === 0) throw fail(`${bpath}.${name}`, 'is missing');
        setField(
          m,
          f.key,
          els.map((e, n) =>
            f.kind === 'ints'
              ? int(leafText(e, `${bpath}.${name}[${n}]`), `${bpath}.${name}[${n}]`)
              : token(
                  PCY1.tokens[ENUM_TABLE[f.key]!],
                  leafText(e, `${bpath}.${name}[${n}]`),
                  `${bpath}.${name}[${n}]`,
                ),
          ),
        );
      } else if (f.kind === 'variables') {
        setField(
          m,
          f.key,
          els.map((e, n) => {
            const vp = `${bpath}.${name}[${n}]`;
            if (e.attrs.find((a) => a.name === PCY1.attr.idx)?.value !== String(n))
              throw fail(vp, 'idx must number the variables 0, 1, 2 … in order');
            return {
              name: childLeaf(e, PCY1.variable.name, vp, true)!,
              value: childLeaf(e, PCY1.variable.value, vp, false) ?? '',
            };
          }),
        );
      } else {
        const v = childLeaf(b, name, bpath, !f.optional);
        if (v === undefined) continue;
        setField(
          m,
          f.key,
          f.kind === 'int'
            ? int(v, `${bpath}.${name}`)
            : f.kind === 'enum'
              ? token(PCY1.tokens[ENUM_TABLE[f.key]!], v, `${bpath}.${name}`)
              : v,
        );
      }
    }
    for (const c of b.children) if (!known.has(c.name)) keep(bpath, c);
    const R = PCY1.responses;
    const rs = el.children.filter((c) => c.name === M.responses);
    if (rs.length !== 1)
      throw fail(`${path}.${M.responses}`, rs.length ? 'appears more than once' : 'is missing');
    const r = rs[0]!;
    const rpath = `${path}.${M.responses}`;
    const responses: Responses = {
      email: r.children
        .filter((c) => c.name === R.email)
        .map((c, n) => leafText(c, `${rpath}.${R.email}[${n}]`)),
      ticket:
        token(PCY1.tokens.boolean, childLeaf(r, R.ticket, rpath, true)!, `${rpath}.${R.ticket}`) === 'true',
    };
    const rc = r.children.filter((c) => c.name === R.component);
    if (rc.length > 1) throw fail(`${rpath}.${R.component}`, 'appears more than once');
    if (rc[0]) responses.component = readRef(rc[0], `${rpath}.${R.component}`);
    const wh = childLeaf(r, R.webhook, rpath, false);
    if (wh !== undefined) responses.webhook = wh;
    const rKnown = new Set<string>(Object.values(R));
    for (const c of r.children) if (!rKnown.has(c.name)) keep(rpath, c);
    m.responses = responses;
    const mKnown = new Set<string>([M.type, M.priority, M.autoResolveMins, M.responses, t.block]);
    for (const c of el.children) if (!mKnown.has(c.name)) keep(path, c);
    policy.monitors.push(m as unknown as Monitor);
    k++;
  }
  if (format !== PCY1.format || Object.keys(extras).length) {
    policy.extras = {};
    if (format !== PCY1.format) policy.extras.format = format;
    if (Object.keys(extras).length) policy.extras.elements = extras;
  }
  return policy;
}
