// Streaming readers of fleet exports: JSON (API device shape, as an array, a page, or an array of
// pages), JSON Lines (devices or pages), and CSV with udf1…udfN columns. Yields one raw device at a
// time: a 100,000-device file is never held whole in memory.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { JSONParser } from '@streamparser/json';
import { parse as parseCsv } from 'csv-parse';
import { InputError } from '../errors.js';

export type ExportFormat = 'json' | 'jsonl' | 'csv';

/** One device as read, with where it came from for messages. */
export interface RawItem {
  raw: unknown;
  where: string;
  /** Set when the item could not be read at all (a line that is not JSON). */
  error?: string;
}

/** The format named by a file's extension; null when the extension says nothing. */
export function formatFromName(file: string): ExportFormat | null {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.csv') return 'csv';
  return null;
}

function isPage(v: unknown): v is { devices: unknown[] } {
  // Only an object has an array of devices.
  return Array.isArray((v as { devices?: unknown } | null | undefined)?.devices);
}

async function firstSignificantByte(file: string): Promise<string | null> {
  const cannotRead = (err: NodeJS.ErrnoException) => {
    throw new InputError(file, `cannot read (${err.code ?? err.message})`, { cause: err });
  };
  const fh = await open(file, 'r').catch(cannotRead);
  const scan = async (): Promise<string | null> => {
    const buf = Buffer.alloc(4096);
    for (;;) {
      // A directory opens, and fails here (EISDIR). Reads go on from the file position.
      const { bytesRead } = await fh.read(buf, 0, buf.length, null).catch(cannotRead);
      if (bytesRead === 0) return null;
      for (let i = 0; i < bytesRead; i++) {
        const c = buf[i] as number;
        // Skip whitespace and a UTF-8 BOM.
        if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xef || c === 0xbb || c === 0xbf)
          continue;
        return String.fromCharCode(c);
      }
    }
  };
  return scan().finally(
    // Stryker disable next-line ArrowFunction: a handle left open is closed when it is collected, so no result changes (and no test can see the open file)
    () => fh.close(),
  );
}

/** Elements parsed per batch handed on. */
const PARSE_BATCH = 128;

/**
 * Turns what a read chunk gave (element bytes, CSV rows) into devices a small batch at a time, so
 * only a batch of device objects is alive at once; empties `pending`.
 */
function* inBatches<T>(pending: T[], add: (entry: T, batch: RawItem[]) => void): Generator<RawItem[]> {
  for (let i = 0; i < pending.length; i += PARSE_BATCH) {
    const batch: RawItem[] = [];
    const end = Math.min(pending.length, i + PARSE_BATCH);
    for (let k = i; k < end; k++) add(pending[k] as T, batch);
    yield batch;
  }
  pending.length = 0;
}

/** One element of a JSON export larger than this is refused (a device is a few KB). */
const MAX_ELEMENT_BYTES = 64 * 1024 * 1024;

/**
 * Splits a top-level JSON array into the bytes of its elements as they complete, without parsing
 * them: strings (with their escapes) and nesting are tracked byte by byte, so each element can go
 * to JSON.parse — several times faster than a streaming tokenizer, and memory stays bounded by one
 * element. Structure outside the elements (the brackets, one comma between elements, white space)
 * is checked here; each element's own syntax by JSON.parse.
 */
export class JsonArraySplitter {
  private state: 'start' | 'first' | 'next' | 'value' | 'end' = 'start';
  private depth = 0;
  // Stryker disable next-line BooleanLiteral: set when each element starts, before it is read
  private inString = false;
  private pieces: Buffer[] = [];
  private pieceBytes = 0;
  /** Bytes before the current chunk, for error positions. */
  private offset = 0;

  /**
   * Feeds a chunk; calls `emit` with each completed element's bytes, `buf[start, end)`: a range of
   * the chunk itself, or of a buffer joining the pieces of an element that spanned chunks. Throws on
   * bad structure.
   */
  push(chunk: Buffer, emit: (buf: Buffer, start: number, end: number) => void): void {
    // Where the current element starts in this chunk: 0 when it continues from the last chunk (only
    // read while in an element, and set where one starts).
    let start = 0;
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      let b = chunk[i] as number;
      if (this.state === 'value') {
        if (this.inString) {
          // Jump to the next quote; it closes the string unless an odd run of backslashes precedes it.
          const q = chunk.indexOf(0x22, i);
          if (q < 0) break;
          // (The byte before an element is never a backslash: a run stops there, or before the chunk.)
          let k = q - 1;
          let slashes = 0;
          while (chunk[k] === 0x5c) {
            // Stryker disable next-line UpdateOperator: only the run's parity is used, and -n has the parity of n
            slashes++;
            k--;
          }
          // The run reaches back past the chunk's start: it goes on in the pieces carried over.
          // Stryker disable next-line AssignmentOperator: only the run's parity is used, and -n has the parity of n
          if (k < 0) slashes += this.trailingSlashes();
          i = q;
          if (slashes % 2 === 0) this.inString = false;
          continue;
        }
        if (b === 0x22) this.inString = true;
        else if (b === 0x7b || b === 0x5b) this.depth++;
        else if ((b === 0x7d || b === 0x5d) && this.depth > 0) this.depth--;
        else if (this.depth === 0 && (b === 0x2c || b === 0x5d)) {
          // Stryker disable next-line ConditionalExpression: false copies the element into a new buffer first: the same bytes
          if (this.pieces.length === 0) emit(chunk, start, i);
          else {
            const all = this.take(chunk, start, i);
            emit(all, 0, all.length);
          }
          this.state = b === 0x2c ? 'next' : 'end';
        } else if (b === 0x7d) this.fail(i, 'a } with no { before it');
        continue;
      }
      if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) continue;
      if (this.state === 'start') {
        // A UTF-8 byte-order mark may precede the array.
        if (this.offset + i < 3 && (b === 0xef || b === 0xbb || b === 0xbf)) continue;
        if (b !== 0x5b) this.fail(i, 'expected [');
        // Stryker disable next-line StringLiteral: 'first' is told apart only from 'next' (a ] after a comma), so any other name behaves the same
        this.state = 'first';
        continue;
      }
      if (this.state === 'end') this.fail(i, 'content after the end of the array');
      if (b === 0x5d) {
        if (this.state === 'next') this.fail(i, 'a comma before ]');
        this.state = 'end';
        continue;
      }
      if (b === 0x2c) this.fail(i, 'an element is missing before this comma');
      // An element starts here: re-read this byte as the element's first.
      this.state = 'value';
      this.depth = 0;
      this.inString = false;
      start = i;
      i--;
      b = 0;
    }
    if (this.state === 'value') {
      const piece = chunk.subarray(start);
      this.pieceBytes += piece.length;
      if (this.pieceBytes > MAX_ELEMENT_BYTES)
        this.fail(n, `an element larger than ${MAX_ELEMENT_BYTES} bytes; a device is a few kilobytes`);
      this.pieces.push(piece);
    }
    this.offset += n;
  }

  /** Call after the last chunk: the array must be complete. */
  end(): void {
    if (this.state !== 'end')
      throw new Error(`the JSON ends at byte ${this.offset} before the array is closed (truncated?)`);
  }

  /** Backslashes at the end of the pieces carried over (a string escape split across chunks). */
  private trailingSlashes(): number {
    let count = 0;
    for (let p = this.pieces.length - 1; p >= 0; p--) {
      const piece = this.pieces[p] as Buffer;
      for (let k = piece.length - 1; k >= 0; k--) {
        if (piece[k] !== 0x5c) return count;
        // Stryker disable next-line UpdateOperator: only the run's parity is used, and -n has the parity of n
        count++;
      }
    }
    return count;
  }

  /** The pieces carried over, joined with the element's end in this chunk. */
  private take(chunk: Buffer, start: number, end: number): Buffer {
    const all = Buffer.concat([...this.pieces, chunk.subarray(start, end)]);
    this.pieces = [];
    this.pieceBytes = 0;
    return all;
  }

  private fail(i: number, what: string): never {
    throw new Error(`at byte ${this.offset + i}: ${what}`);
  }
}

/**
 * Streams the devices of a JSON export. The top level is an array (of devices or of pages, split
 * element by element and each parsed with JSON.parse) or one page object `{pageDetails, devices:
 * [...]}` (read with a streaming tokenizer). A 100,000-device file is never held whole.
 */
export async function* readJsonExport(file: string): AsyncGenerator<RawItem[]> {
  const first = await firstSignificantByte(file);
  if (first !== '[' && first !== '{')
    throw new InputError(
      file,
      first === null
        ? 'is empty; expected a JSON array of devices or a page {"devices": [...]}'
        : `starts with ${JSON.stringify(first)}; expected a JSON array of devices or a page {"devices": [...]}`,
    );
  if (first === '{') {
    yield* readJsonPage(file);
    return;
  }
  const splitter = new JsonArraySplitter();
  // The elements a chunk completed, as byte ranges: buffer, start, end.
  const bufs: Buffer[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const collect = (buf: Buffer, start: number, end: number) => {
    bufs.push(buf);
    starts.push(start);
    ends.push(end);
  };
  let n = 0;
  let page = 0;
  /** The RawItems of one parsed element (a device, or a page of them). */
  const add = (value: unknown, batch: RawItem[]) => {
    if (isPage(value)) {
      const p = ++page;
      value.devices.forEach((d, i) => {
        batch.push({ raw: d, where: `${file} page ${p} device ${i + 1}` });
      });
    } else batch.push({ raw: value, where: `${file} device ${++n}` });
  };
  /** Parses elements [from, to) alone, each with its own error message (the element's number). */
  const parseEach = (from: number, to: number, batch: RawItem[]) => {
    for (let k = from; k < to; k++) {
      let value: unknown;
      try {
        value = JSON.parse((bufs[k] as Buffer).toString('utf8', starts[k], ends[k]));
      } catch (err) {
        throw new Error(`element ${n + page + 1}: ${(err as Error).message}`);
      }
      add(value, batch);
    }
  };
  /**
   * Devices of the elements collected, PARSE_BATCH elements per JSON.parse where they lie in one
   * buffer: the bytes between two elements are a comma and white space (the splitter checked), so
   * `[` + first…last + `]` is an array of exactly those elements when each is valid JSON, and
   * fails when one is not; then they are parsed one by one, so the error names its element.
   * Only a batch of parsed devices is alive at once (they die young).
   */
  function* parsed(): Generator<RawItem[]> {
    for (let i = 0; i < bufs.length; ) {
      let j = i + 1;
      // (Past the last element bufs[j] is undefined, never the same buffer.)
      while (j - i < PARSE_BATCH && bufs[j] === bufs[i]) j++;
      const batch: RawItem[] = [];
      let values: unknown[] | null = null;
      // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: parsing one element alone or as an array of one gives the same value, with one JSON.parse either way
      if (j - i > 1) {
        try {
          values = JSON.parse(
            `[${(bufs[i] as Buffer).toString('utf8', starts[i], ends[j - 1])}]`,
          ) as unknown[];
        } catch {
          // One of them is not valid JSON: parsed one by one below, to name it.
        }
      }
      if (values) for (const value of values) add(value, batch);
      else parseEach(i, j, batch);
      yield batch;
      i = j;
    }
    bufs.length = 0;
    starts.length = 0;
    ends.length = 0;
  }
  // Large chunks: fewer calls, a bounded buffer.
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) {
      let broken: unknown = null;
      try {
        splitter.push(chunk as Buffer, collect);
      } catch (err) {
        // The elements before the break are still read, in order, before it is reported.
        broken = err;
      }
      yield* parsed();
      if (broken) throw broken;
    }
    splitter.end();
  } catch (err) {
    // (The splitter, JSON.parse and the stream throw plain errors; the file was opened above.)
    throw new InputError(file, `invalid JSON: ${(err as Error).message}`, { cause: err });
  }
  // (Leaving the for-await loop early, by a return or a throw, destroys the stream.)
}

/**
 * The devices of a JSON export through a streaming tokenizer (@streamparser/json): used for the one
 * form the splitter above does not take, a top-level page object `{pageDetails, devices: [...]}`
 * whose devices array may be long. Values are emitted as they complete and dropped from the
 * parser's stack (keepStack false).
 */
async function* readJsonPage(file: string): AsyncGenerator<RawItem[]> {
  // keepStack false drops each emitted device from the parser's stack; the buffers make string and
  // number tokens cheaper to build.
  const parser = new JSONParser({
    paths: ['$.devices.*'],
    // Stryker disable next-line BooleanLiteral: keeping the stack costs memory only
    keepStack: false,
    stringBufferSize: 65536,
    numberBufferSize: 64,
  });
  let queue: RawItem[] = [];
  let n = 0;
  let failure: Error | null = null;
  parser.onValue = ({ value }) => {
    queue.push({ raw: value, where: `${file} device ${++n}` });
  };
  parser.onError = (err) => {
    failure = err;
  };
  // Larger chunks than the 64 KiB default: fewer writes into the tokenizer, a bounded buffer.
  const stream = createReadStream(file, { highWaterMark: 1 << 18 });
  try {
    for await (const chunk of stream) {
      parser.write(chunk as Buffer);
      // Stryker disable next-line ConditionalExpression: writing on after a failure keeps the first failure, which is reported (true stops at the first chunk, which the long-page test catches)
      if (failure) break;
      if (queue.length > 0) {
        yield queue;
        queue = [];
      }
    }
    if (!failure && !parser.isEnded) parser.end();
  } /* Stryker disable next-line BlockStatement: the tokenizer reports to onError; only a read error after the file opened (an I/O error no test can cause) lands here */ catch (err) {
    // Stryker disable next-line AssignmentOperator: as above, no test can cause a read error here
    failure ??= err as Error;
  }
  // (Leaving the for-await loop, by the break or a throw, destroys the stream.)
  if (failure) throw new InputError(file, `invalid JSON: ${(failure as Error).message}`, { cause: failure });
  // A device completes at its closing brace, inside the loop; kept for a value the end completes.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the queue is empty here (see above), so yielding it or not is the same
  if (queue.length > 0) yield queue;
  if (n === 0)
    throw new InputError(
      file,
      'is an object with no device in a "devices" array; expected a page {"pageDetails": …, "devices": [...]} or an array',
    );
}

/** Streams the devices of a JSON Lines export: one device or one page per line; blank lines skipped. */
export async function* readJsonLinesExport(file: string): AsyncGenerator<RawItem[]> {
  const batches = new Batcher<RawItem>();
  // Stryker disable next-line ObjectLiteral,StringLiteral: readline decodes UTF-8 bytes itself
  const stream = createReadStream(file, { encoding: 'utf8' });
  // Stryker disable next-line StringLiteral: readline passes the stream's error to the loop below itself (the unreadable-file test passes without this)
  stream.on('error', () => {});
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        // One bad line is one malformed device, not the end of the run.
        batches.add({
          raw: null,
          where: `${file} line ${line}`,
          error: `not JSON (${(err as Error).message})`,
        });
        continue;
      }
      if (isPage(value))
        for (const d of value.devices) batches.add({ raw: d, where: `${file} line ${line}` });
      else batches.add({ raw: value, where: `${file} line ${line}` });
      if (batches.full) yield batches.take();
    }
    if (batches.size > 0) yield batches.take();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new InputError(file, `cannot read (${e.code ?? e.message})`, { cause: err });
  }
}

const CSV_UDF = /^udf([1-9][0-9]*)$/;

/** Line breaks inside a record's fields (quoted): CRLF, LF and a lone CR each count once. */
function breaksIn(fields: string[]): number {
  let n = 0;
  for (const f of fields) n += f.match(/\r\n|\n|\r/g)?.length ?? 0;
  return n;
}

/** Collects items into batches of up to `max`. */
class Batcher<T> {
  private items: T[] = [];
  constructor(private readonly max = 512) {}
  add(item: T): void {
    this.items.push(item);
  }
  get size(): number {
    return this.items.length;
  }
  get full(): boolean {
    return this.items.length >= this.max;
  }
  take(): T[] {
    const out = this.items;
    this.items = [];
    return out;
  }
}

/**
 * Streams the devices of a CSV export with a header row: `uid`, `siteUid` required; `hostname`,
 * `siteName`, `operatingSystem`, `udf1`…`udfN` (N ≤ maxSlots, the profile's slot required);
 * optional audit columns `macAddresses` (separated by `;` or spaces), `biosSerial`, `baseboardSerial`.
 */
export async function* readCsvExport(
  file: string,
  slot: number,
  maxSlots: number,
): AsyncGenerator<RawItem[]> {
  const rows: { fields: string[]; line: number }[] = [];
  let columns: CsvColumns | null = null;
  /** The line the next record or blank line starts on, and csv-parse's counters after the last record. */
  let next = 1;
  let linesBefore = 0;
  let emptyBefore = 0;
  // Records become devices as the parser completes them (on_record), straight from the field
  // array: no record object per row, no promise per row. Each file chunk is written to the
  // parser by hand and the devices it completed are yielded as one batch.
  const parser = parseCsv({
    // Stryker disable next-line BooleanLiteral: the header's trim() removes a byte-order mark as well
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    on_record: (fields: string[], info: { lines: number; empty_lines: number }) => {
      // The line a record starts on, counted here: csv-parse's own counter is where the record
      // ends, and counts a CRLF inside a quoted field as two lines.
      const start = next + info.empty_lines - emptyBefore;
      // Only a record whose counter moved by more than one line can hold line breaks.
      next =
        // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: counting the breaks of more records gives the same lines, only slower (never counting them fails the line-number tests)
        start + 1 + (info.lines - linesBefore > 1 + info.empty_lines - emptyBefore ? breaksIn(fields) : 0);
      linesBefore = info.lines;
      emptyBefore = info.empty_lines;
      if (columns === null) {
        columns = csvColumns(file, fields, slot, maxSlots);
        return null;
      }
      rows.push({ fields, line: start });
      return null;
    },
  });
  let failure: unknown = null;
  parser.on('error', (err) => {
    failure ??= err;
  });
  parser.resume();
  const fail = (err: unknown): never => {
    if (err instanceof InputError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new InputError(
      file,
      e.code === 'ENOENT' ||
        // Stryker disable next-line ConditionalExpression,StringLiteral: EACCES cannot be produced for root, which the test machine runs as
        e.code === 'EACCES' ||
        e.code === 'EISDIR'
        ? `cannot read (${e.code})`
        : `invalid CSV: ${e.message}`,
      { cause: err },
    );
  };
  const csvDevices = () =>
    inBatches(rows, (row, batch) => {
      batch.push({ raw: csvDevice(row.fields, columns as CsvColumns), where: `${file} line ${row.line}` });
    });
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
      parser.write(chunk as Buffer);
      // Stryker disable next-line ConditionalExpression: only stops reading sooner: csv-parse parses nothing after an error, which the check after the loop reports
      if (failure) fail(failure);
      yield* csvDevices();
    }
    await new Promise<void>((done) => parser.end(done));
  } catch (err) {
    fail(err);
  }
  if (failure) fail(failure);
  yield* csvDevices();
  if (columns === null)
    throw new InputError(file, 'is empty; expected a header row with uid, siteUid and udf columns');
}

/** Where each field of a CSV export is: named columns, UDF columns, audit columns. */
interface CsvColumns {
  at: Partial<
    Record<
      | 'uid'
      | 'hostname'
      | 'siteUid'
      | 'siteName'
      | 'operatingSystem'
      | 'macAddresses'
      | 'biosSerial'
      | 'baseboardSerial',
      number
    >
  >;
  udf: [string, number][];
}

/** Reads and checks the header row (the last of two same-named columns wins, as before). */
function csvColumns(file: string, row: string[], slot: number, maxSlots: number): CsvColumns {
  const header = row.map((c) => c.trim());
  const missing = ['uid', 'siteUid', `udf${slot}`].filter((c) => !header.includes(c));
  if (missing.length > 0)
    throw new InputError(
      file,
      `the header has no ${missing.join(', ')} column; found: ${header.join(', ') || '(nothing)'}`,
    );
  const at: CsvColumns['at'] = {};
  const udf = new Map<string, number>();
  header.forEach((c, i) => {
    const m = CSV_UDF.exec(c);
    if (m) {
      if (Number(m[1]) > maxSlots)
        throw new InputError(file, `column ${c} is beyond the platform's ${maxSlots} UDF slots`);
      udf.set(c, i);
      return;
    }
    // Stryker disable next-line ConditionalExpression: an unknown column recorded under its own name is never read
    if (c in CSV_NAMED) at[c as keyof CsvColumns['at']] = i;
  });
  return { at, udf: [...udf] };
}

const CSV_NAMED = {
  uid: 1,
  hostname: 1,
  siteUid: 1,
  siteName: 1,
  operatingSystem: 1,
  macAddresses: 1,
  biosSerial: 1,
  baseboardSerial: 1,
} as const;

/** One CSV row in the API's Device shape (with an audit when the row has audit columns). */
function csvDevice(f: string[], c: CsvColumns): unknown {
  // (f[undefined] is undefined: a column the header lacks.)
  const get = (i: number | undefined) => f[i as number];
  const udf: Record<string, string> = {};
  for (const [name, i] of c.udf) {
    const v = f[i];
    if (v !== undefined) udf[name] = v;
  }
  const macList = get(c.at.macAddresses) ?? '';
  const macs = macList.split(/[;\s]/).filter(Boolean);
  const bios = get(c.at.biosSerial);
  const board = get(c.at.baseboardSerial);
  return {
    uid: get(c.at.uid),
    hostname: get(c.at.hostname),
    siteUid: get(c.at.siteUid),
    siteName: get(c.at.siteName),
    operatingSystem: get(c.at.operatingSystem),
    udf,
    ...(macs.length > 0 || bios || board
      ? {
          audit: {
            nics: macs.map((macAddress) => ({ macAddress })),
            bios: { serialNumber: bios || null },
            baseBoard: { serialNumber: board || null },
          },
        }
      : {}),
  };
}

/** Streams an export in the given format (default: by extension), one device at a time. */
export async function* readExport(
  file: string,
  options: { format?: ExportFormat | undefined; slot: number; maxSlots: number },
): AsyncGenerator<RawItem> {
  for await (const batch of readExportBatches(file, options)) yield* batch;
}

/**
 * Streams an export in batches of devices (a few hundred, or one read chunk's worth): what a
 * 100,000-device run uses, since a promise per device costs more than checking it.
 */
export function readExportBatches(
  file: string,
  options: { format?: ExportFormat | undefined; slot: number; maxSlots: number },
): AsyncGenerator<RawItem[]> {
  const format = options.format ?? formatFromName(file);
  if (format === null)
    throw new InputError(
      file,
      'the format is unknown from the extension; name it with --format json|jsonl|csv',
    );
  if (format === 'json') return readJsonExport(file);
  if (format === 'jsonl') return readJsonLinesExport(file);
  return readCsvExport(file, options.slot, options.maxSlots);
}
