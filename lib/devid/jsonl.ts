// Streaming JSON Lines hashing: one input object per line in, one result per line out, same order.
// Never holds more than one chunk and one line in memory, so a 1 GB file streams through.
import { StringDecoder } from 'node:string_decoder';
import { deviceId } from './recipe.js';
import type { DeviceIdInput, DeviceIdResult, DevidErrorCode, SerialSource } from './types.js';

/**
 * Longest line accepted, in characters (UTF-16 code units, not counting CR LF); longer ones are
 * answered with BAD_INPUT and skipped without buffering.
 */
export const MAX_JSONL_LINE = 1 << 20;

export interface JsonlSummary {
  lines: number;
  badLines: number;
}

/** Checks one parsed JSON value against the input shape; returns the input or a message. */
export function toDeviceIdInput(value: unknown): DeviceIdInput | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'expected an object like {"mac": "...", "serials": {"BB": "..."}, "salt": "..."}';
  }
  const v = value as Record<string, unknown>;
  for (const key of ['mac', 'salt'] as const) {
    if (v[key] !== undefined && v[key] !== null && typeof v[key] !== 'string') {
      return `"${key}" must be a string or null, found ${Array.isArray(v[key]) ? 'array' : typeof v[key]}`;
    }
  }
  const serials = v.serials;
  if (serials !== undefined && serials !== null) {
    if (typeof serials !== 'object' || Array.isArray(serials))
      return '"serials" must be an object with BB, SYS, UUID';
    for (const key of ['BB', 'SYS', 'UUID'] as SerialSource[]) {
      const s = (serials as Record<string, unknown>)[key];
      if (s !== undefined && s !== null && typeof s !== 'string') {
        return `"serials.${key}" must be a string or null, found ${typeof s}`;
      }
    }
  }
  return v as DeviceIdInput;
}

/** The output line (without newline) for one input line, numbered from 1. */
export function hashJsonLine(
  line: string,
  lineNo: number,
  format: (input: DeviceIdInput) => string = hashDevid1Line,
): { out: string; bad: boolean } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    const message = line.trim() === '' ? 'empty line' : `not valid JSON: ${(err as Error).message}`;
    return { out: JSON.stringify({ error: 'BAD_INPUT', line: lineNo, message }), bad: true };
  }
  const input = toDeviceIdInput(parsed);
  if (typeof input === 'string') {
    return { out: JSON.stringify({ error: 'BAD_INPUT', line: lineNo, message: input }), bad: true };
  }
  return { out: format(input), bad: false };
}

/** The DEVID1 result line of one input (the default of hashJsonLine; a recipe passes its own). */
function hashDevid1Line(input: DeviceIdInput): string {
  return formatResult(deviceId(input));
}

const ERROR_LINES: Record<DevidErrorCode, string> = {
  NO_NIC: '{"error":"NO_NIC"}',
  NO_HW_ID: '{"error":"NO_HW_ID"}',
  BAD_SALT: '{"error":"BAD_SALT"}',
};

/**
 * One result as a JSON line, byte-identical to JSON.stringify(result) but without its cost:
 * every field is ASCII from [0-9A-Za-z|:] by construction (canonical MAC, source tag, canonical
 * serial, hex digests), so nothing needs escaping.
 */
export function formatResult(r: DeviceIdResult): string {
  if ('error' in r) return ERROR_LINES[r.error];
  return `{"id":"${r.id}","source":"${r.source}","canonical":"${r.canonical}"}`;
}

/**
 * Hashes a stream of JSON lines. `write` receives output in chunks of whole lines and may return a
 * promise (backpressure). A final line without a newline counts; CRLF is accepted.
 */
export async function hashJsonlStream(
  input: AsyncIterable<Buffer | string>,
  write: (chunk: string) => unknown,
  format?: (input: DeviceIdInput) => string,
): Promise<JsonlSummary> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let skipping = false;
  let lineNo = 0;
  let badLines = 0;
  let out = '';
  const emit = (raw: string, tooLong: boolean): void => {
    lineNo++;
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    // A byte-order mark (Windows PowerShell 5.1 writes one with -Encoding UTF8) is not content.
    if (lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (tooLong || line.length > MAX_JSONL_LINE) {
      badLines++;
      out += `${JSON.stringify({ error: 'BAD_INPUT', line: lineNo, message: `line longer than ${MAX_JSONL_LINE} characters` })}\n`;
      return;
    }
    const r = hashJsonLine(line, lineNo, format);
    if (r.bad) badLines++;
    out += `${r.out}\n`;
  };
  for await (const chunk of input) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) break;
      if (skipping) {
        skipping = false;
        emit('', true);
      } else {
        emit(pending === '' ? text.slice(start, nl) : pending + text.slice(start, nl), false);
      }
      pending = '';
      start = nl + 1;
    }
    if (!skipping) {
      pending += text.slice(start);
      // +1: a CR that ends a line of exactly MAX_JSONL_LINE characters is not content.
      if (pending.length > MAX_JSONL_LINE + 1) {
        skipping = true;
        pending = '';
      }
    }
    if (out.length >= 1 << 16) {
      await write(out);
      out = '';
    }
  }
  const rest = pending + decoder.end();
  if (skipping) emit('', true);
  else if (rest !== '') emit(rest, false);
  if (out !== '') await write(out);
  return { lines: lineNo, badLines };
}
