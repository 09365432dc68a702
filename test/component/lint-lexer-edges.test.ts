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
});
