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
  return Boolean(v && typeof v === 'object' && Array.isArray((v as { devices?: unknown }).devices));
}

async function firstSignificantByte(file: string): Promise<string | null> {
  const fh = await open(file, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new InputError(file, `cannot read (${err.code ?? err.message})`, { cause: err });
  });
  try {
    const buf = Buffer.alloc(4096);
    let pos = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) return null;
      for (let i = 0; i < bytesRead; i++) {
        const c = buf[i] as number;
        // Skip whitespace and a UTF-8 BOM.
        if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xef || c === 0xbb || c === 0xbf)
          continue;
        return String.fromCharCode(c);
      }
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
}

/**
 * Streams the devices of a JSON export. The top level is an array (of devices or of pages) or one
 * page object `{pageDetails, devices: [...]}`; values are emitted as they complete, and each
 * emitted element is dropped from the parser's stack (keepStack false).
 */
export async function* readJsonExport(file: string): AsyncGenerator<RawItem> {
  const first = await firstSignificantByte(file);
  if (first !== '[' && first !== '{')
    throw new InputError(
      file,
      first === null
        ? 'is empty; expected a JSON array of devices or a page {"devices": [...]}'
        : `starts with ${JSON.stringify(first)}; expected a JSON array of devices or a page {"devices": [...]}`,
    );
  // keepStack false drops each emitted device from the parser's stack; the buffers make string and
  // number tokens cheaper to build.
  const parser = new JSONParser({
    paths: [first === '[' ? '$.*' : '$.devices.*'],
    keepStack: false,
    stringBufferSize: 65536,
    numberBufferSize: 64,
  });
  const queue: RawItem[] = [];
  let n = 0;
  let failure: Error | null = null;
  parser.onValue = ({ value }) => {
    if (first === '[' && isPage(value)) {
      const page = ++n;
      value.devices.forEach((d, i) => {
        queue.push({ raw: d, where: `${file} page ${page} device ${i + 1}` });
      });
    } else queue.push({ raw: value, where: `${file} device ${++n}` });
  };
  parser.onError = (err) => {
    failure = err;
  };
  // Larger chunks than the 64 KiB default: fewer writes into the tokenizer, a bounded buffer.
  const stream = createReadStream(file, { highWaterMark: 1 << 18 });
  try {
    for await (const chunk of stream) {
      parser.write(chunk as Buffer);
      if (failure) break;
      for (const item of queue) yield item;
      queue.length = 0;
    }
    if (!failure && !parser.isEnded) parser.end();
  } catch (err) {
    failure ??= err as Error;
  } finally {
    stream.destroy();
  }
  if (failure) throw new InputError(file, `invalid JSON: ${(failure as Error).message}`, { cause: failure });
  for (const item of queue) yield item;
  if (first === '{' && n === 0)
    throw new InputError(
      file,
      'is an object with no device in a "devices" array; expected a page {"pageDetails": …, "devices": [...]} or an array',
    );
}

/** Streams the devices of a JSON Lines export: one device or one page per line; blank lines skipped. */
export async function* readJsonLinesExport(file: string): AsyncGenerator<RawItem> {
  const stream = createReadStream(file, { encoding: 'utf8' });
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
        yield { raw: null, where: `${file} line ${line}`, error: `not JSON (${(err as Error).message})` };
        continue;
      }
      if (isPage(value)) for (const d of value.devices) yield { raw: d, where: `${file} line ${line}` };
      else yield { raw: value, where: `${file} line ${line}` };
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new InputError(file, `cannot read (${e.code ?? e.message})`, { cause: err });
  }
}

const CSV_UDF = /^udf([1-9][0-9]*)$/;

/**
 * Streams the devices of a CSV export with a header row: `uid`, `siteUid` required; `hostname`,
 * `siteName`, `operatingSystem`, `udf1`…`udfN` (N ≤ maxSlots, the profile's slot required);
 * optional audit columns `macAddresses` (separated by `;` or spaces), `biosSerial`, `baseboardSerial`.
 */
export async function* readCsvExport(file: string, slot: number, maxSlots: number): AsyncGenerator<RawItem> {
  let header: string[] | null = null;
  const parser = createReadStream(file).pipe(
    parseCsv({
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      columns: (h: string[]) => {
        header = h.map((c) => c.trim());
        const missing = ['uid', 'siteUid', `udf${slot}`].filter((c) => !header?.includes(c));
        if (missing.length > 0)
          throw new InputError(
            file,
            `the header has no ${missing.join(', ')} column; found: ${header.join(', ') || '(nothing)'}`,
          );
        for (const c of header) {
          const m = CSV_UDF.exec(c);
          if (m && Number(m[1]) > maxSlots)
            throw new InputError(file, `column ${c} is beyond the platform's ${maxSlots} UDF slots`);
        }
        return header;
      },
    }),
  );
  try {
    for await (const rec of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      const r = rec.record;
      const udf: Record<string, string> = {};
      for (const [k, v] of Object.entries(r)) if (CSV_UDF.test(k)) udf[k] = v;
      const macs = (r.macAddresses ?? '').split(/[;\s]+/).filter(Boolean);
      const hasAudit = macs.length > 0 || r.biosSerial || r.baseboardSerial;
      yield {
        raw: {
          uid: r.uid,
          hostname: r.hostname,
          siteUid: r.siteUid,
          siteName: r.siteName,
          operatingSystem: r.operatingSystem,
          udf,
          ...(hasAudit
            ? {
                audit: {
                  nics: macs.map((macAddress) => ({ macAddress })),
                  bios: { serialNumber: r.biosSerial || null },
                  baseBoard: { serialNumber: r.baseboardSerial || null },
                },
              }
            : {}),
        },
        where: `${file} line ${rec.info.lines}`,
      };
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new InputError(file, `invalid CSV: ${e.message}`, { cause: err });
  }
}

/** Streams an export in the given format (default: by extension). */
export function readExport(
  file: string,
  options: { format?: ExportFormat | undefined; slot: number; maxSlots: number },
): AsyncGenerator<RawItem> {
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
