// A static check that a PowerShell script runs on Windows PowerShell 2.0 (Windows 7 SP1) and avoids
// the portability traps of devid1.md §5. Regex rules over the code with comments and '…' strings blanked.

export interface Ps2Finding {
  line: number;
  rule: string;
  message: string;
}

interface Rule {
  rule: string;
  pattern: RegExp;
  message: string;
}

// Each pattern runs on code whose comments and single-quoted string contents are blanked, so a word
// inside a message or a comment is no finding. Patterns are case-insensitive: PowerShell is.
const RULES: readonly Rule[] = [
  { rule: 'ordered', pattern: /\[ordered\]/i, message: '[ordered] is PowerShell 3+; use a hashtable' },
  {
    rule: 'new',
    pattern: /(?:\]|\$\w+)\s*::\s*new\s*\(/i,
    message: '::new() is PowerShell 5+; use New-Object or [Activator]::CreateInstance',
  },
  {
    rule: 'in-operator',
    pattern: /\s-(?:c|i)?(?:not)?in\b/i,
    message: '-in / -notin are PowerShell 3+; use -contains / -notcontains',
  },
  { rule: 'psitem', pattern: /\$PSItem\b/i, message: '$PSItem is PowerShell 3+; use $_' },
  {
    rule: 'foreach-method',
    pattern: /\.ForEach\s*\(/i,
    message: '.ForEach() is PowerShell 4+; use foreach or ForEach-Object',
  },
  { rule: 'where-method', pattern: /\.Where\s*\(/i, message: '.Where() is PowerShell 4+; use Where-Object' },
  {
    rule: 'json',
    pattern: /\bConvert(?:From|To)-Json\b/i,
    message: 'ConvertFrom-Json / ConvertTo-Json are PowerShell 3+',
  },
  {
    rule: 'shift',
    pattern: /\s-(?:shl|shr)\b/i,
    message: '-shl / -shr are PowerShell 3+; multiply or divide',
  },
  {
    rule: 'pscustomobject',
    pattern: /\[pscustomobject\]/i,
    message: '[pscustomobject] is PowerShell 3+; use New-Object PSObject -Property',
  },
  {
    rule: 'using',
    pattern: /^\s*using\s+(?:namespace|module|assembly)\b/im,
    message: 'using statements are PowerShell 5+',
  },
  {
    rule: 'class',
    pattern: /^\s*(?:class|enum)\s+\w+/im,
    message: 'class / enum definitions are PowerShell 5+',
  },
  {
    rule: 'psscriptroot',
    pattern: /\$(?:PSScriptRoot|PSCommandPath)\b/i,
    message: '$PSScriptRoot / $PSCommandPath outside modules are PowerShell 3+',
  },
  { rule: 'using-scope', pattern: /\$using:/i, message: '$using: is PowerShell 3+' },
  {
    rule: 'web-cmdlets',
    pattern: /\bInvoke-(?:WebRequest|RestMethod)\b/i,
    message: 'Invoke-WebRequest / Invoke-RestMethod are PowerShell 3+; use System.Net.WebClient',
  },
  {
    rule: 'erroraction-ignore',
    pattern: /-(?:ErrorAction|EA)(?:\s+|\s*:\s*)'?Ignore\b/i,
    message: '-ErrorAction Ignore is PowerShell 3+; use SilentlyContinue',
  },
  {
    rule: 'nonewline',
    pattern: /-NoNewline\b/i,
    message: '-NoNewline is PowerShell 5+; use [Console]::Out.Write',
  },
  {
    rule: 'simplified-where',
    pattern:
      /\b(?:Where-Object|ForEach-Object|where|foreach|\?|%)\s+(?!\{|-Process\b|-FilterScript\b|\()[A-Za-z_]\w*\s+-[a-z]/i,
    message: 'simplified Where-Object / ForEach-Object syntax is PowerShell 3+; use a script block',
  },
  { rule: 'pipeline-chain', pattern: /&&|\|\|/, message: '&& and || pipeline chains are PowerShell 7+' },
  {
    rule: 'attribute-shorthand',
    pattern: /\[Parameter\s*\(\s*(?:Mandatory|ValueFromPipeline\w*)\s*[,)]/i,
    message: '[Parameter(Mandatory)] without =$true is PowerShell 3+; write Mandatory=$true',
  },
  {
    rule: 'dotnet4-api',
    pattern: /::IsNullOrWhiteSpace\s*\(|\[(?:System\.)?Tuple\]/i,
    message: 'a .NET 4 API; PowerShell 2.0 runs on .NET 2.0/3.5',
  },
  {
    rule: 'v3-cmdlets',
    pattern: /\b(?:Get-FileHash|New-TemporaryFile|ConvertFrom-String|Get-Clipboard|Set-Clipboard)\b/i,
    message: 'a cmdlet that does not exist in PowerShell 2.0',
  },
  {
    rule: 'foreach-parallel',
    pattern: /\bForEach-Object\b[^\n|]*-Parallel\b/i,
    message: 'ForEach-Object -Parallel is PowerShell 7+',
  },
  { rule: 'null-operators', pattern: /\?\?|\?\.|\?\[/, message: '??, ?. and ?[ are PowerShell 7+' },
  {
    rule: 'requires',
    pattern: /^#requires\s+-version\s+[3-9]/im,
    message: '#requires -Version 3+ refuses to run on PowerShell 2.0',
  },
  {
    rule: 'culture-replace',
    pattern: /\s-i?replace\b/i,
    message: '-replace is case-insensitive and culture-aware; use -creplace with explicit ASCII classes',
  },
  {
    rule: 'culture-case',
    pattern: /\.To(?:Upper|Lower)\s*\(\s*\)/i,
    message:
      '.ToUpper() / .ToLower() are culture-sensitive (tr-TR); use ToUpperInvariant() / ToLowerInvariant()',
  },
];

/** Blanks comments and the contents of single-quoted strings (and here-strings), keeping line breaks. */
export function blankPowerShell(source: string): string {
  const out = source.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  let i = 0;
  const n = source.length;
  // Stryker disable next-line EqualityOperator: at i = n the character is undefined and the last branch steps past it
  while (i < n) {
    const c = source[i];
    if (c === '<' && source[i + 1] === '#') {
      const end = source.indexOf('#>', i + 2);
      // Stryker disable next-line EqualityOperator: the search starts at i + 2, so end is never 0
      const stop = end < 0 ? n : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === '#') {
      // A comment starts a token; `$#` or `a#b` would not, but this linter only sees rmmkit's code.
      // #requires is kept: it is a directive.
      // Stryker disable next-line Regex: the slice is 9 characters, the length of #requires, so ^ changes nothing
      if (/^#requires\b/i.test(source.slice(i, i + 9))) {
        // Stryker disable next-line EqualityOperator: source[i] is #, so a line feed is found after i > -1, never at 0
        i = source.indexOf('\n', i) < 0 ? n : source.indexOf('\n', i);
        continue;
      }
      const end = source.indexOf('\n', i);
      // Stryker disable next-line EqualityOperator: source[i] is #, so a line feed is found after it, never at 0
      const stop = end < 0 ? n : end;
      blank(i, stop);
      i = stop;
    } else if (c === '@' && source[i + 1] === "'" && source[i + 2] === '\n') {
      const end = source.indexOf("\n'@", i + 3);
      // Stryker disable next-line EqualityOperator: the search starts at i + 3, so end is never 0
      const stop = end < 0 ? n : end + 3;
      // An unclosed here-string runs to the end of the source: blank all of it (no closing '@ to keep).
      // Stryker disable next-line EqualityOperator: the search starts at i + 3, so end is never 0
      blank(i + 2, end < 0 ? n : stop - 2);
      i = stop;
    } else if (c === "'" || c === '\u2018' || c === '\u2019') {
      let j = i + 1;
      while (j < n) {
        if (source[j] === "'" || source[j] === '\u2018' || source[j] === '\u2019') {
          if (source[j + 1] === "'" || source[j + 1] === '\u2018' || source[j + 1] === '\u2019') {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      blank(i + 1, j);
      i = j + 1;
    } else if (c === '"') {
      // Double-quoted strings can hold $(…) code, so only their literal text is blanked roughly:
      // the content up to the closing quote, skipping `" escapes. Subexpressions are rare in rmmkit.
      let j = i + 1;
      while (j < n && source[j] !== '"') j += source[j] === '`' ? 2 : 1;
      if (!source.slice(i, j).includes('$(')) blank(i + 1, j);
      i = j + 1;
    } else {
      i++;
    }
  }
  return out.join('');
}

function lineOf(text: string, index: number): number {
  let line = 1;
  // Stryker disable next-line EqualityOperator: every finding's index is a character that is not a line break, so counting it changes nothing
  for (let k = 0; k < index; k++) if (text.charCodeAt(k) === 10) line++;
  return line;
}

/** Every PowerShell 2.0 problem of `source`, in line order; empty when the script is fine. */
export function lintPs2(source: string): Ps2Finding[] {
  const findings: Ps2Finding[] = [];
  const nonAscii = /[^\x00-\x7f]/g;
  for (let m = nonAscii.exec(source); m; m = nonAscii.exec(source)) {
    findings.push({
      line: lineOf(source, m.index),
      rule: 'ascii',
      message: `non-ASCII character U+${(m[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}; PowerShell 2.0 reads a BOM-less script in the ANSI code page`,
    });
  }
  if (source.startsWith('\ufeff')) findings.push({ line: 1, rule: 'bom', message: 'byte-order mark' });
  const code = blankPowerShell(source);
  for (const r of RULES) {
    const global = new RegExp(
      r.pattern.source,
      r.pattern.flags.includes('g') ? r.pattern.flags : `${r.pattern.flags}g`,
    );
    for (let m = global.exec(code); m; m = global.exec(code)) {
      // Some patterns start with blanks (`\s-replace`, `^\s*using`): the line is that of the first
      // character that is not one, or a rule after a line break would be reported a line early.
      const at = m.index + m[0].length - m[0].trimStart().length;
      findings.push({ line: lineOf(code, at), rule: r.rule, message: r.message });
      // Stryker disable next-line ConditionalExpression,UpdateOperator: no rule matches the empty string, so the guard never fires (`true` is killed by the adjacent-match test)
      if (m[0].length === 0) global.lastIndex++;
    }
  }
  // Get-CimInstance does not exist on PowerShell 2.0: only fine next to a Get-WmiObject fallback.
  const cim = /\bGet-CimInstance\b/gi;
  if (!/\bGet-WmiObject\b/i.test(code)) {
    for (let m = cim.exec(code); m; m = cim.exec(code)) {
      findings.push({
        line: lineOf(code, m.index),
        rule: 'cim-without-wmi',
        message: 'Get-CimInstance is PowerShell 3+ and the script has no Get-WmiObject fallback',
      });
    }
  }
  return findings.sort((a, b) => a.line - b.line);
}
