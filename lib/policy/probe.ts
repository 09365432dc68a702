// Probe and redact any policy file (a real Datto export included): what container, which entries,
// which XML element paths or JSON key paths, and a copy with every name, address, UID, URL and free
// text replaced by a placeholder of the same shape, safe to share so a new profile can be written.
import { InputError } from '../errors.js';
import { checkEntryName, parseDosDateTime, readZip, writeZipDatto, type ZipEntry } from '../io/zip.js';
import { MAX_POLICY_XML, PCY_ZIP_LIMITS, PCY1, parseXmlElements } from './profile.js';
import type { UnknownElement } from './types.js';
import { EVENT_TYPES, PRIORITIES, RUN_STATES, SCOPES } from './types.js';

export type ProbeKind = 'zip' | 'xml' | 'json' | 'unknown';

export interface PathCount {
  path: string;
  count: number;
  /** XML: attribute names seen on the element; JSON: value types seen. */
  details: string[];
}

export interface ProbeResult {
  kind: ProbeKind;
  bytes: number;
  /** zip: the entries in archive order, with what each holds (probed in turn, two levels deep). */
  entries?: { name: string; bytes: number; compressedBytes: number; method: number; probe?: ProbeResult }[];
  /** xml: the root element and its attributes. */
  root?: { name: string; attributes: Record<string, string> };
  /** xml: element paths; json: key paths. */
  paths?: PathCount[];
  /** unknown: the first bytes, in hex and as printable text. */
  head?: { hex: string; text: string };
  /** Set when the content could not be parsed as its first bytes suggest. */
  error?: string;
}

const MAX_JSON = 16 * 1024 * 1024;
const MAX_DEPTH = 2;

/** Entry names of any archive worth probing: folders allowed, but no traversal or unsafe parts. */
function checkAnyEntryName(input: string, name: string): void {
  const parts = name.split('/');
  if (parts.length > 8)
    throw new InputError(input, `unsafe entry name ${JSON.stringify(name)}: nested deeper than 8 folders`, {
      code: 'UNSAFE_ENTRY',
    });
  for (const p of parts) checkEntryName(input, p === '' ? name : p);
}

/** What the first bytes say a file is (a UTF-8 BOM and leading whitespace are skipped for text). */
export function sniff(bytes: Uint8Array): ProbeKind {
  if (
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    (bytes[2] === 3 || bytes[2] === 5) &&
    (bytes[3] === 4 || bytes[3] === 6)
  )
    return 'zip';
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (
    i < bytes.length &&
    (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)
  )
    i++;
  if (bytes[i] === 0x3c) return 'xml';
  if (bytes[i] === 0x7b || bytes[i] === 0x5b) return 'json';
  return 'unknown';
}

function decode(input: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new InputError(input, 'is not valid UTF-8 text');
  }
}

function xmlPaths(root: UnknownElement): PathCount[] {
  const map = new Map<string, PathCount>();
  const visit = (n: UnknownElement, prefix: string) => {
    const path = prefix ? `${prefix}/${n.name}` : n.name;
    const e = map.get(path) ?? { path, count: 0, details: [] };
    e.count++;
    for (const a of n.attrs) if (!e.details.includes(`@${a.name}`)) e.details.push(`@${a.name}`);
    map.set(path, e);
    for (const c of n.children) visit(c, path);
  };
  visit(root, '');
  return [...map.values()];
}

/** Parses JSON text; a syntax error or hostile nesting is bad input, not a bug. */
function parseJson(input: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(input, `invalid JSON: ${(err as Error).message}`);
  }
}

function jsonPaths(input: string, value: unknown): PathCount[] {
  const map = new Map<string, PathCount>();
  const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  const visit = (v: unknown, path: string, depth: number) => {
    if (depth > 64) throw new InputError(input, 'JSON nested deeper than 64 levels; refused');
    if (path) {
      const e = map.get(path) ?? { path, count: 0, details: [] };
      e.count++;
      if (!e.details.includes(typeOf(v))) e.details.push(typeOf(v));
      map.set(path, e);
    }
    if (Array.isArray(v)) for (const x of v) visit(x, `${path}[]`, depth + 1);
    else if (v !== null && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) visit(x, path ? `${path}.${k}` : k, depth + 1);
  };
  visit(value, '', 0);
  return [...map.values()];
}

/** Identifies a file and lists its structure; no value is shown except the XML root's attributes, redacted. */
export function probeBytes(input: string, bytes: Uint8Array, depth = 0): ProbeResult {
  const kind = sniff(bytes);
  const r: ProbeResult = { kind, bytes: bytes.byteLength };
  try {
    if (kind === 'zip') {
      const zip = readZip(input, bytes, PCY_ZIP_LIMITS, checkAnyEntryName);
      r.entries = zip.entries.map((e, k) => {
        const info = zip.info[k]!;
        const inner =
          depth < MAX_DEPTH && sniff(e.data) !== 'unknown'
            ? probeBytes(`${input}!${e.name}`, e.data, depth + 1)
            : undefined;
        return {
          name: e.name,
          bytes: e.data.byteLength,
          compressedBytes: info.compressedSize,
          method: info.method,
          ...(inner ? { probe: inner } : {}),
        };
      });
    } else if (kind === 'xml') {
      const root = parseXmlElements(input, decode(input, bytes), MAX_POLICY_XML);
      // attribute values pass through the redactor: vocabulary stays, names and addresses do not
      const red = new Redactor();
      r.root = {
        name: root.name,
        attributes: Object.fromEntries(root.attrs.map((a) => [a.name, red.value(a.value)])),
      };
      r.paths = xmlPaths(root);
    } else if (kind === 'json') {
      if (bytes.byteLength > MAX_JSON)
        throw new InputError(input, `${bytes.byteLength} bytes of JSON; at most ${MAX_JSON} are read`, {
          code: 'TOO_LARGE',
        });
      r.paths = jsonPaths(input, parseJson(input, decode(input, bytes).replace(/^\uFEFF/, '')));
    } else {
      const head = bytes.subarray(0, 64);
      r.head = {
        hex: Buffer.from(head)
          .toString('hex')
          .replace(/(..)(?!$)/g, '$1 '),
        text: Array.from(head, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join(''),
      };
    }
  } catch (err) {
    // the outer file is refused outright; a nested entry that fails is reported, the rest probed
    if (depth === 0) throw err;
    r.error = (err as Error).message;
  }
  return r;
}

/** The probe as indented lines, for the terminal. */
export function formatProbe(r: ProbeResult, indent = ''): string[] {
  const out: string[] = [];
  const kinds: Record<ProbeKind, string> = {
    zip: 'ZIP archive',
    xml: 'XML document',
    json: 'JSON document',
    unknown: 'unrecognised',
  };
  out.push(`${indent}${kinds[r.kind]}, ${r.bytes} bytes${r.error ? ` (could not be read: ${r.error})` : ''}`);
  if (r.entries) {
    out.push(`${indent}entries (${r.entries.length}, archive order):`);
    for (const e of r.entries) {
      out.push(
        `${indent}  ${e.name}  ${e.bytes} bytes, ${e.method === 8 ? 'deflated' : e.method === 0 ? 'stored' : `method ${e.method}`} to ${e.compressedBytes}`,
      );
      if (e.probe) out.push(...formatProbe(e.probe, `${indent}    `));
    }
  }
  if (r.root)
    out.push(
      `${indent}root <${r.root.name}>${Object.entries(r.root.attributes)
        .map(([k, v]) => ` ${k}=${JSON.stringify(v)}`)
        .join('')}`,
    );
  if (r.paths) {
    out.push(
      `${indent}${r.kind === 'xml' ? 'element' : 'key'} paths (count${r.kind === 'xml' ? ', attributes' : ', types'}):`,
    );
    for (const p of r.paths)
      out.push(`${indent}  ${p.path}  ${p.count}${p.details.length ? `  ${p.details.join(' ')}` : ''}`);
  }
  if (r.head) out.push(`${indent}first bytes: ${r.head.hex}`, `${indent}as text:     ${r.head.text}`);
  return out;
}

// ---------------------------------------------------------------- redaction

/** Values that are structure, not content: kept so a redacted export still shows the vocabulary. */
const KEEP = new Set<string>([
  ...PRIORITIES,
  ...EVENT_TYPES,
  ...RUN_STATES,
  ...SCOPES,
  'true',
  'false',
  'True',
  'False',
  'null',
  'eventlog',
  'comp_script',
  'srvc',
  'process',
  'perf_disk',
  'online_offline',
  'software',
  'wmi',
  'ping',
  'monitoring',
  'Application',
  'System',
  'Security',
  'Setup',
  'applications',
  'scripts',
  'monitors',
  'powershell',
  'unix',
  'batch',
  'string',
  'boolean',
  'map',
  'date',
  'warn',
  'stdout',
  'stderr',
  'found',
  'CentraStage Policy',
  'CentraStage Component',
  PCY1.format,
]);
/** Entry names and folders kept as they are. */
const KEEP_NAMES = new Set(['policy.xml', 'resource.xml', 'command.bat', 'icon.png', 'components']);

const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const EMAIL_RE = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[^\s@<>"'(),;:]+/g;
const URL_RE = /\b[a-z][a-z0-9+.-]*:\/\/[^\s<>"']+/gi;
const SPECIAL_RE = new RegExp(`${URL_RE.source}|${EMAIL_RE.source}|${UUID_RE.source}`, 'gi');

/** Letters become x/X, digits 0; spacing and punctuation stay: the shape, none of the content. */
export function maskShape(s: string): string {
  return s.replace(/\p{L}|\p{N}/gu, (c) => (/\p{N}/u.test(c) ? '0' : /\p{Lu}/u.test(c) ? 'X' : 'x'));
}

/** Consistent placeholders: the same original always gets the same placeholder within one redaction. */
export class Redactor {
  private readonly seen = new Map<string, string>();
  private counters = { uid: 0, email: 0, url: 0 };

  private placeholder(kind: 'uid' | 'email' | 'url', original: string): string {
    const key = `${kind}:${original.toLowerCase()}`;
    const known = this.seen.get(key);
    if (known) return known;
    const n = ++this.counters[kind];
    let p: string;
    if (kind === 'uid') p = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    else if (kind === 'email') p = `user${n}@example.com`;
    else {
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(original)?.[1]?.toLowerCase() ?? 'https';
      const safeScheme = ['http', 'https', 'ftp', 'mailto'].includes(scheme) ? scheme : 'x';
      p = `${safeScheme}://redacted${n}.example.com/`;
    }
    this.seen.set(key, p);
    return p;
  }

  /** A text value: kept when it is vocabulary or a small number, otherwise replaced. */
  value(s: string): string {
    const t = s.trim();
    if (t === '' || KEEP.has(t) || /^-?[0-9]{1,9}$/.test(t)) return s;
    let out = '';
    let last = 0;
    for (const m of s.matchAll(SPECIAL_RE)) {
      out += maskShape(s.slice(last, m.index));
      const v = m[0];
      const kind = new RegExp(`^${UUID_RE.source}$`, 'i').test(v)
        ? 'uid'
        : /^[a-z][a-z0-9+.-]*:\/\//i.test(v)
          ? 'url'
          : 'email';
      out += this.placeholder(kind, v);
      last = m.index + v.length;
    }
    return out + maskShape(s.slice(last));
  }

  /** An archive entry name: known names and extensions stay, the rest is masked. */
  entryName(name: string): string {
    return name
      .split('/')
      .map((part) => {
        if (KEEP_NAMES.has(part)) return part;
        const dot = part.lastIndexOf('.');
        const [base, ext] = dot > 0 ? [part.slice(0, dot), part.slice(dot)] : [part, ''];
        return maskShape(base) + ext;
      })
      .join('/');
  }
}

/** Redacts XML in place: element and attribute names and the layout stay; values, text and comments are replaced. */
export function redactXml(input: string, text: string, r: Redactor): string {
  if (Buffer.byteLength(text) > MAX_POLICY_XML)
    throw new InputError(input, `more than ${MAX_POLICY_XML} bytes of XML; refused`, { code: 'TOO_LARGE' });
  // the same checks as reading (DOCTYPE refused, well-formed), before anything is rewritten
  parseXmlElements(input, text);
  const entity = /&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g;
  const decode = (raw: string) =>
    raw.replace(entity, (m, ref: string) => {
      if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
      if (ref.startsWith('#')) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
      return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[ref] ?? m;
    });
  const encode = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const redactRaw = (raw: string) => (/^\s*$/.test(raw) ? raw : encode(r.value(decode(raw))));
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i);
      out += `<!--${maskShape(text.slice(i + 4, end))}-->`;
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i);
      out += `<![CDATA[${r.value(text.slice(i + 9, end))}]]>`;
      i = end + 3;
    } else if (text.startsWith('<?', i)) {
      // the XML declaration is structure; any other processing instruction may carry a URL or name
      const end = text.indexOf('?>', i);
      const pi = text.slice(i, end + 2);
      out += /^<\?xml\s/.test(pi) ? pi : `<?${maskShape(pi.slice(2, -2))}?>`;
      i = end + 2;
    } else if (text[i] === '<') {
      // a tag: names stay, attribute values are redacted
      let j = i + 1;
      let tag = '<';
      while (j < text.length && text[j] !== '>') {
        const q = text[j];
        if (q === '"' || q === "'") {
          const end = text.indexOf(q, j + 1);
          const raw = text.slice(j + 1, end);
          tag += q + redactRaw(raw).replaceAll(q, q === '"' ? '&quot;' : '&apos;') + q;
          j = end + 1;
        } else {
          tag += q;
          j++;
        }
      }
      out += `${tag}>`;
      i = j + 1;
    } else {
      const next = text.indexOf('<', i);
      const end = next < 0 ? text.length : next;
      out += redactRaw(text.slice(i, end));
      i = end;
    }
  }
  return out;
}

function redactJsonValue(v: unknown, r: Redactor): unknown {
  if (typeof v === 'string') return r.value(v);
  if (typeof v === 'number') return Math.abs(v) < 1e9 ? v : 0;
  if (Array.isArray(v)) return v.map((x) => redactJsonValue(x, r));
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [
        // keys are structure, unless they look like data (spaces, an address, a UID, a URL)
        /^[A-Za-z_$][\w$.-]*$/.test(k) && !/@|:\/\//.test(k) && !new RegExp(UUID_RE.source, 'i').test(k)
          ? k
          : r.value(k),
        redactJsonValue(x, r),
      ]),
    );
  return v;
}

/** Text that is neither XML nor JSON (a script body): every letter and digit masked, line shape kept. */
const redactText = (s: string) => maskShape(s);

/**
 * A redacted copy of a policy file, in the same format: a zip keeps its entry order (names masked
 * except known ones), XML keeps its layout and names, JSON its keys. Binary entries become zeros of
 * the same length. An unrecognised file is refused: nothing could vouch that its copy is safe.
 */
export function redactBytes(input: string, bytes: Uint8Array, r = new Redactor(), depth = 0): Uint8Array {
  const kind = sniff(bytes);
  if (kind === 'zip') {
    if (depth > MAX_DEPTH) throw new InputError(input, 'archives nested more than two deep; refused');
    const zip = readZip(input, bytes, PCY_ZIP_LIMITS, checkAnyEntryName);
    const entries: ZipEntry[] = zip.entries.map((e) => ({
      name: r.entryName(e.name),
      data: redactEntry(`${input}!${e.name}`, e.name, e.data, r, depth + 1),
    }));
    return writeZipDatto(entries, parseDosDateTime('timestamp', '1980-01-01T00:00:00'));
  }
  if (kind === 'xml') return Buffer.from(redactXml(input, decode(input, bytes), r), 'utf8');
  if (kind === 'json') {
    const text = decode(input, bytes).replace(/^\uFEFF/, '');
    if (bytes.byteLength > MAX_JSON)
      throw new InputError(input, `more than ${MAX_JSON} bytes of JSON; refused`);
    const v = parseJson(input, text);
    jsonPaths(input, v); // the same nesting limit as probing, before the recursive rewrite
    return Buffer.from(`${JSON.stringify(redactJsonValue(v, r), null, 2)}\n`, 'utf8');
  }
  throw new InputError(
    input,
    'is not a ZIP, XML or JSON file, so rmmkit cannot tell content from structure; it is not redacted (share the probe output instead)',
    { code: 'CANNOT_REDACT' },
  );
}

function redactEntry(input: string, name: string, data: Uint8Array, r: Redactor, depth: number): Uint8Array {
  const kind = sniff(data);
  if (kind !== 'unknown') {
    try {
      return redactBytes(input, data, r, depth);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      // fall through: treated as opaque text or binary below
    }
  }
  let text: string | undefined;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    text = undefined;
  }
  if (text !== undefined && !/[\u0000-\u0008\u000e-\u001f]/.test(text) && !name.endsWith('.png'))
    return Buffer.from(redactText(text), 'utf8');
  return new Uint8Array(data.byteLength);
}
