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

/** Keys an input line may carry; `ref` is passed through to the output line untouched. */
export const JSONL_KEYS = ['mac', 'serials', 'salt', 'ref'] as const;
const SERIAL_KEYS: readonly SerialSource[] = ['BB', 'SYS', 'UUID'];

/** `"a", "b"` for messages. */
const quoted = (keys: readonly string[]): string => keys.map((k) => JSON.stringify(k)).join(', ');

function typeName(value: unknown): string {
  // Stryker disable next-line ConditionalExpression,StringLiteral: every caller lets null pass before naming a type, so the null branch is unreachable
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** One input line after its shape is checked: the hash input and the pass-through reference. */
export interface JsonlInput extends DeviceIdInput {
  /** The caller's own reference for the line (a device UID, a hostname), echoed on the output line. */
  ref?: string;
}

/**
 * Checks one parsed JSON value against the input shape; returns the input or a message. Unknown
 * keys are refused (a misspelt `"bb"` or `"Salt"` would otherwise silently hash without it).
 */
export function toDeviceIdInput(value: unknown): JsonlInput | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'expected an object like {"mac": "...", "serials": {"BB": "..."}, "salt": "...", "ref": "..."}';
  }
  const v = value as Record<string, unknown>;
  const unknown = Object.keys(v).filter((k) => !(JSONL_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    return `unknown key${unknown.length === 1 ? '' : 's'} ${quoted(unknown)}; allowed keys are ${quoted(JSONL_KEYS)} (serials go inside "serials": {"BB", "SYS", "UUID"})`;
  }
  for (const key of ['mac', 'salt', 'ref'] as const) {
    if (v[key] !== undefined && v[key] !== null && typeof v[key] !== 'string') {
      return `"${key}" must be a string or null, found ${typeName(v[key])}`;
    }
  }
  const serials = v.serials;
  if (serials !== undefined && serials !== null) {
    if (typeof serials !== 'object' || Array.isArray(serials))
      return `"serials" must be an object with "BB", "SYS", "UUID", found ${typeName(serials)}`;
    const s = serials as Record<string, unknown>;
    const unknownSerials = Object.keys(s).filter((k) => !(SERIAL_KEYS as readonly string[]).includes(k));
    if (unknownSerials.length > 0) {
      return `unknown key${unknownSerials.length === 1 ? '' : 's'} ${quoted(unknownSerials.map((k) => `serials.${k}`))}; allowed keys in "serials" are ${quoted(SERIAL_KEYS)}`;
    }
    for (const key of SERIAL_KEYS) {
      if (s[key] !== undefined && s[key] !== null && typeof s[key] !== 'string') {
        return `"serials.${key}" must be a string or null, found ${typeName(s[key])}`;
      }
    }
  }
  return v as JsonlInput;
}

/** Appends `"ref": …` to a one-line JSON object when the input line carried a reference. */
function withRef(json: string, ref: unknown): string {
  return typeof ref === 'string' ? `${json.slice(0, -1)},"ref":${JSON.stringify(ref)}}` : json;
}

/**
 * The output line (without newline) for one input line, numbered from 1. A `ref` of the input comes
 * back as the last key of its output line, also on BAD_INPUT when the line parsed as an object.
 * `format` turns a valid input into its result line (default DEVID1; a recipe passes its own).
 */
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
    const ref =
      // Stryker disable next-line ConditionalExpression: a number, string or boolean has no own ref, so reading it gives undefined too
      typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).ref : undefined;
    return {
      out: withRef(JSON.stringify({ error: 'BAD_INPUT', line: lineNo, message: input }), ref),
      bad: true,
    };
  }
  return { out: withRef(format(input), input.ref), bad: false };
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
  // Stryker disable next-line StringLiteral: StringDecoder's default encoding is utf8
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
    // Stryker disable next-line ConditionalExpression,StringLiteral: StringDecoder.write returns a string argument unchanged
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) break;
      if (skipping) {
        skipping = false;
        // Stryker disable next-line StringLiteral: emit ignores the text of a line it is told is too long
        emit('', true);
      } else {
        // Stryker disable next-line ConditionalExpression,StringLiteral: '' + x is x; the test only saves a concatenation
        emit(pending === '' ? text.slice(start, nl) : pending + text.slice(start, nl), false);
      }
      pending = '';
      start = nl + 1;
    }
    // Stryker disable next-line ConditionalExpression: while skipping, buffering the text anyway changes no output (the length check below skips it again)
    if (!skipping) {
      pending += text.slice(start);
      // +1: a CR that ends a line of exactly MAX_JSONL_LINE characters is not content.
      if (pending.length > MAX_JSONL_LINE + 1) {
        skipping = true;
        // Stryker disable next-line StringLiteral: while skipping, pending is never read (the next line feed resets it; at the end a skipped line is emitted as too long, without its text)
        pending = '';
      }
    }
    // Stryker disable next-line EqualityOperator: the threshold only decides when buffered output is written, one character sooner or later; the bytes and their order are the same
    if (out.length >= 1 << 16) {
      await write(out);
      out = '';
    }
  }
  const rest = pending + decoder.end();
  // Stryker disable next-line StringLiteral: emit ignores the text of a line it is told is too long
  if (skipping) emit('', true);
  else if (rest !== '') emit(rest, false);
  if (out !== '') await write(out);
  return { lines: lineNo, badLines };
}
