// `.cpt` archives: readCpt / writeCpt (Datto's writer fingerprint, pinned timestamps) and verifyCpt,
// which proves a read → write → read round trip loses nothing, entry by entry and for the container.
import { InputError } from '../errors.js';
import {
  DEFAULT_ZIP_LIMITS,
  dosFromEpoch,
  formatDosDateTime,
  parseDosDateTime,
  type ReadZip,
  readZip,
  writeZipDatto,
  type ZipEntry,
  type ZipLimits,
} from '../io/zip.js';
import { readResourceXml, writeResourceXml } from './resource-xml.js';
import type { Component, XmlLayout } from './types.js';

export const BODY_ENTRY = 'command.bat';
export const XML_ENTRY = 'resource.xml';
export const ICON_ENTRY = 'icon.png';
/** The timestamp of a component that has none recorded and no SOURCE_DATE_EPOCH: the DOS epoch. */
export const PINNED_TIMESTAMP = '1980-01-01T00:00:00';

/** Reads a `.cpt` from memory. `input` names it in errors (a path). Ordinary zips are accepted. */
export function readCpt(input: string, bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Component {
  return componentFromZip(input, readZip(input, bytes, limits));
}

/** The component of an archive already read (its entries inflated once, reused here). */
export function componentFromZip(input: string, zip: ReadZip): Component {
  const byName = new Map(zip.entries.map((e) => [e.name, e.data]));
  const xml = byName.get(XML_ENTRY);
  if (!xml)
    throw new InputError(
      input,
      `no ${XML_ENTRY} entry; a component archive holds command.bat and resource.xml`,
      {
        code: 'NOT_A_COMPONENT',
      },
    );
  const body = byName.get(BODY_ENTRY);
  if (!body)
    throw new InputError(input, `no ${BODY_ENTRY} entry (the script body); a component archive needs one`, {
      code: 'NOT_A_COMPONENT',
    });
  const resource = readResourceXml(`"${input}!${XML_ENTRY}"`, xml);
  const names = zip.entries.map((e) => e.name);
  const attachments = zip.entries.filter((e) => ![BODY_ENTRY, XML_ENTRY, ICON_ENTRY].includes(e.name));
  const c: Component = {
    ...resource,
    body,
    icon: byName.get(ICON_ENTRY),
    attachments: attachments.map((e) => ({ name: e.name, data: e.data })),
    archive: {},
  };
  // Stryker disable next-line ConditionalExpression: an archive with resource.xml has a first entry, so a time
  if (zip.dosDateTime) c.archive.timestamp = formatDosDateTime(zip.dosDateTime);
  const canonical = canonicalOrder(c);
  if (names.some((n, k) => n !== canonical[k])) c.archive.order = names;
  return c;
}

function canonicalOrder(c: Component): string[] {
  return [BODY_ENTRY, XML_ENTRY, ...(c.icon ? [ICON_ENTRY] : []), ...c.attachments.map((a) => a.name)];
}

export interface WriteCptOptions {
  /** resource.xml layout; default: as read, else current. */
  layout?: XmlLayout;
  /** Unix seconds used when the component has no recorded timestamp (SOURCE_DATE_EPOCH). */
  sourceDateEpoch?: number;
}

/** The zip timestamp a write uses: recorded > SOURCE_DATE_EPOCH > the pinned default. */
export function resolveTimestamp(
  c: Component,
  options: WriteCptOptions = {},
): { date: number; time: number } {
  if (c.archive.timestamp !== undefined) return parseDosDateTime('archive.timestamp', c.archive.timestamp);
  if (options.sourceDateEpoch !== undefined) return dosFromEpoch(options.sourceDateEpoch);
  // Stryker disable next-line StringLiteral: the pinned timestamp always parses; the name is never shown
  return parseDosDateTime('archive.timestamp', PINNED_TIMESTAMP);
}

/** The archive's entries in write order (recorded order, reconciled with the component). */
export function cptEntries(c: Component, options: WriteCptOptions = {}): ZipEntry[] {
  const files = new Map<string, Uint8Array>([
    [BODY_ENTRY, c.body],
    [XML_ENTRY, writeResourceXml(c, { layout: options.layout })],
  ]);
  if (c.icon) files.set(ICON_ENTRY, c.icon);
  for (const a of c.attachments) {
    // icon.png is reserved even without an icon: read back, the attachment would become the icon
    if (files.has(a.name) || a.name === ICON_ENTRY)
      throw new InputError(
        `attachments/${a.name}`,
        `an attachment may not be named ${JSON.stringify(a.name)}`,
      );
    files.set(a.name, a.data);
  }
  // Stryker disable next-line ArrayDeclaration: a stand-in name is no file, so the filter drops it
  const order = [...(c.archive.order ?? []).filter((n) => files.has(n)), ...canonicalOrder(c)];
  const out: ZipEntry[] = [];
  const seen = new Set<string>();
  for (const name of order) {
    if (seen.has(name)) continue;
    seen.add(name);
    out.push({ name, data: files.get(name)! });
  }
  return out;
}

/** Writes a `.cpt` with Datto's writer fingerprint; the same component always gives the same bytes. */
export function writeCpt(c: Component, options: WriteCptOptions = {}): Uint8Array {
  return writeZipDatto(cptEntries(c, options), resolveTimestamp(c, options));
}

export interface EntryDifference {
  entry: string;
  /** First differing byte offset, or -1 when the entry is missing on one side. */
  offset: number;
  message: string;
}

export interface VerifyResult {
  input: string;
  /** Every entry came back byte for byte (content) and the model read back equal. */
  lossless: boolean;
  /** The rebuilt archive equals the input archive byte for byte. */
  containerIdentical: boolean;
  /** The input carries Datto's fingerprint, so the container must be identical too. */
  dattoFingerprint: boolean;
  containerOffset?: number;
  differences: EntryDifference[];
  ok: boolean;
}

function firstDiff(a: Uint8Array, b: Uint8Array): number {
  // Stryker disable next-line MethodExpression: past the shorter end, undefined differs at index n anyway
  const n = Math.min(a.length, b.length);
  // Stryker disable next-line EqualityOperator: at i = n the bytes are both undefined or differ at n
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** read → write → read: compares every entry byte for byte and the whole container. */
export function verifyCpt(
  input: string,
  bytes: Uint8Array,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): VerifyResult {
  return verifyCptDetailed(input, bytes, limits).result;
}

/** verifyCpt, also returning what it built on the way, so a caller checks more without rebuilding it. */
export interface VerifyDetail {
  result: VerifyResult;
  /** The component read from the input. */
  component: Component;
  /** writeCpt(component): the rewritten archive. */
  rebuilt: Uint8Array;
}

/**
 * verifyCpt with its intermediate results. Each archive is inflated once (the input, then the
 * rewrite) and written once: a large archive costs two reads and one write, not four and two.
 */
export function verifyCptDetailed(
  input: string,
  bytes: Uint8Array,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
  /** The writer under test; another one only in tests, to show each kind of loss is reported. */
  write: (c: Component) => Uint8Array = writeCpt,
): VerifyDetail {
  const original = readZip(input, bytes, limits);
  const c = componentFromZip(input, original);
  const rebuilt = write(c);
  const again = readZip(`${input} (rewritten)`, rebuilt, limits);
  const differences: EntryDifference[] = [];
  const after = new Map(again.entries.map((e) => [e.name, e.data]));
  original.entries.forEach((e, k) => {
    const d = after.get(e.name);
    if (!d) {
      differences.push({ entry: e.name, offset: -1, message: 'missing from the rewritten archive' });
      return;
    }
    const at = firstDiff(e.data, d);
    if (at >= 0)
      differences.push({
        entry: e.name,
        offset: at,
        message: `differs at byte ${at} (${e.data.length} bytes in, ${d.length} out)`,
      });
    if (again.entries[k]?.name !== e.name)
      differences.push({ entry: e.name, offset: -1, message: `moved from position ${k + 1}` });
  });
  for (const e of again.entries)
    if (!original.entries.some((o) => o.name === e.name))
      differences.push({ entry: e.name, offset: -1, message: 'added by the rewrite' });
  const c2 = componentFromZip(`${input} (rewritten)`, again);
  if (!sameModel(c, c2))
    differences.push({
      entry: XML_ENTRY,
      offset: -1,
      message: 'the component read back differs from the one read',
    });
  const containerOffset = firstDiff(bytes, rebuilt);
  // Stryker disable next-line EqualityOperator: both archives start with a local header signature (PK\x03\x04)
  const containerIdentical = containerOffset < 0;
  const lossless = differences.length === 0;
  const result: VerifyResult = {
    input,
    lossless,
    containerIdentical,
    dattoFingerprint: original.dattoFingerprint,
    ...(containerIdentical ? {} : { containerOffset }),
    differences,
    ok: lossless && (containerIdentical || !original.dattoFingerprint),
  };
  return { result, component: c, rebuilt };
}

const sameBytes = (a: Uint8Array | undefined, b: Uint8Array | undefined) =>
  a === undefined || b === undefined ? a === b : Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);

/** Compares two components field by field; content bytes directly, never through strings. */
export function sameModel(a: Component, b: Component): boolean {
  // the small parts (fields, fidelity record, archive metadata) hold no content bytes
  const small = (c: Component) =>
    JSON.stringify([c.general, c.variables, c.postConditions, c.xml, c.archive]);
  return (
    small(a) === small(b) &&
    sameBytes(a.body, b.body) &&
    sameBytes(a.icon, b.icon) &&
    a.attachments.length === b.attachments.length &&
    a.attachments.every(
      (x, k) => x.name === b.attachments[k]!.name && sameBytes(x.data, b.attachments[k]!.data),
    )
  );
}
