// Edges of the comment/string lexer of the component lint (blankCode in lib/component/lint.ts),
// checked against its documented rules: comments become spaces, string contents become _ with the
// quotes kept, <<- strips leading tabs only, a here-string opener must end its line, batch
// `& rem` comments anywhere on a line, and `$((…<<…))` is arithmetic, not a here-document.
import assert from 'node:assert/strict';
import { blankCode } from '../../lib/component/lint.js';

describe('lint lexer edges', () => {
  it('sh <<-: only leading tabs are stripped before the delimiter', () => {
    assert.deepEqual(blankCode(['cat <<-EOF', 'a', 'EOF\t', 'b', '\tEOF', 'echo x'], 'sh').slice(1), [
      '_',
      '____',
      '_',
      '\tEOF',
      'echo x',
    ]);
  });

  it('PowerShell: @ followed by a quoted word is no here-string, even after indentation', () => {
    assert.deepEqual(blankCode(["    $s = @'x'", 'Get-Item'], 'powershell'), ["    $s = @'_'", 'Get-Item']);
  });

  it('batch: & rem starts a comment at any position of the line', () => {
    assert.deepEqual(blankCode(['abc&rem x', 'ab&rem x'], 'batch'), ['abc&     ', 'ab&     ']);
  });

  it('batch: a string ends at the end of its line', () => {
    assert.deepEqual(blankCode(['echo "a b', 'echo x'], 'batch'), ['echo "___', 'echo x']);
  });

  it("PowerShell: '' inside a string, a line comment, a block comment over two lines", () => {
    assert.deepEqual(blankCode(["$a = 'it''s' # c", '<# x', 'y #> z'], 'powershell'), [
      "$a = '_____'    ",
      '    ',
      '     z',
    ]);
  });

  it('sh: \\" inside a double-quoted string, # comments, and << inside $(( ))', () => {
    assert.deepEqual(blankCode(['echo "a\\"b" \'c\' # d', 'x=$((1<<2)) # e'], 'sh'), [
      'echo "____" \'_\'    ',
      'x=$((1<<2))    ',
    ]);
  });

  // Each rule belongs to one language only: the same text in another language is left alone.
  const cases: [string, string, string[], string[]][] = [
    [
      'PowerShell: a lone # or > inside a block comment does not end it',
      'powershell',
      ['<# a > b # c', 'd #> e'],
      ['            ', '     e'],
    ],
    ["sh: '' closes and reopens a single-quoted string", 'sh', ["x='a''b'"], ["x='_''_'"]],
    ['sh: a backtick does not escape " in a string', 'sh', ['echo "a`" b'], ['echo "__" b']],
    [
      'PowerShell: a backslash does not escape " in a string',
      'powershell',
      ['$x = "a\\" b'],
      ['$x = "__" b'],
    ],
    ['sh: "" closes and reopens a double-quoted string', 'sh', ['x="a""b"'], ['x="_""_"']],
    ['batch: <# is no comment', 'batch', ['echo <# x'], ['echo <# x']],
    ["batch: @' is no here-string", 'batch', ["echo @'", 'echo x', "'@"], ["echo @'", 'echo x', "'@"]],
    [
      "PowerShell: @' with text after it is a quote, not a here-string",
      'powershell',
      ["$s = @'x", 'y'],
      ["$s = @'_", '_'],
    ],
    ['sh: <<< is a here-string, not a here-document', 'sh', ['cat <<< "x"', 'y'], ['cat <<< "_"', 'y']],
  ];
  for (const [name, lang, lines, want] of cases) {
    it(name, () => assert.deepEqual(blankCode(lines, lang as 'sh'), want));
  }
});
