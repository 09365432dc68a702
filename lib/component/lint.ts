// Lint of a component: the validation rules of the format spec (§1) and the ComStore submission
// standards (§6). Rules are data (id, severity, summary, check) so the CLI can list them.
import type { Severity } from '../errors.js';
import type { Component } from './types.js';

/** Where a finding points: an archive entry, and a line of it or a key path in resource.xml. */
export interface LintFinding {
  rule: string;
  severity: Severity;
  entry: string;
  line?: number;
  path?: string;
  message: string;
}

export interface LintRule {
  id: string;
  severity: Severity;
  /** Where the rule comes from: the format spec or the ComStore standards. */
  source: 'format' | 'comstore';
  summary: string;
  check: (c: Component, body: BodyView) => Omit<LintFinding, 'rule' | 'severity'>[];
}

/** The body decoded once for the line-based rules. */
export interface BodyView {
  text: string;
  lines: string[];
  /** A UTF-8 byte-order mark. */
  bom: boolean;
  /** The body was UTF-16 (by its byte-order mark) and was decoded as such. */
  utf16?: 'LE' | 'BE';
  /** The language the code lines were preprocessed for. */
  lang: BodyLang;
  /**
   * Lines that are code, 1-based through index + 1: comments blanked to spaces and string-literal
   * contents to `_` (quotes kept), so columns and line numbers match `lines`.
   */
  code: string[];
}

/** How the body is preprocessed: by installType; `other` only blanks whole comment lines. */
export type BodyLang = 'powershell' | 'sh' | 'batch' | 'other';

export const OS_TAG = /\[(WIN|MAC|LIN)\]\s*$/;
export const INSTALL_TYPES = [
  'powershell',
  'unix',
  'batch',
  'vbscript',
  'javascript',
  'python',
  'ruby',
  'groovy',
];
const CATEGORIES = ['applications', 'scripts', 'monitors'];
/** Variable types: string, boolean and map seen in exports; the UI also offers a date (datto-formats §1). */
export const VARIABLE_TYPES = ['string', 'boolean', 'map', 'date'];
/** Post-condition streams as exported: one stream, or both (`stdout,stderr`, seen in Datto's own components). */
const RESOURCES = ['stdout', 'stderr', 'stdout,stderr'];
const INTEGER = /^-?[0-9]+$/;
const XML = 'resource.xml';
const BODY = 'command.bat';

function decodeBody(b: Uint8Array): { text: string; bom: boolean; utf16?: 'LE' | 'BE' } {
  // Stryker disable next-line ConditionalExpression: on a shorter body b[1] is undefined, which fails the byte test anyway
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe)
    return { text: Buffer.from(b.subarray(2)).toString('utf16le'), bom: false, utf16: 'LE' };
  // Stryker disable next-line ConditionalExpression: on a shorter body b[1] is undefined, which fails the byte test anyway
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
    const s = Buffer.from(b.subarray(2, 2 + ((b.length - 2) & ~1)));
    return { text: s.swap16().toString('utf16le'), bom: false, utf16: 'BE' };
  }
  // Stryker disable next-line ConditionalExpression: on a shorter body b[2] is undefined, which fails the byte test anyway
  const bom = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
  return { text: Buffer.from(bom ? b.subarray(3) : b).toString('utf8'), bom };
}

function bodyLang(type: string, text: string): BodyLang {
  if (type === 'powershell') return 'powershell';
  if (type === 'unix') return 'sh';
  if (type === 'batch') return 'batch';
  if (!INSTALL_TYPES.includes(type) && text.startsWith('#!')) return 'sh';
  return 'other';
}

/** A sh here-document operator and its word, matched where `<<` stands (sticky: no copy of the line). */
const HEREDOC = /<<(-?)\s*(['"]?)([A-Za-z_][\w.-]*)\2/y;
const BATCH_REM = /[&|(]+\s*@?rem\b/iy;
/** `& rem …` at `i`; tried only where a run of & | ( starts, so a long run is scanned once. */
const batchRem = (line: string, i: number) => {
  BATCH_REM.lastIndex = i;
  return BATCH_REM.test(line);
};

/** Where `#` starts a comment (PowerShell, sh): at the start of a word. */
const WORD_START = /[\s;&|(]/;

/**
 * Blanks comments (to spaces) and string-literal contents (to `_`, quotes kept) line by line, carrying
 * multi-line strings and block comments across lines. A lexer, not a parser: PowerShell `#`, `<# #>`,
 * '…' (with ''), "…" (with ` and ""), here-strings @'…'@ / @"…"@; sh `#` at word start, '…', "…"
 * (with \), \x outside quotes, here-documents (<<EOF … EOF, blanked as text); batch REM/@REM/::
 * and :label lines, `& rem …`, "…" to the end of the line, ^x.
 * Subexpressions inside strings ("$(…)", "`cmd`") are blanked with the string.
 */
export function blankCode(lines: string[], lang: BodyLang): string[] {
  if (lang === 'other') return lines;
  let state: 'code' | 'block' | 'sq' | 'dq' | 'hereSq' | 'hereDq' = 'code';
  /** sh here-documents opened on the current line, then being read: delimiter, and <<- (tabs). */
  const heredocs: { word: string; tabs: boolean }[] = [];
  let inHeredoc = false;
  return lines.map((line, n) => {
    if (inHeredoc) {
      const doc = heredocs[0]!;
      if ((doc.tabs ? line.replace(/^\t+/, '') : line) === doc.word) {
        heredocs.shift();
        inHeredoc = heredocs.length > 0;
        return line;
      }
      return '_'.repeat(line.length);
    }
    const out = line.split('');
    let i = 0;
    // Computed once per line: rescanning the rest of the line at each character made long lines quadratic.
    const lastNonBlank = line.trimEnd().length - 1;
    /** The last & | ( already tried as the start of `& rem`: the rest of its run need not be. */
    let remTried = -2;
    const arith = line.indexOf('((');
    /** Passes `count` characters, blanking them with `fill` when given. */
    const eat = (count: number, fill?: string) => {
      const to = Math.min(i + count, out.length);
      if (fill) for (let j = i; j < to; j++) out[j] = fill;
      i = to;
    };
    if (n === 0 && line.startsWith('#!')) return ' '.repeat(line.length);
    if (lang === 'batch') {
      // Stryker disable next-line StringLiteral: batch has no block comment, ' quote or here-string, so any state but 'dq' acts as 'code'
      state = 'code';
      if (/^\s*(@\s*)?(rem\b|:)/i.test(line)) return ' '.repeat(line.length);
    }
    if (state === 'hereSq' || state === 'hereDq') {
      if (!line.startsWith(state === 'hereSq' ? "'@" : '"@')) return '_'.repeat(line.length);
      // Stryker disable next-line StringLiteral: a PowerShell line opens no here-document, so any state but block, quote or here-string acts as 'code'
      state = 'code';
      eat(2);
    }
    while (i < line.length) {
      const ch = line[i]!;
      const next = line[i + 1];
      if (state === 'block') {
        if (ch === '#' && next === '>') state = 'code';
        eat(state === 'code' ? 2 : 1, ' ');
      } else if (state === 'sq') {
        if (ch === "'" && lang === 'powershell' && next === "'") eat(2, '_');
        else if (ch === "'") {
          state = 'code';
          eat(1);
        } else eat(1, '_');
      } else if (state === 'dq') {
        if ((lang === 'powershell' && ch === '`') || (lang === 'sh' && ch === '\\')) eat(2, '_');
        else if (ch === '"' && lang === 'powershell' && next === '"') eat(2, '_');
        else if (ch === '"') {
          state = 'code';
          eat(1);
        } else eat(1, '_');
      } else if (lang === 'powershell' && ch === '<' && next === '#') {
        state = 'block';
        eat(2, ' ');
      } else if (lang !== 'batch' && ch === '#' && (i === 0 || WORD_START.test(line[i - 1]!))) {
        eat(line.length, ' ');
      } else if (
        lang === 'powershell' &&
        ch === '@' &&
        (next === '"' || next === "'") &&
        lastNonBlank < i + 2
      ) {
        state = next === "'" ? 'hereSq' : 'hereDq';
        eat(line.length);
      } else if (lang === 'sh' && ch === '<' && next === '<' && line[i - 1] !== '<') {
        // Not the second half of `<<<` (a here-string); at its first half HEREDOC finds no word after `<<`.
        // Not an arithmetic shift, $(( a << b )).
        HEREDOC.lastIndex = i;
        // Stryker disable next-line ArithmeticOperator: `((` cannot start at i-1..i+1 (it would need ( at i or i+1, which hold <), and at i+2 (`<<((`) HEREDOC finds no word: arith ≤ i-2 and arith ≤ i+2 agree
        const doc = arith >= 0 && arith + 2 <= i ? null : HEREDOC.exec(line);
        if (doc) heredocs.push({ word: doc[3]!, tabs: doc[1] === '-' });
        eat(doc ? doc[0].length : 2);
      } else if (ch === "'" && lang !== 'batch') {
        state = 'sq';
        eat(1);
      } else if (ch === '"') {
        state = 'dq';
        eat(1);
      } else if (
        (lang === 'powershell' && ch === '`') ||
        (lang === 'sh' && ch === '\\') ||
        (lang === 'batch' && ch === '^')
      ) {
        eat(1);
        eat(1, '_');
      } else if (lang === 'batch' && (ch === '&' || ch === '|' || ch === '(')) {
        // Stryker disable next-line ConditionalExpression,ArithmeticOperator: an optimisation: where `& rem` failed at i-1 it fails at i too (the run [&|(]+ from i-1 covers the one from i)
        if (remTried !== i - 1 && batchRem(line, i)) {
          eat(1);
          eat(line.length, ' ');
        } else {
          remTried = i;
          eat(1);
        }
      } else eat(1);
    }
    if (heredocs.length > 0 && state === 'code') inHeredoc = true;
    return out.join('');
  });
}

/** The old comment-line blanking, for the languages without a lexer here. */
function blankCommentLines(lines: string[], type: string): string[] {
  // (batch never comes here: it has its own lexer, see bodyLang)
  const comment = type === 'vbscript' ? /^\s*(rem\b|')/i : /^\s*(#|\/\/)/;
  return lines.map((l, k) => ((k === 0 && l.startsWith('#!')) || comment.test(l) ? '' : l));
}

export function viewBody(c: Component): BodyView {
  const { text, bom, utf16 } = decodeBody(c.body);
  const lines = text.split(/\r?\n|\r/);
  // Stryker disable next-line StringLiteral: the fallback only has to be no known installType; every unknown one reads alike
  const type = (c.general.installType ?? '').toLowerCase();
  const lang = bodyLang(type, text);
  const code = lang === 'other' ? blankCommentLines(lines, type) : blankCode(lines, lang);
  return { text, lines, bom, ...(utf16 ? { utf16 } : {}), lang, code };
}

/**
 * A body pattern: a regular expression on the blanked code line, for some languages, with an optional
 * test of the match (the whole view, the line index and the match) that can turn it down.
 */
interface BodyPattern {
  re: RegExp;
  langs: readonly BodyLang[];
  accept?: (v: BodyView, k: number, m: RegExpExecArray) => boolean;
}

const SHELLS: readonly BodyLang[] = ['powershell', 'sh', 'batch'];
const WINDOWS: readonly BodyLang[] = ['powershell', 'batch'];
/*
 * Linear time: every pattern is tried at every position of a line, so no part of one may run across a
 * place where another attempt starts (a separator such as ; & | ( { = !), or the work per line grows
 * with the square of its length (`a=; ` × 50,000 took minutes). Paths, assignment values and flags
 * therefore stop at those separators, and "… anywhere later on the line" is a test of the rest of the
 * line after the first match (`restHas`), never `.*` inside the pattern.
 */
/** A path before a command name: /sbin/, C:\Windows\System32\ … (stops at any separator). */
const PATH = String.raw`(?:[^\s;&|(){}=!@"'<>]*[\\/])?`;
/** A word of a simple command, up to the next separator. */
const WORD = String.raw`[^\s;&|(){}!]`;
/** Where a command starts (after optional whitespace), by language. */
const COMMAND_AT: Record<Exclude<BodyLang, 'other'>, string> = {
  powershell: String.raw`(?:^|[;&|({}=]|\b(?:else|elseif)\b)\s*`,
  sh: String.raw`(?:^|[;&|({!]|^\s*\(?[^\s()]+\)|\b(?:then|do|else|elif|if|while|until|exec|nohup|command|time)\s|\bsudo(?:\s+-\w+)*\s)\s*(?:\w+=${WORD}*\s+)*`,
  batch: String.raw`(?:^|[&|(@]|\b(?:do|else)\s|\bstart(?:\s+/\w+|\s+"_*")*\s|\bif\s+(?:/i\s+)?(?:not\s+)?(?:(?:errorlevel|exist|defined|cmdextversion)\s+\S+|\S+?\s*==\s*\S+|\S+\s+(?:equ|neq|lss|leq|gtr|geq)\s+\S+)\s)\s*`,
};
/** A word that stops where a command name stops (not reboot.sh, not pause-x). */
const END = String.raw`(?![\w.-])`;

/** Patterns for a command at command position in each of `langs`. */
const command = (
  langs: readonly Exclude<BodyLang, 'other'>[],
  name: string,
  accept?: BodyPattern['accept'],
): BodyPattern[] =>
  langs.map((l) => ({
    re: new RegExp(COMMAND_AT[l] + name, 'i'),
    langs: [l],
    ...(accept ? { accept } : {}),
  }));
/** A name that is unambiguous anywhere in code (a cmdlet, a .NET member), not a $variable or -parameter. */
const anywhere = (langs: readonly BodyLang[], re: string): BodyPattern => ({
  re: new RegExp(String.raw`(?<![\w$.-])` + re, 'i'),
  langs,
});

/**
 * Accepts a match when the rest of its line matches `re`: "…later on the line" tested once, in linear
 * time. The first match of a pattern has the longest rest, so testing only it loses nothing.
 */
const restHas =
  (re: RegExp): NonNullable<BodyPattern['accept']> =>
  (v, k, m) =>
    re.test(v.code[k]!.slice(m.index + m[0].length));

/** The simple command after a match: up to the next ; & | (a redirection belongs to it). */
const restOfCommand = (line: string, from: number) => line.slice(from).split(/[;&|]|\b(?:do|then)\b/)[0]!;

const PIPED = new RegExp(String.raw`(^|[^|])\|\s*(?:\w+=${WORD}*\s+)*$`);
const LOOP = new RegExp(String.raw`(^|[^|])(\|)?\s*\b(?:while|until)\s+(?:!\s*)?(?:\w+=${WORD}*\s+)*$`);

/**
 * sh `read` reads the terminal unless its input is redirected: `read x < f`, `… | read`,
 * `… | while read`, or a `while read …; do … done < f` loop (the `done` may be lines later).
 */
function shReadIsInteractive(v: BodyView, k: number, m: RegExpExecArray): boolean {
  const line = v.code[k]!;
  const end = m.index + m[0].length;
  const pre = line.slice(0, end - 'read'.length);
  const own = restOfCommand(line, end);
  if (/<\s*\/dev\/tty\b/.test(own)) return true;
  // (`read` ends before a non-word character, so a flag such as -u or -ru always follows a blank)
  if (/</.test(own) || /\s-\w*u/.test(own)) return false;
  if (PIPED.test(pre)) return false;
  const loop = LOOP.exec(pre);
  if (!loop) return true;
  if (loop[2]) return false;
  // Find the `done` closing this loop and look for a redirection or pipe after it.
  const done = closingDone(v, k, end);
  if (!done) return true;
  AFTER_DONE.lastIndex = done.col + 4;
  return !AFTER_DONE.test(v.code[done.line]!);
}

const AFTER_DONE = /\s*(?:\d?<|\|(?!\|))/y;

/**
 * A `do` or `done` where sh reads it as a reserved word: at the start of a command. `echo done` or
 * `[ $x = done ]` hold the word as an argument, which must not close a loop.
 */
const LOOP_WORD = /(?:^|[;&|(){}])\s*(do|done)(?![\w.-])/g;

/** The `do`/`done` words of a body in order, and for each `do` the `done` that closes it. */
interface LoopWords {
  words: { line: number; col: number }[];
  /** close[t]: for a `do` at t, the index of its `done`, or -1 when the loop is never closed; a `done`: t. */
  close: Int32Array;
}
const loopWordsCache = new WeakMap<BodyView, LoopWords>();

/**
 * The `done` closing a loop whose `do` comes after (line k, column from), or undefined. Computed for the
 * whole body once (one pass each way), so 20,000 unclosed `while read` lines stay linear.
 */
function closingDone(v: BodyView, k: number, from: number): { line: number; col: number } | undefined {
  let w = loopWordsCache.get(v);
  // Stryker disable next-line ConditionalExpression: a cache; recomputing gives the same answer, only slower (the timing tests catch that)
  if (!w) {
    const words: { line: number; col: number }[] = [];
    /** The count of open loops after each word. */
    const level: number[] = [];
    const done: boolean[] = [];
    let depth = 0;
    v.code.forEach((text, line) => {
      LOOP_WORD.lastIndex = 0;
      for (let m = LOOP_WORD.exec(text); m; m = LOOP_WORD.exec(text)) {
        words.push({ line, col: m.index + m[0].length - m[1]!.length });
        done.push(m[1] === 'done');
        depth += m[1] === 'do' ? 1 : -1;
        level.push(depth);
      }
    });
    // The `do` at t leaves level L + 1; its `done` is the first later word back at L (levels move by one
    // per word). Found right to left, remembering the nearest word at each level.
    // Stryker disable next-line UnaryOperator: every entry is written by the loop below
    const close = new Int32Array(words.length).fill(-1);
    const nearest = new Map<number, number>();
    // Stryker disable next-line ArithmeticOperator: an extra pass past the end writes nothing (typed array) and adds no number key
    for (let t = words.length - 1; t >= 0; t--) {
      // A `done` before any `do` (`while read x; done < f`, broken sh) closes the loop at once.
      close[t] = done[t] ? t : (nearest.get(level[t]! - 1) ?? -1);
      nearest.set(level[t]!, t);
    }
    w = { words, close };
    loopWordsCache.set(v, w);
  }
  // the first word at or after (k, from)
  let lo = 0;
  let hi = w.words.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const at = w.words[mid]!;
    // Stryker disable next-line EqualityOperator: no do/done starts exactly where read ends (read must be followed by a non-word character)
    if (at.line < k || (at.line === k && at.col < from)) lo = mid + 1;
    else hi = mid;
  }
  // past the last word, or a loop never closed: index -1, no word
  return w.words[w.close[lo] ?? -1];
}

/** batch `set /p` reads the keyboard unless its input is redirected (`set /p v=<file`) or piped. */
const batchSetPIsInteractive = (v: BodyView, k: number, m: RegExpExecArray) => {
  const line = v.code[k]!;
  return (
    !/</.test(restOfCommand(line, m.index + m[0].length)) &&
    !/(^|[^|])\|\s*$/.test(line.slice(0, m.index + 1))
  );
};

const REBOOT: BodyPattern[] = [
  ...command(
    ['powershell', 'sh', 'batch'],
    String.raw`${PATH}shutdown(?:\.exe)?(?=\s)`,
    restHas(/\s(?:--reboot|[/-][rg])\b/i),
  ),
  ...command(['sh'], String.raw`${PATH}(?:reboot|(?:tel)?init\s+6)${END}`),
  ...command(['sh'], String.raw`${PATH}systemctl(?:\s+-${WORD}+)*\s+reboot${END}`),
  ...command(['batch'], String.raw`${PATH}wmic(?:\.exe)?\s+os\b`, restHas(/\breboot\b/i)),
  anywhere(WINDOWS, String.raw`Restart-Computer\b`),
  { re: /\.Reboot\s*\(|\.Win32Shutdown(?:Tracker)?\s*\(\s*[26]\b/i, langs: WINDOWS },
  // The patterns before the lexers, for the languages without one.
  {
    re: /\bshutdown(?:\.exe)?\s/i,
    langs: ['other'],
    accept: restHas(/(?:^|\s)[/-][rg]\b/i),
  },
  {
    re: /\bRestart-Computer\b|(^|[;&|(]\s*|\bsudo\s+|\bthen\s+|\bdo\s+)(reboot|init\s+6)\b|\bsystemctl\s+reboot\b/i,
    langs: ['other'],
  },
];

const PROMPT: BodyPattern[] = [
  anywhere(WINDOWS, String.raw`Read-Host\b`),
  anywhere(WINDOWS, String.raw`Get-Credential\b`),
  { re: /\[(?:System\.)?Console\]::Read(?:Line|Key)?\b/i, langs: WINDOWS },
  { re: /\$Host\.UI\.(?:RawUI\.)?(?:Read\w*|Prompt\w*)\b/i, langs: WINDOWS },
  ...command(['powershell', 'batch'], `pause${END}`),
  ...command(['powershell', 'batch'], String.raw`${PATH}choice(?:\.exe)?${END}`),
  ...command(['batch'], String.raw`set\s+/p\b`, batchSetPIsInteractive),
  ...command(['sh'], `read${END}`, shReadIsInteractive),
  ...command(['sh'], `${PATH}stty${END}`),
  ...command(['sh'], String.raw`select\s+\w+\s+in\b`),
  {
    re: /\bRead-Host\b|\bGet-Credential\b|\[Console\]::Read(Line|Key)?\b|\$Host\.UI\.Prompt|^\s*@?pause\b|\bset\s+\/p\b|\bchoice(\.exe)?\s|\bread\s+(-\w*\s+)*-\w*p\b/i,
    langs: ['other'],
  },
  // read … < /dev/tty within one simple command (between | and ;)
  {
    re: /\bread\b/i,
    langs: ['other'],
    accept: (v, k) =>
      v.code[k]!.split(/[|;]/).some((seg) => {
        const r = /\bread\b/i.exec(seg);
        return r !== null && /<\s*\/dev\/tty/i.test(seg.slice(r.index + 4));
      }),
  },
];

const STDERR: BodyPattern[] = [
  anywhere(WINDOWS, String.raw`Write-Error\b`),
  { re: /\[(?:System\.)?Console\]::Error\b|\$host\.ui\.WriteErrorLine\b/i, langs: WINDOWS },
  { re: /(?:^|[^0-9&])1?>&\s*2\b|>>?\s*\/dev\/stderr\b/, langs: SHELLS },
  {
    re: /\bWrite-Error\b|\[Console\]::Error\b|\$host\.ui\.WriteErrorLine|(^|[^0-9])1?>&2\b/i,
    langs: ['other'],
  },
];

/** One finding per code line that any pattern for the body's language matches. */
const bodyMatches = (v: BodyView, patterns: BodyPattern[], message: (line: string) => string) => {
  const mine = patterns.filter((p) => p.langs.includes(v.lang));
  return v.code.flatMap((l, k) => {
    const hit = mine.some((p) => {
      const m = p.re.exec(l);
      return m !== null && (!p.accept || p.accept(v, k, m));
    });
    return hit ? [{ entry: BODY, line: k + 1, message: message(v.lines[k]!.trim()) }] : [];
  });
};

/** Parses the PNG header: size and whether it can carry transparency (alpha colour type or tRNS). */
export function inspectPng(
  b: Uint8Array | undefined,
): { ok: false; why: string } | { ok: true; width: number; height: number; transparent: boolean } {
  if (!b || b.length === 0) return { ok: false, why: 'no icon.png' };
  if (b.length === 3 && b[0] === 0x9e && b[1] === 0xe9 && b[2] === 0x65)
    return { ok: false, why: 'icon.png is the 3-byte placeholder Datto writes when no icon was chosen' };
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (b.length < 33 || sig.some((x, k) => b[k] !== x))
    return { ok: false, why: `icon.png is not a PNG (${b.length} bytes)` };
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (String.fromCharCode(...b.subarray(12, 16)) !== 'IHDR')
    return { ok: false, why: 'icon.png has no IHDR chunk' };
  const width = dv.getUint32(16);
  const height = dv.getUint32(20);
  const colorType = b[25]!;
  let transparent = colorType === 4 || colorType === 6;
  let p = 8;
  while (!transparent && p + 8 <= b.length) {
    const len = dv.getUint32(p);
    const type = String.fromCharCode(...b.subarray(p + 4, p + 8));
    if (type === 'tRNS') transparent = true;
    if (type === 'IDAT' || type === 'IEND') break;
    p += 12 + len;
  }
  return { ok: true, width, height, transparent };
}

export const LINT_RULES: readonly LintRule[] = [
  {
    id: 'idx-sequence',
    severity: 'error',
    source: 'format',
    summary: 'variable, option and post-condition idx run 0, 1, 2 … in order',
    check: (c) => {
      const out: Omit<LintFinding, 'rule' | 'severity'>[] = [];
      const seq = (items: { idx: number }[], path: string) =>
        items.forEach((it, k) => {
          if (it.idx !== k)
            out.push({
              entry: XML,
              path: `${path}[${k}]`,
              message: `idx is ${it.idx}; expected ${k} (sequential from 0)`,
            });
        });
      seq(c.variables, 'variables');
      c.variables.forEach((v, k) => {
        seq(v.options, `variables[${k}].options`);
      });
      seq(c.postConditions, 'postConditions');
      return out;
    },
  },
  {
    id: 'variable-name',
    severity: 'error',
    source: 'format',
    summary: 'every variable has a name, unique among the variables',
    check: (c) => {
      const seen = new Map<string, number>();
      return c.variables.flatMap((v, k) => {
        const path = `variables[${k}].name`;
        if (!v.name) return [{ entry: XML, path, message: 'a variable needs a name' }];
        const prev = seen.get(v.name);
        seen.set(v.name, k);
        return prev === undefined
          ? []
          : [
              {
                entry: XML,
                path,
                message: `duplicate variable name ${JSON.stringify(v.name)} (also variables[${prev}])`,
              },
            ];
      });
    },
  },
  {
    id: 'variable-type',
    severity: 'error',
    source: 'format',
    summary: `every variable has a type Datto knows (${VARIABLE_TYPES.join(', ')})`,
    check: (c) =>
      c.variables.flatMap((v, k) =>
        // Stryker disable next-line StringLiteral: the fallback only has to be no allowed type; the message prints its own
        VARIABLE_TYPES.includes(v.type ?? '')
          ? []
          : [
              {
                entry: XML,
                path: `variables[${k}].type`,
                message: `variable ${JSON.stringify(v.name ?? '')} has type ${JSON.stringify(v.type ?? '')}; allowed: ${VARIABLE_TYPES.join(', ')}`,
              },
            ],
      ),
  },
  {
    id: 'map-options',
    severity: 'error',
    source: 'format',
    summary: 'a map variable has at least one option; other types have none',
    check: (c) =>
      c.variables.flatMap((v, k) => {
        const path = `variables[${k}]`;
        if (v.type === 'map' && v.options.length === 0)
          return [{ entry: XML, path, message: `map variable ${JSON.stringify(v.name)} has no options` }];
        if (v.type !== 'map' && v.options.length > 0)
          return [
            {
              entry: XML,
              path,
              message: `${v.type ?? 'untyped'} variable ${JSON.stringify(v.name)} has options; only map variables may`,
            },
          ];
        return [];
      }),
  },
  {
    id: 'map-default',
    severity: 'error',
    source: 'format',
    summary: 'a map default is empty or the name (label) of one of its options',
    check: (c) =>
      c.variables.flatMap((v, k) => {
        if (v.type !== 'map' || !v.defaultVal) return [];
        if (v.options.some((o) => o.name === v.defaultVal)) return [];
        const byValue = v.options.some((o) => o.value === v.defaultVal);
        return [
          {
            entry: XML,
            path: `variables[${k}].defaultVal`,
            message: `default ${JSON.stringify(v.defaultVal)} is not an option name (${v.options.map((o) => JSON.stringify(o.name ?? '')).join(', ')})${byValue ? '; it is an option value — a map default names the label' : ''}`,
          },
        ];
      }),
  },
  {
    id: 'boolean-default',
    severity: 'error',
    source: 'format',
    summary: 'a boolean default is true, false or empty',
    check: (c) =>
      c.variables.flatMap((v, k) =>
        v.type === 'boolean' && v.defaultVal && v.defaultVal !== 'true' && v.defaultVal !== 'false'
          ? [
              {
                entry: XML,
                path: `variables[${k}].defaultVal`,
                message: `boolean default ${JSON.stringify(v.defaultVal)}; use true, false or empty`,
              },
            ]
          : [],
      ),
  },
  {
    id: 'integer-fields',
    severity: 'error',
    source: 'format',
    summary: 'version, timeout and securityLevel (1..5) are integers',
    check: (c) => {
      const out: Omit<LintFinding, 'rule' | 'severity'>[] = [];
      for (const f of ['version', 'timeout', 'securityLevel'] as const) {
        const v = c.general[f];
        if (v === undefined || v === '')
          out.push({ entry: XML, path: `general.${f}`, message: `${f} is missing; write an integer` });
        else if (!INTEGER.test(v))
          out.push({
            entry: XML,
            path: `general.${f}`,
            message: `${f} is ${JSON.stringify(v)}; write an integer`,
          });
        else if (f === 'securityLevel' && (Number(v) < 1 || Number(v) > 5))
          out.push({ entry: XML, path: `general.${f}`, message: `securityLevel is ${v}; allowed 1..5` });
        else if (f === 'timeout' && Number(v) <= 0)
          out.push({
            entry: XML,
            path: `general.${f}`,
            message: `timeout is ${v}; write a positive number of seconds`,
          });
      }
      return out;
    },
  },
  {
    id: 'general-fields',
    severity: 'error',
    source: 'format',
    summary: 'name, category (applications|scripts|monitors) and installType are present',
    check: (c) => {
      const out: Omit<LintFinding, 'rule' | 'severity'>[] = [];
      if (!c.general.name)
        out.push({ entry: XML, path: 'general.name', message: 'the component has no name' });
      // Stryker disable next-line StringLiteral: the fallback only has to be no allowed category; the message prints its own
      if (!CATEGORIES.includes(c.general.category ?? ''))
        out.push({
          entry: XML,
          path: 'general.category',
          message: `category ${JSON.stringify(c.general.category ?? '')}; allowed ${CATEGORIES.join(', ')}`,
        });
      if (!c.general.installType)
        out.push({ entry: XML, path: 'general.installType', message: 'installType is missing' });
      return out;
    },
  },
  {
    id: 'install-type',
    severity: 'warning',
    source: 'format',
    summary: `installType is a known token (${INSTALL_TYPES.slice(0, 3).join(', ')} seen in exports)`,
    check: (c) => {
      const t = c.general.installType;
      return t && !INSTALL_TYPES.includes(t)
        ? [
            {
              entry: XML,
              path: 'general.installType',
              message: `installType ${JSON.stringify(t)} is not one rmmkit knows (${INSTALL_TYPES.join(', ')})`,
            },
          ]
        : [];
    },
  },
  {
    id: 'post-condition',
    severity: 'warning',
    source: 'format',
    summary:
      'post-conditions use the seen tokens: consequence warn, resource stdout|stderr|stdout,stderr, qualifier found',
    check: (c) =>
      c.postConditions.flatMap((p, k) => {
        const out: Omit<LintFinding, 'rule' | 'severity'>[] = [];
        const path = `postConditions[${k}]`;
        // Stryker disable next-line StringLiteral: the fallback only has to be no seen resource; the message prints its own
        if (!RESOURCES.includes(p.resource ?? ''))
          out.push({
            entry: XML,
            path: `${path}.resource`,
            message: `resource ${JSON.stringify(p.resource ?? '')}; seen: ${RESOURCES.join(', ')}`,
          });
        if (p.consequence !== 'warn')
          out.push({
            entry: XML,
            path: `${path}.consequence`,
            message: `consequence ${JSON.stringify(p.consequence ?? '')}; seen: warn`,
          });
        if (p.qualifier !== 'found')
          out.push({
            entry: XML,
            path: `${path}.qualifier`,
            message: `qualifier ${JSON.stringify(p.qualifier ?? '')}; seen: found`,
          });
        if (!p.text)
          out.push({ entry: XML, path: `${path}.text`, message: 'a post-condition needs text to look for' });
        return out;
      }),
  },
  {
    id: 'os-tag',
    severity: 'warning',
    source: 'format',
    summary: 'the name ends with an OS tag: [WIN], [MAC] or [LIN] (also a ComStore standard)',
    check: (c) =>
      c.general.name && !OS_TAG.test(c.general.name)
        ? [
            {
              entry: XML,
              path: 'general.name',
              message: `name ${JSON.stringify(c.general.name)} does not end with [WIN], [MAC] or [LIN]`,
            },
          ]
        : [],
  },
  {
    id: 'body-bom',
    severity: 'warning',
    source: 'format',
    summary: 'the body has no byte-order mark (the agent adds one when it runs the script)',
    check: (_c, b) =>
      b.bom ? [{ entry: BODY, line: 1, message: 'the body starts with a UTF-8 byte-order mark' }] : [],
  },
  {
    id: 'body-utf16',
    severity: 'warning',
    source: 'format',
    summary: 'the body is UTF-8, not UTF-16 (Datto writes bodies as UTF-8; lint decodes UTF-16 to check it)',
    check: (_c, b) =>
      b.utf16
        ? [
            {
              entry: BODY,
              line: 1,
              message: `the body is UTF-16${b.utf16} (byte-order mark ${b.utf16 === 'LE' ? 'FF FE' : 'FE FF'}); Datto writes component bodies as UTF-8 — save it as UTF-8 without a byte-order mark`,
            },
          ]
        : [],
  },
  {
    id: 'unix-shebang',
    severity: 'warning',
    source: 'format',
    summary: 'a unix body starts with a shebang (#!/bin/sh, #!/bin/bash …)',
    check: (c, b) =>
      c.general.installType === 'unix' && !b.text.startsWith('#!')
        ? [{ entry: BODY, line: 1, message: 'unix body without a shebang on line 1' }]
        : [],
  },
  {
    id: 'batch-shebang',
    severity: 'warning',
    source: 'format',
    summary: 'a batch body does not start with #! (a unix script marked batch?)',
    check: (c, b) =>
      c.general.installType === 'batch' && b.text.startsWith('#!')
        ? [{ entry: BODY, line: 1, message: 'batch body starts with #!; is installType wrong?' }]
        : [],
  },
  {
    id: 'monitor-attachments',
    severity: 'error',
    source: 'format',
    summary: 'a monitor (category monitors) carries no attachments',
    check: (c) =>
      c.general.category === 'monitors'
        ? c.attachments.map((a) => ({
            entry: a.name,
            message: `monitors carry no attachments; remove ${JSON.stringify(a.name)}`,
          }))
        : [],
  },
  {
    id: 'monitor-result',
    severity: 'error',
    source: 'format',
    summary: 'a monitor body prints <-Start Result-> and <-End Result->',
    check: (c, b) => {
      if (c.general.category !== 'monitors') return [];
      return ['<-Start Result->', '<-End Result->']
        .filter((m) => !b.text.includes(m))
        .map((m) => ({ entry: BODY, message: `monitor body never prints ${m}` }));
    },
  },
  {
    id: 'comstore-icon',
    severity: 'warning',
    source: 'comstore',
    summary: 'icon.png is a 48×48 PNG with transparency (alpha channel or tRNS)',
    check: (c) => {
      const p = inspectPng(c.icon);
      if (!p.ok) return [{ entry: 'icon.png', message: p.why }];
      const out: Omit<LintFinding, 'rule' | 'severity'>[] = [];
      if (p.width !== 48 || p.height !== 48)
        out.push({ entry: 'icon.png', message: `icon is ${p.width}×${p.height}; ComStore wants 48×48` });
      if (!p.transparent)
        out.push({
          entry: 'icon.png',
          message: 'icon has no transparency (no alpha channel, no tRNS chunk)',
        });
      return out;
    },
  },
  {
    id: 'comstore-no-reboot',
    severity: 'warning',
    source: 'comstore',
    summary: 'the script never reboots (shutdown /r, Restart-Computer, reboot, shutdown -r …)',
    check: (_c, b) => bodyMatches(b, REBOOT, (l) => `reboots: ${l}`),
  },
  {
    id: 'comstore-non-interactive',
    severity: 'warning',
    source: 'comstore',
    summary: 'the script never prompts (Read-Host, Get-Credential, pause, set /p, read from a terminal)',
    check: (_c, b) =>
      bodyMatches(
        b,
        PROMPT,
        (l) => `waits for input (the job runs hidden and would hang until its timeout): ${l}`,
      ),
  },
  {
    id: 'comstore-stderr',
    severity: 'warning',
    source: 'comstore',
    summary: 'nothing goes to stderr on the success path (Write-Error, >&2, [Console]::Error)',
    check: (_c, b) => bodyMatches(b, STDERR, (l) => `writes to stderr; keep it to failure paths: ${l}`),
  },
];

/** Runs every rule; findings sorted by entry, line, then rule. Never throws on a readable component. */
export function lintComponent(c: Component, rules: readonly LintRule[] = LINT_RULES): LintFinding[] {
  const body = viewBody(c);
  const out: LintFinding[] = [];
  for (const r of rules)
    for (const f of r.check(c, body)) out.push({ rule: r.id, severity: r.severity, ...f });
  const rank = (e: string) => (e === XML ? 0 : e === BODY ? 1 : 2);
  return out.sort(
    (a, b) =>
      rank(a.entry) - rank(b.entry) ||
      a.entry.localeCompare(b.entry) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      a.rule.localeCompare(b.rule),
  );
}
