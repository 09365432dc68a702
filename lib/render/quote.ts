// The one quoting helper per target language: turns a string into a literal of that language.
// Every value baked into a generated script (a link template, a host) passes through here, nowhere else.
import { RmmkitError } from '../errors.js';

/**
 * A POSIX sh literal: runs of ordinary characters in '…' (where nothing is special), and the three
 * characters that need care written outside the quotes with a backslash: ' as \', and $ and ` as
 * \$ and \`. Those two are literal inside '…' too, but shellcheck reads '…$x…' as a forgotten
 * expansion (SC2016), and a generated script must pass it with no findings. NUL cannot live in a
 * shell word, so it is refused.
 */
export function quoteSh(value: string): string {
  if (value.includes('\0'))
    throw new RmmkitError('BAD_LITERAL', 'a NUL character cannot be put in a sh script');
  if (value === '') return "''";
  return value
    .split(/(['$`])/)
    .filter((part) => part !== '')
    .map((part) => (part === "'" || part === '$' || part === '`' ? `\\${part}` : `'${part}'`))
    .join('');
}

// PowerShell reads U+2018, U+2019, U+201A and U+201B as single quotes too, so an ASCII-only check is
// the simplest safe rule: printable ASCII stays in a '…' literal, anything else becomes [char]0xNNNN.
const PS_PLAIN = /^[\x20-\x7e]$/;

/**
 * A PowerShell expression whose value is `value`, made of ASCII only (PowerShell 2.0 reads a BOM-less
 * script in the ANSI code page). Printable ASCII goes into a single-quoted literal with ' doubled;
 * every other UTF-16 unit, controls included, is concatenated as [char]0xNNNN. Works on PS 2.0–7.
 */
export function quotePowerShell(value: string): string {
  const parts: string[] = [];
  let run = '';
  for (const unit of value.split('')) {
    if (PS_PLAIN.test(unit)) {
      run += unit === "'" ? "''" : unit;
      continue;
    }
    if (run) parts.push(`'${run}'`);
    run = '';
    parts.push(`[char]0x${unit.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
  }
  if (run || parts.length === 0) parts.push(`'${run}'`);
  // [char] + [char] would add code points as numbers; a leading string makes every + a concatenation.
  // A part is either '…' or [char]0xNNNN, so testing its first or its last character is the same.
  // Stryker disable next-line MethodExpression: a part starts with ' exactly when it ends with '
  if (parts.length === 1 && (parts[0] as string).startsWith("'")) return parts[0] as string;
  // Stryker disable next-line MethodExpression: a part starts with ' exactly when it ends with '
  if (!(parts[0] as string).startsWith("'")) parts.unshift("''");
  return `(${parts.join(' + ')})`;
}

/** An environment variable name as a shell/PowerShell identifier: letters, digits, underscore. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
