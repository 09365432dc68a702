// Tests of blankPowerShell (lib/render/ps2-lint.ts), the pre-pass of the PowerShell 2.0 lint that
// blanks comments and string contents, and of the lint's messages, order and edge cases.
// Every expected text is written out by hand: same length as the input, line feeds kept, the
// blanked characters (and only those) turned into spaces.
import assert from 'node:assert/strict';
import { blankPowerShell, lintPs2 } from '../../lib/render/ps2-lint.js';

describe('blankPowerShell', () => {
  const cases: [string, string, string][] = [
    ['a block comment, line feeds kept', 'a <# x\ny #> b', 'a     \n     b'],
    ['code right after a block comment stays', '<#x#>b', '     b'],
    ['an unclosed block comment runs to the end', 'a <# x', 'a     '],
    ['a lone < is code', 'a < b # c', 'a < b    '],
    ['a line comment ends at the line feed', 'a # x\nb', 'a    \nb'],
    ['a line comment at the end of the text', 'a # x', 'a    '],
    ['#requires is a directive, kept', '#requires -Version 2.0\n# c', '#requires -Version 2.0\n   '],
    [
      '#requires last, without a line feed',
      '$x = 1\n#requires -Version 2.0',
      '$x = 1\n#requires -Version 2.0',
    ],
    [
      '#requires after other lines, then a comment',
      '$x = 1\n$y = 2\n#requires -V 3\n# z',
      '$x = 1\n$y = 2\n#requires -V 3\n   ',
    ],
    ["a here-string's lines", "@'\nabc\n'@\nx", "@'\n   \n'@\nx"],
    [
      'an unclosed here-string runs to the end, its last characters too',
      "@'\nabc\nGet-Xy",
      "@'\n   \n      ",
    ],
    ['a here-string holding a quote and #', "@'\nit's # x\n'@\n# y", "@'\n        \n'@\n   "],
    ['a single-quoted string', "a 'xy' b", "a '  ' b"],
    ["'' inside a string", "a 'x''y' b", "a '    ' b"],
    ["'‘ inside a string", "'a'\u2018b' c", "'    ' c"],
    ["'’ inside a string", "'a'\u2019b' c", "'    ' c"],
    ['a string opened by ‘', '\u2018ab\u2019 c', '\u2018  \u2019 c'],
    ['a string opened by ’', "\u2019ab' c", "\u2019  ' c"],
    ['an unclosed single-quoted string', "'abc", "'   "],
    ['a double-quoted string', '"abc" x', '"   " x'],
    ['a `" escape inside a double-quoted string', '"a`"b" x', '"    " x'],
    ['a double-quoted string with $( is kept', '"$(Get-Date) x" y', '"$(Get-Date) x" y'],
    ['$( after a double-quoted string does not keep it', '"abc" $(x)', '"   " $(x)'],
    ['an unclosed double-quoted string', '"abc', '"   '],
    ['<#> opens a comment; its # does not close it', '<#> [ordered] #>b', '                b'],
    ['a quote before a line feed is a string, not a here-string', "$s = '\nx'", "$s = '\n '"],
    ['@ before a line feed is no here-string opener', "@x\n'abc'", "@x\n'   '"],
    ["@' without a line feed is no here-string opener", "@'abc'", "@'   '"],
    ['a here-string right after another', "@'\na\n'@@'\nb\n'@", "@'\n \n'@@'\n \n'@"],
    ['a string closed by ‘', '\u2018ab\u2018 c', '\u2018  \u2018 c'],
    ['two strings on one line', '\'a\' + "b" # c', '\' \' + " "    '],
  ];
  for (const [name, source, want] of cases) {
    it(name, () => {
      const got = blankPowerShell(source);
      assert.equal(got, want);
      assert.equal(got.length, source.length);
    });
  }
});

describe('lintPs2 details', () => {
  it('names a non-ASCII character by its upper-case code point', () => {
    assert.deepEqual(lintPs2("$x = 1\n$s = 'M\u00fcller'\n"), [
      {
        line: 2,
        rule: 'ascii',
        message: 'non-ASCII character U+00FC; PowerShell 2.0 reads a BOM-less script in the ANSI code page',
      },
    ]);
  });

  it('finds a byte-order mark at the start only', () => {
    const found = lintPs2('\ufeff$x = 1\n');
    assert.deepEqual(
      found.map((f) => [f.line, f.rule, f.rule === 'bom' ? f.message : '']),
      [
        [1, 'ascii', ''],
        [1, 'bom', 'byte-order mark'],
      ],
    );
    assert.deepEqual(
      lintPs2('$x = 1 # \ufeff').map((f) => f.rule),
      ['ascii'],
    );
  });

  it('reports findings in line order, whatever the rule order', () => {
    // pipeline-chain comes late in the rule list, ordered first, culture-case last.
    const found = lintPs2('a && b\n$h = $t.ToLower()\n$o = [ordered]@{}\n');
    assert.deepEqual(
      found.map((f) => [f.line, f.rule]),
      [
        [1, 'pipeline-chain'],
        [2, 'culture-case'],
        [3, 'ordered'],
      ],
    );
  });

  it('finds two adjacent matches of one rule', () => {
    assert.deepEqual(
      lintPs2('a&&&&b').map((f) => [f.line, f.rule]),
      [
        [1, 'pipeline-chain'],
        [1, 'pipeline-chain'],
      ],
    );
  });

  it('finds code on the line after a here-string and after an unclosed comment line', () => {
    assert.deepEqual(
      lintPs2("$a = @'\n[ordered]\n'@\n$b = [ordered]@{}\n").map((f) => [f.line, f.rule]),
      [[4, 'ordered']],
    );
    assert.deepEqual(
      lintPs2('$a = 1 <# x #> ; $b = [ordered]@{}').map((f) => [f.line, f.rule]),
      [[1, 'ordered']],
    );
  });

  it('explains a Get-CimInstance without fallback', () => {
    assert.deepEqual(lintPs2('$x = 1\nGet-CimInstance Win32_BIOS\n'), [
      {
        line: 2,
        rule: 'cim-without-wmi',
        message: 'Get-CimInstance is PowerShell 3+ and the script has no Get-WmiObject fallback',
      },
    ]);
  });
});
