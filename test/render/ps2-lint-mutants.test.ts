// PowerShell 2.0 lint details (lib/render/ps2-lint.ts): findings whose pattern starts with blanks
// name the line of the construct itself, and an unclosed here-string after code blanks to the end.
import assert from 'node:assert/strict';
import { lintPs2 } from '../../lib/render/ps2-lint.js';

const lines = (source: string) => lintPs2(source).map((f) => [f.line, f.rule]);

describe('PowerShell 2.0 lint: line numbers and here-strings', () => {
  it('names the line of an operator continued after a line break, not the line before', () => {
    assert.deepEqual(lines("$a = 1\n$b = $c `\n-replace 'x', 'y'\n"), [[3, 'culture-replace']]);
    assert.deepEqual(lines('$a = 1\n$b = 4 `\n-shl 1\n'), [[3, 'shift']]);
    assert.deepEqual(lines('$a = 1\n$b = 4 `\n\t-in $c\n'), [[3, 'in-operator']]);
  });

  it('names the line of a using or class statement after blank lines and a comment', () => {
    assert.deepEqual(lines('# header\n\n\nusing namespace System\n'), [[4, 'using']]);
    assert.deepEqual(lines('\n  \nclass Foo {}\n'), [[3, 'class']]);
  });

  it('an unclosed here-string after code runs to the end: nothing in it is code', () => {
    assert.deepEqual(lines("$x = 1\n$y = @'\nGet-FileHash a\n$PSItem\n"), []);
    assert.deepEqual(lines("$x = [ordered]@{}\n$y = @'\nGet-FileHash a\n"), [[1, 'ordered']]);
  });
});
