// resource.xml in both Datto serialisations: a lossless reader (unknown elements kept in place) and
// a hand serializer that reproduces Datto's bytes (quirks recorded in `xml`, see types.ts).
import { XMLValidator } from 'fast-xml-parser';
import { InputError } from '../errors.js';
import type {
  ComponentGeneral,
  ComponentVariable,
  OrderItem,
  PostCondition,
  ResourceXml,
  VariableOption,
  XmlAttr,
  XmlFidelity,
  XmlLayout,
  XmlNode,
} from './types.js';

/** resource.xml above this size is refused before parsing (real ones are a few KB). */
export const MAX_RESOURCE_XML = 4 * 1024 * 1024;
/** resource.xml nests 4 levels; anything far deeper is hostile (and would exhaust the stack). */
export const MAX_DEPTH = 64;
export const CURRENT_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="no"?>';
const ROOT_INFO = 'CentraStage Component';

export const GENERAL_FIELDS = [
  'name',
  'category',
  'description',
  'uid',
  'hash',
  'version',
  'timeout',
  'securityLevel',
  'installType',
  'uninstallType',
] as const satisfies readonly (keyof ComponentGeneral)[];
const VARIABLE_LEAVES = ['name', 'type', 'direction', 'description', 'defaultVal'] as const;
const OPTION_LEAVES = ['name', 'value'] as const;
const POST_LEAVES = ['consequence', 'resource', 'text', 'qualifier'] as const;
/** Names no element may have: they would reach object keys. */
const FORBIDDEN_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

// ---------------------------------------------------------------- escaping

/** Datto's minimal escaping: `&`, `<` and `>`; quotes and non-ASCII stay raw. */
export function escapeText(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

function decodeText(raw: string, where: () => string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|\w+);|&/g, (m, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`${where()}: a bare "&" (write &amp;)`);
    if (ref[0] === '#') {
      const cp = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp === 0)
        throw new Error(`${where()}: invalid character reference ${m}`);
      return String.fromCodePoint(cp);
    }
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    const v = Object.hasOwn(named, ref) ? named[ref] : undefined;
    if (v === undefined)
      throw new Error(`${where()}: unknown entity ${m} (only the five XML entities exist)`);
    return v;
  });
}

// ---------------------------------------------------------------- tokenizer

interface ParsedDoc {
  declaration: string | null;
  /** Quote of the first attribute and spelling of the first short empty element, as written. */
  quote?: string;
  short?: string;
  afterDeclaration: string;
  root: Extract<XmlNode, { type: 'element' }>;
  trailing: string;
}

type El = Extract<XmlNode, { type: 'element' }>;

/**
 * A small lossless XML tokenizer for the well-formed subset resource.xml uses. fast-xml-parser checks
 * well-formedness first; it cannot be the tree builder because it turns CR/CRLF inside text into LF
 * and does not say whether an empty element was written `<x/>` or `<x></x>` — both Datto quirks.
 */
function tokenize(text: string, fail: (msg: string, at: number) => Error): ParsedDoc {
  let i = 0;
  let declaration: string | null = null;
  if (text.startsWith('<?xml')) {
    const end = text.indexOf('?>');
    // Stryker disable next-line all: unreachable, XMLValidator refuses this document before the tokenizer runs
    if (end < 0) throw fail('unterminated XML declaration', 0);
    declaration = text.slice(0, end + 2);
    i = end + 2;
  }
  const prologStart = i;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: past the end, text[i] is undefined and /\s/ fails anyway
  while (i < text.length && /\s/.test(text[i]!)) i++;
  const afterDeclaration = text.slice(prologStart, i);
  // Stryker disable next-line all: unreachable, XMLValidator refuses this document before the tokenizer runs
  if (text[i] !== '<') throw fail('expected the <component> root element', i);
  const stack: El[] = [];
  let root: El | undefined;
  let firstQuote: string | undefined;
  let firstShort: string | undefined;
  const nameRe = /[A-Za-z_:][-A-Za-z0-9_.:]*/y;
  // Stryker disable next-line EqualityOperator: at text.length the next pass breaks (no parent left, or the validator refused)
  while (i < text.length) {
    const parent = stack[stack.length - 1];
    if (!parent) {
      if (root) break;
    }
    if (text[i] !== '<') {
      const next = text.indexOf('<', i);
      // Stryker disable next-line all: inside an open element a "<" always follows (the validator saw the closing tags)
      const end = next < 0 ? text.length : next;
      // Stryker disable next-line ConditionalExpression: unreachable, before the root a "<" comes first and after it the loop has stopped above
      if (!parent) break;
      parent.children.push({ type: 'text', raw: text.slice(i, end) });
      i = end;
      continue;
    }
    if (text.startsWith('<!--', i) || text.startsWith('<![CDATA[', i) || text.startsWith('<?', i)) {
      const close = text.startsWith('<!--', i) ? '-->' : text.startsWith('<?', i) ? '?>' : ']]>';
      const end = text.indexOf(close, i);
      // Stryker disable next-line all: unreachable, XMLValidator refuses this document before the tokenizer runs
      if (end < 0) throw fail('unterminated comment, CDATA section or processing instruction', i);
      if (!parent)
        throw fail(
          'a comment, CDATA section or processing instruction outside <component> (rmmkit keeps only whitespace there; move it inside <component>)',
          i,
        );
      parent.children.push({ type: 'markup', raw: text.slice(i, end + close.length) });
      i = end + close.length;
      continue;
    }
    if (text[i + 1] === '/') {
      nameRe.lastIndex = i + 2;
      const m = nameRe.exec(text);
      const close = text.indexOf('>', i);
      // Stryker disable next-line all: unreachable, XMLValidator refuses this document before the tokenizer runs
      if (!m || !parent || m[0] !== parent.name || close < 0)
        // Stryker disable next-line all: unreachable, as above
        throw fail(`unexpected closing tag ${m ? `</${m[0]}>` : ''}`, i);
      stack.pop();
      i = close + 1;
      continue;
    }
    nameRe.lastIndex = i + 1;
    const m = nameRe.exec(text);
    // Stryker disable next-line all: unreachable, XMLValidator refuses this document before the tokenizer runs
    if (!m) throw fail('malformed start tag', i);
    const name = m[0];
    if (FORBIDDEN_NAMES.has(name)) throw fail(`element name "${name}" is not allowed`, i);
    let j = i + 1 + name.length;
    const attrs: XmlAttr[] = [];
    for (;;) {
      // Stryker disable next-line StringLiteral: unreachable, the validator refuses a start tag that runs to the end of the text
      while (/\s/.test(text[j] ?? '')) j++;
      if (text[j] === '>' || text.startsWith('/>', j)) break;
      nameRe.lastIndex = j;
      const a = nameRe.exec(text);
      // Stryker disable next-line all: unreachable, XMLValidator refuses this document before the tokenizer runs
      if (!a) throw fail(`malformed attribute in <${name}>`, j);
      if (FORBIDDEN_NAMES.has(a[0])) throw fail(`attribute name "${a[0]}" is not allowed`, j);
      j += a[0].length;
      // Stryker disable next-line StringLiteral: unreachable, as above
      while (/\s/.test(text[j] ?? '')) j++;
      // Stryker disable next-line all: unreachable, XMLValidator refuses this document before the tokenizer runs
      if (text[j] !== '=') throw fail(`attribute ${a[0]} without a value`, j);
      j++;
      // Stryker disable next-line StringLiteral: unreachable, as above
      while (/\s/.test(text[j] ?? '')) j++;
      const q = text[j];
      // Stryker disable next-line all: unreachable, XMLValidator refuses this document before the tokenizer runs
      if (q !== '"' && q !== "'") throw fail(`unquoted attribute ${a[0]}`, j);
      const end = text.indexOf(q, j + 1);
      // Stryker disable next-line all: unreachable, XMLValidator refuses this document before the tokenizer runs
      if (end < 0) throw fail(`unterminated attribute ${a[0]}`, j);
      attrs.push({ name: a[0], value: text.slice(j + 1, end) });
      firstQuote ??= q;
      j = end + 1;
    }
    const selfClosing = text[j] === '/';
    // Stryker disable next-line Regex: the slice is one character; anchored or not is the same
    if (selfClosing) firstShort ??= /\s$/.test(text.slice(j - 1, j)) ? ' />' : '/>';
    const el: El = { type: 'element', name, attrs, children: [] };
    if (parent) parent.children.push(el);
    else {
      // Stryker disable next-line all: unreachable, the loop stops once the root is complete (and XMLValidator refuses a second root)
      if (root) throw fail('more than one root element', i);
      root = el;
    }
    if (!selfClosing) {
      el.pair = true;
      stack.push(el);
      if (stack.length > MAX_DEPTH) throw fail(`elements nested deeper than ${MAX_DEPTH} levels`, i);
    }
    i = j + (selfClosing ? 2 : 1);
    // Stryker disable next-line ConditionalExpression: without this break the next pass breaks on the finished root
    if (!parent && selfClosing) break;
  }
  // Stryker disable next-line all: unreachable, XMLValidator refuses this document before the tokenizer runs
  if (stack.length > 0 || !root) throw fail('unexpected end of document', text.length);
  const trailing = text.slice(i);
  if (/[^\s]/.test(trailing)) throw fail('content after the root element', i);
  return { declaration, afterDeclaration, root, trailing, quote: firstQuote, short: firstShort };
}

// ---------------------------------------------------------------- read

function lineCol(text: string, at: number): string {
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return `line ${line}, column ${at - before.lastIndexOf('\n')}`;
}

/**
 * Reads resource.xml (bytes or text) in either layout. `input` names the source in errors, e.g.
 * `"x.cpt!resource.xml"`. DOCTYPE and entity declarations and oversized input are refused before parsing.
 */
export function readResourceXml(input: string, source: Uint8Array | string): ResourceXml {
  const size = Buffer.byteLength(source); // UTF-8 bytes of a string, or the byte length of the bytes
  const bad = (msg: string, code = 'BAD_XML') => new InputError(input, msg, { code });
  if (size > MAX_RESOURCE_XML)
    throw bad(`${size} bytes of XML; resource.xml may be at most ${MAX_RESOURCE_XML} bytes`, 'TOO_LARGE');
  let text: string;
  if (typeof source === 'string') text = source;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(source);
    } catch {
      const at = firstInvalidUtf8(source);
      throw bad(`not valid UTF-8 (first bad byte at offset ${at}); resource.xml must be UTF-8`);
    }
  }
  if (text.charCodeAt(0) === 0xfeff)
    throw bad('starts with a byte-order mark; Datto writes resource.xml without one');
  const dt = /<!(DOCTYPE|ENTITY)/i.exec(text);
  if (dt)
    throw bad(
      `${dt[1]!.toUpperCase()} declaration at ${lineCol(text, dt.index)}: document types and entities are refused`,
    );
  if (!/[^ \t\r\n]/.test(text)) throw bad('is empty; expected a <component> document');
  // Stryker disable next-line ObjectLiteral: false is the validator default; spelled out for the reader
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true)
    throw bad(
      `invalid XML at line ${valid.err.line ?? 1}${valid.err.col !== undefined ? `, column ${valid.err.col}` : ''}: ${valid.err.msg}`,
    );
  const fail = (msg: string, at: number) => bad(`invalid XML at ${lineCol(text, at)}: ${msg}`);
  const doc = tokenize(text, fail);
  try {
    return fromDocument(doc);
  } catch (err) {
    // Stryker disable next-line ConditionalExpression: fromDocument throws plain Errors only; kept for safety
    if (err instanceof InputError) throw err;
    throw bad((err as Error).message);
  }
}

/** Offset of the first byte that breaks UTF-8, for the error message. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const n =
      c < 0x80 ? 0 : c >= 0xc2 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : -1;
    if (n < 0) return i;
    // the second byte's range excludes overlong forms, surrogates and code points above U+10FFFF
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    // Stryker disable next-line UnaryOperator: past the end any value below 0x80 fails the range check alike
    const second = b[i + 1] ?? -1;
    if (n > 0 && (second < lo || second > hi)) return i;
    for (let k = 2; k <= n; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return -1;
}

// Stryker disable next-line ConditionalExpression: markup starts with "<" and an element has no raw (tested as "undefined"): neither is blank anyway
const isBlank = (n: XmlNode) => n.type === 'text' && !/[^ \t\r\n]/.test(n.raw);

function fromDocument(doc: ParsedDoc): ResourceXml {
  const root = doc.root;
  if (root.name !== 'component') throw new Error(`the root element is <${root.name}>, expected <component>`);
  // The indent before the first child tells the layout; the declaration decides when there is none.
  const firstIndent =
    root.children[0]?.type === 'text' ? /\n( *)$/.exec(root.children[0].raw)?.[1] : undefined;
  const layout: XmlLayout =
    firstIndent === '  '
      ? 'legacy'
      : firstIndent === '    '
        ? 'current'
        : doc.declaration === null
          ? 'legacy'
          : 'current';
  const xml: XmlFidelity = { layout };
  // Each quirk is added in place: copying the collection on every addition made reading quadratic.
  const addPair = (path: string) => {
    xml.pairs ??= [];
    xml.pairs.push(path);
  };
  const addRaw = (path: string, raw: string) => {
    xml.raw ??= {};
    xml.raw[path] = raw;
  };
  const addAttrs = (path: string, attrs: XmlAttr[]) => {
    xml.attrs ??= {};
    xml.attrs[path] = attrs;
  };
  const addOrder = (path: string, order: OrderItem[]) => {
    xml.order ??= {};
    xml.order[path] = order;
  };
  if (doc.declaration !== (layout === 'current' ? CURRENT_DECLARATION : null))
    xml.declaration = doc.declaration;
  if (doc.quote && doc.quote !== STYLES[layout].quote) xml.quote = doc.quote;
  if (doc.short && doc.short !== STYLES[layout].short) xml.short = doc.short;
  if (doc.afterDeclaration) xml.afterDeclaration = doc.afterDeclaration;
  if (doc.trailing) xml.trailing = doc.trailing;
  // Stryker disable next-line OptionalChaining: with exactly one attribute, attrs[0] exists
  if (root.attrs.length !== 1 || root.attrs[0]?.name !== 'info' || root.attrs[0].value !== ROOT_INFO)
    xml.rootAttrs = root.attrs;

  const general: ComponentGeneral = {};
  const variables: ComponentVariable[] = [];
  const postConditions: PostCondition[] = [];

  /** A known leaf: text only. Returns undefined when the element holds more than text (kept as unknown). */
  const leafText = (el: El, path: string): string | undefined => {
    if (el.attrs.length > 0 || el.children.some((c) => c.type !== 'text')) return undefined;
    // Stryker disable next-line StringLiteral: a text-only leaf has one text node (the tokenizer joins a run)
    const raw = el.children.map((c) => (c as { raw: string }).raw).join('');
    const value = decodeText(raw, () => path);
    if (escapeText(value) !== raw) addRaw(path, raw);
    if (raw === '' && el.pair) addPair(path);
    return value;
  };
  const idxOf = (el: El, path: string): number => {
    const a = el.attrs.find((x) => x.name === 'idx');
    if (!a) throw new Error(`${path} has no idx attribute (idx is required: 0, 1, 2 …)`);
    if (!/^(0|[1-9][0-9]{0,8})$/.test(a.value))
      throw new Error(`${path} has idx="${a.value}"; idx must be a whole number (0, 1, 2 …)`);
    if (el.attrs.length !== 1) addAttrs(path, el.attrs);
    return Number(a.value);
  };
  /** A walk visitor that keeps each leaf named in `leaves` once, as text, in `target`; any other child stays unknown. */
  const storeLeaves =
    <K extends string>(target: { [P in K]?: string }, leaves: readonly K[]) =>
    (child: El, childPath: string, counts: Map<string, number>): boolean => {
      const f = child.name as K;
      if (!(leaves as readonly string[]).includes(f) || counts.has(f)) return false;
      const t = leafText(child, childPath);
      if (t === undefined) return false;
      target[f] = t;
      return true;
    };
  /** Walks the children of a known parent, records document order when it is not canonical. */
  const walk = (
    el: El,
    path: string,
    visit: (child: El, childPath: string, counts: Map<string, number>) => boolean,
    canonical: () => string[],
  ) => {
    const order: OrderItem[] = [];
    const counts = new Map<string, number>();
    for (const c of el.children) {
      if (isBlank(c)) continue;
      // Stryker disable next-line ConditionalExpression: visitors turn down text and markup (no name matches)
      if (c.type === 'element') {
        const n = counts.get(c.name) ?? 0;
        const childPath = `${path === 'component' ? '' : `${path}.`}${c.name}${isRepeated(c.name) ? `[${n}]` : ''}`;
        if (visit(c, childPath, counts)) {
          counts.set(c.name, n + 1);
          order.push(c.name);
          continue;
        }
      }
      order.push(prune(c));
    }
    const canon = canonical();
    // Stryker disable next-line ConditionalExpression: order holds every child canon names, so a longer order differs at canon's end (undefined) anyway
    if (order.length !== canon.length || order.some((o, k) => o !== canon[k])) addOrder(path, order);
  };

  walk(
    root,
    'component',
    (c, p, counts) => {
      if (c.name === 'general' && !counts.has('general')) {
        if (c.attrs.length > 0) addAttrs('general', c.attrs);
        walk(c, 'general', storeLeaves(general, GENERAL_FIELDS), () => canonicalGeneral(general));
        if (c.children.length === 0 && c.pair) addPair('general');
        return true;
      }
      if (c.name === 'variable') {
        const v: ComponentVariable = { idx: idxOf(c, p), options: [] };
        const storeVariableLeaf = storeLeaves(v, VARIABLE_LEAVES);
        walk(
          c,
          p,
          (vc, vp, vcount) => {
            if (vc.name === 'selectionKeyValue') {
              const o: VariableOption = { idx: idxOf(vc, vp) };
              walk(vc, vp, storeLeaves(o, OPTION_LEAVES), () => canonicalLeaves(o, OPTION_LEAVES));
              v.options.push(o);
              return true;
            }
            return storeVariableLeaf(vc, vp, vcount);
          },
          () => canonicalVariable(v),
        );
        variables.push(v);
        return true;
      }
      if (c.name === 'postCondition') {
        const pc: PostCondition = { idx: idxOf(c, p) };
        walk(c, p, storeLeaves(pc, POST_LEAVES), () => canonicalLeaves(pc, POST_LEAVES));
        postConditions.push(pc);
        return true;
      }
      return false;
    },
    () => canonicalRoot(variables.length, postConditions.length),
  );
  return { general, variables, postConditions, xml };
}

/** Drops the indentation inside element-only content: the writer re-indents it in the chosen layout. */
function prune(n: XmlNode): XmlNode {
  if (n.type !== 'element' || !n.children.some((c) => c.type === 'element')) return n;
  if (!n.children.every((c) => c.type === 'element' || isBlank(c))) return n;
  return { ...n, children: n.children.filter((c) => !isBlank(c)).map(prune) };
}

const isRepeated = (name: string) =>
  name === 'variable' || name === 'postCondition' || name === 'selectionKeyValue';

function canonicalGeneral(g: ComponentGeneral): string[] {
  return GENERAL_FIELDS.filter((f) => g[f] !== undefined);
}
function canonicalLeaves<T extends object>(o: T, leaves: readonly string[]): string[] {
  return leaves.filter((f) => (o as Record<string, unknown>)[f] !== undefined);
}
function canonicalVariable(v: ComponentVariable): string[] {
  const out: string[] = [];
  if (v.name !== undefined) out.push('name');
  for (const _ of v.options) out.push('selectionKeyValue');
  for (const f of ['type', 'direction', 'description', 'defaultVal'] as const)
    if (v[f] !== undefined) out.push(f);
  return out;
}
function canonicalRoot(nv: number, np: number): string[] {
  return ['general', ...Array<string>(nv).fill('variable'), ...Array<string>(np).fill('postCondition')];
}

// ---------------------------------------------------------------- write

interface LayoutStyle {
  indent: string;
  quote: string;
  short: string;
}
const STYLES: Record<XmlLayout, LayoutStyle> = {
  legacy: { indent: '  ', quote: "'", short: ' />' },
  current: { indent: '    ', quote: '"', short: '/>' },
};

export interface WriteXmlOptions {
  /** Layout to emit; default: the layout the component was read in, else `current`. */
  layout?: XmlLayout;
}

/**
 * Serialises resource.xml. For a component read by readResourceXml and written in the layout it was
 * read in, the output equals the input byte for byte. Returns UTF-8 bytes: no BOM, no trailing newline.
 */
export function writeResourceXml(r: ResourceXml, options: WriteXmlOptions = {}): Uint8Array {
  return Buffer.from(writeResourceXmlText(r, options));
}

export function writeResourceXmlText(r: ResourceXml, options: WriteXmlOptions = {}): string {
  const layout = options.layout ?? r.xml.layout ?? 'current';
  const same = layout === r.xml.layout;
  const fid = r.xml;
  const st: LayoutStyle = same
    ? {
        ...STYLES[layout],
        quote: fid.quote ?? STYLES[layout].quote,
        short: fid.short ?? STYLES[layout].short,
      }
    : STYLES[layout];
  // Stryker disable next-line ArrayDeclaration: no path is named like a mutant's string, so any never-matching set is the same
  const pairs = new Set(fid.pairs ?? []);
  const lines: string[] = [];
  const attrText = (attrs: readonly XmlAttr[]) =>
    attrs.map((a) => ` ${a.name}=${st.quote}${attrValue(a.value, st.quote, same)}${st.quote}`).join('');
  /** A known leaf; only leaves the model has are emitted (canonical lists and reconcile see to it). */
  const leaf = (depth: number, name: string, path: string, value: string) => {
    const rawOverride = fid.raw?.[path];
    const raw =
      // Stryker disable next-line ConditionalExpression: safeDecode(undefined) fails inside its try and gives undefined, equal to no value
      rawOverride !== undefined && safeDecode(rawOverride) === value ? rawOverride : escapeText(value);
    const pad = st.indent.repeat(depth);
    if (raw === '') lines.push(`${pad}<${name}${pairs.has(path) ? `></${name}>` : st.short}`);
    else lines.push(`${pad}<${name}>${raw}</${name}>`);
  };
  const unknown = (depth: number, n: XmlNode) => {
    const pad = st.indent.repeat(depth);
    if (n.type !== 'element') {
      lines.push(pad + n.raw);
      return;
    }
    const elementContent =
      n.children.some((c) => c.type === 'element') &&
      n.children.every((c) => c.type === 'element' || isBlank(c));
    if (elementContent) {
      lines.push(`${pad}<${n.name}${attrText(n.attrs)}>`);
      for (const c of n.children) if (!isBlank(c)) unknown(depth + 1, c);
      lines.push(`${pad}</${n.name}>`);
    } else lines.push(pad + inline(n));
  };
  const inline = (n: XmlNode): string => {
    if (n.type !== 'element') return n.raw;
    if (n.children.length === 0)
      return `<${n.name}${attrText(n.attrs)}${n.pair ? `></${n.name}>` : st.short}`;
    return `<${n.name}${attrText(n.attrs)}>${n.children.map(inline).join('')}</${n.name}>`;
  };
  /** Emits a known parent: its recorded order (reconciled with the model) or the canonical one. */
  const parent = (
    depth: number,
    name: string,
    path: string,
    attrs: XmlAttr[],
    canonical: string[],
    emit: (child: string, k: number) => void,
  ) => {
    const pad = st.indent.repeat(depth);
    const items = reconcile(fid.order?.[path], canonical);
    if (items.length === 0) {
      lines.push(`${pad}<${name}${attrText(attrs)}${pairs.has(path) ? `></${name}>` : st.short}`);
      return;
    }
    lines.push(`${pad}<${name}${attrText(attrs)}>`);
    const seen = new Map<string, number>();
    for (const it of items) {
      if (typeof it === 'string') {
        const k = seen.get(it) ?? 0;
        seen.set(it, k + 1);
        emit(it, k);
      } else unknown(depth + 1, it);
    }
    lines.push(`${pad}</${name}>`);
  };
  const indexed = (path: string, idx: number): XmlAttr[] => {
    const kept = fid.attrs?.[path];
    if (!kept) return [{ name: 'idx', value: String(idx) }];
    return kept.map((a) => (a.name === 'idx' ? { name: 'idx', value: String(idx) } : a));
  };

  parent(
    0,
    'component',
    'component',
    fid.rootAttrs ?? [{ name: 'info', value: ROOT_INFO }],
    canonicalRoot(r.variables.length, r.postConditions.length),
    (child, k) => {
      if (child === 'general') {
        const g = r.general;
        parent(1, 'general', 'general', fid.attrs?.general ?? [], canonicalGeneral(g), (f) =>
          leaf(2, f, `general.${f}`, g[f as keyof ComponentGeneral]!),
        );
      } else if (child === 'variable') {
        const v = r.variables[k]!;
        const vp = `variable[${k}]`;
        parent(1, 'variable', vp, indexed(vp, v.idx), canonicalVariable(v), (f, n) => {
          if (f === 'selectionKeyValue') {
            const o = v.options[n]!;
            const op = `${vp}.selectionKeyValue[${n}]`;
            parent(2, 'selectionKeyValue', op, indexed(op, o.idx), canonicalLeaves(o, OPTION_LEAVES), (of) =>
              leaf(3, of, `${op}.${of}`, o[of as 'name' | 'value']!),
            );
          } else leaf(2, f, `${vp}.${f}`, v[f as (typeof VARIABLE_LEAVES)[number]]!);
        });
      } else {
        const pc = r.postConditions[k]!;
        const pp = `postCondition[${k}]`;
        parent(1, 'postCondition', pp, indexed(pp, pc.idx), canonicalLeaves(pc, POST_LEAVES), (f) =>
          leaf(2, f, `${pp}.${f}`, pc[f as (typeof POST_LEAVES)[number]]!),
        );
      }
    },
  );
  const declaration =
    same && fid.declaration !== undefined
      ? fid.declaration
      : layout === 'current'
        ? CURRENT_DECLARATION
        : null;
  const head = declaration === null ? '' : declaration + (same ? (fid.afterDeclaration ?? '') : '');
  return head + lines.join('\n') + (same ? (fid.trailing ?? '') : '');
}

/**
 * An attribute value (raw, as read) for the quote it is written in. The quote itself is escaped. On a
 * layout change the value was written for the other quote, so that quote's escapes are undone first
 * (`info="it's"` → legacy `info='it&apos;s'` → current `info="it's"` again, not `"it&apos;s"`); the
 * rest stays as written. In the layout it was read in, the value is kept byte for byte.
 */
export function attrValue(raw: string, quote: string, sameLayout: boolean): string {
  let v = raw;
  if (!sameLayout)
    v = v.replace(quote === '"' ? /&(?:apos|#39|#x27);/g : /&(?:quot|#34|#x22);/g, quote === '"' ? "'" : '"');
  return v.replaceAll(quote, quote === '"' ? '&quot;' : '&apos;');
}

function safeDecode(raw: string): string | undefined {
  try {
    // Stryker disable next-line all: the place is only for an error message, which is swallowed here
    return decodeText(raw, () => '');
  } catch {
    // not decodable: undefined below, and the caller escapes the value afresh
  }
  return undefined;
}

/**
 * The recorded order with the model's current children: known names beyond what the model has are
 * dropped, and children the model has but the record lacks are added at their canonical place.
 */
function reconcile(recorded: OrderItem[] | undefined, canonical: string[]): OrderItem[] {
  if (!recorded) return canonical;
  const want = new Map<string, number>();
  for (const c of canonical) want.set(c, (want.get(c) ?? 0) + 1);
  const out: OrderItem[] = [];
  const used = new Map<string, number>();
  for (const it of recorded) {
    if (typeof it !== 'string') {
      out.push(it);
      continue;
    }
    const u = used.get(it) ?? 0;
    if (u < (want.get(it) ?? 0)) {
      used.set(it, u + 1);
      out.push(it);
    }
  }
  for (const [name, n] of want) {
    let missing = n - (used.get(name) ?? 0);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut; with none missing (never fewer) the code below adds an empty list
    if (missing <= 0) continue;
    // after the last existing sibling of the same name, else at the end
    let at = -1;
    // Stryker disable next-line ArithmeticOperator: indices past the end hold undefined, which is no name
    for (let k = out.length - 1; k >= 0; k--)
      if (out[k] === name) {
        at = k;
        break;
      }
    const add = Array<string>(missing).fill(name);
    if (at < 0) out.push(...add);
    else out.splice(at + 1, 0, ...add);
    missing = 0;
  }
  return out;
}
