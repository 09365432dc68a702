// The lint lexer (blankCode) and body decoding, case by case: comments become spaces, string contents
// `_` (quotes kept), so columns and lines still match. Expected lines are written by hand from those
// rules. Written against mutation-test survivors: each case pins one branch of the lexer.
import assert from 'node:assert/strict';
import { blankCode, viewBody } from '../../lib/component/lint.js';
import { testComponent } from './helpers.js';

// [name, language, input lines, expected lines]
const cases: [string, 'powershell' | 'sh' | 'batch', string[], string[]][] = [
  ['PS comment at a word start', 'powershell', ['a # c'], ['a    ']],
  ['PS # inside a word is code', 'powershell', ['a#b'], ['a#b']],
  ['PS block comment on one line', 'powershell', ['x <# c #> y'], ['x         y']],
  ['PS block comment over lines', 'powershell', ['x <# a', 'b #> y'], ['x     ', '     y']],
  ['PS single quotes with a doubled quote', 'powershell', ["'it''s' x"], ["'_____' x"]],
  ['PS double quotes with a doubled quote', 'powershell', ['"a""b" x'], ['"____" x']],
  ['PS backtick escape in double quotes', 'powershell', ['"a`"b" x'], ['"____" x']],
  ['PS backtick escape outside quotes', 'powershell', ['a`#b'], ['a`_b']],
  [
    'PS here-string',
    'powershell',
    ['$x = @"', 'Restart "x"', '"@', 'y'],
    ['$x = @"', '___________', '"@', 'y'],
  ],
  [
    'PS single-quoted here-string',
    'powershell',
    ["$x = @'", "it's", "'@ ", 'y'],
    ["$x = @'", '____', "'@ ", 'y'],
  ],
  ['PS here-string closer must start the line', 'powershell', ['@"', ' "@', '"@'], ['@"', '___', '"@']],
  ['PS @" with more on the line is a plain string', 'powershell', ['@"x" y'], ['@"_" y']],
  ['PS string over two lines', 'powershell', ['"a', 'b" c'], ['"_', '_" c']],
  ['sh quotes and a comment', 'sh', [`echo 'a b' "c d" # x`], [`echo '___' "___"    `]],
  ['sh backslash escape', 'sh', ['a\\#b \\"'], ['a\\_b \\_']],
  ['sh escaped quote in double quotes', 'sh', ['"a\\"b" x'], ['"____" x']],
  ["sh '' has no escape", 'sh', ["'a\\' b"], ["'__' b"]],
  ['sh here-document', 'sh', ['cat <<EOF', "don't", 'EOF', 'x'], ['cat <<EOF', '_____', 'EOF', 'x']],
  [
    'sh here-document with a quoted word',
    'sh',
    ["cat <<'END'", 'a "b', 'END', 'x'],
    ["cat <<'END'", '____', 'END', 'x'],
  ],
  [
    'sh <<- ends at a tab-indented word',
    'sh',
    ['cat <<-EOF', 'a', '\t\tEOF', 'x'],
    ['cat <<-EOF', '_', '\t\tEOF', 'x'],
  ],
  [
    'sh << (no dash) does not strip tabs',
    'sh',
    ['cat <<EOF', '\tEOF', 'EOF', 'x'],
    ['cat <<EOF', '____', 'EOF', 'x'],
  ],
  [
    'sh two here-documents on one line',
    'sh',
    ['cat <<A <<B', 'a', 'A', 'b', 'B', 'x'],
    ['cat <<A <<B', '_', 'A', '_', 'B', 'x'],
  ],
  ['sh arithmetic shift is no here-document', 'sh', ['x=$((1 << n))', "it's"], ['x=$((1 << n))', "it'_"]],
  ['sh here-string <<< is no here-document', 'sh', ['read x <<< "a"', 'y'], ['read x <<< "_"', 'y']],
  ['sh shebang on line 1 only', 'sh', ['#!/bin/sh', 'a', '#!x'], ['         ', 'a', '   ']],
  ['sh # after ; starts a comment', 'sh', ['a;# b'], ['a;   ']],
  ['sh # after ( or | starts a comment', 'sh', ['(#a', '|#b'], ['(  ', '|  ']],
  [
    'batch REM, @rem, :: and labels',
    'batch',
    ['REM x', '  @ rem y', ':: z', ':label', 'remark'],
    ['     ', '         ', '    ', '      ', 'remark'],
  ],
  ['batch & rem after a string', 'batch', ['echo "a & b" & rem c'], ['echo "_____" &      ']],
  ['batch && rem and (rem', 'batch', ['a && rem b', 'x (rem y'], ['a &       ', 'x (     ']],
  ['batch & remark is not rem', 'batch', ['a & remark'], ['a & remark']],
  ['batch quotes end at the line end', 'batch', ['echo "a', 'pause'], ['echo "_', 'pause']],
  ['batch caret escape', 'batch', ['a ^& b ^"'], ['a ^_ b ^_']],
  ["batch ' is not a quote, # not a comment", 'batch', ["echo 'a' # b"], ["echo 'a' # b"]],
];

describe('lint lexer: blankCode', () => {
  for (const [name, lang, input, expected] of cases)
    it(name, () => {
      const out = blankCode(input, lang);
      assert.deepEqual(out, expected);
      assert.deepEqual(
        out.map((l) => l.length),
        input.map((l) => l.length),
        'columns are kept',
      );
    });
  it('leaves other languages to the comment-line pass', () => {
    const lines = ["' x", 'y'];
    assert.equal(blankCode(lines, 'other'), lines);
  });
});

describe('lint: body decoding and languages', () => {
  const view = (body: Uint8Array | string, installType: string) =>
    viewBody(testComponent({ body: typeof body === 'string' ? Buffer.from(body) : body }, installType));

  it('blanks whole comment lines of the languages without a lexer', () => {
    assert.deepEqual(view("#!/usr/bin/env x\n' note\n  rem x\nREMARK\nshutdown /r", 'vbscript').code, [
      '',
      '',
      '',
      'REMARK',
      'shutdown /r',
    ]);
    assert.deepEqual(view('# a\n  // b\nc # d', 'python').code, ['', '', 'c # d']);
    assert.deepEqual(view("rem a\n:: b\n' c", 'BATCHX').code, ['rem a', ':: b', "' c"]);
    assert.equal(view('x', 'vbscript').lang, 'other');
    assert.equal(view('#!/bin/sh\nx', 'vbscript').lang, 'other');
  });

  it('reads an unknown installType with a shebang as sh, and the known ones by name (any case)', () => {
    assert.equal(view('#!/bin/sh\nx', 'zsh').lang, 'sh');
    assert.equal(view('x', 'zsh').lang, 'other');
    assert.equal(view('x', 'PowerShell').lang, 'powershell');
    assert.equal(view('x', 'Unix').lang, 'sh');
    assert.equal(view('x', 'BATCH').lang, 'batch');
  });

  it('decodes UTF-16 by its byte-order mark, and a UTF-8 BOM, and nothing shorter', () => {
    const le = view(Buffer.from([0xff, 0xfe, 0x61, 0, 0x0a, 0, 0x62, 0]), 'powershell');
    assert.deepEqual([le.utf16, le.text, le.bom, le.lines], ['LE', 'a\nb', false, ['a', 'b']]);
    const be = view(Buffer.from([0xfe, 0xff, 0, 0x61, 0, 0x62, 0x63]), 'powershell');
    assert.deepEqual([be.utf16, be.text], ['BE', 'ab']);
    const bom = view(Buffer.from([0xef, 0xbb, 0xbf, 0x78]), 'powershell');
    assert.deepEqual([bom.bom, bom.text, 'utf16' in bom], [true, 'x', false]);
    for (const bytes of [
      [0xff],
      [0xfe],
      [0xef, 0xbb],
      [0xff, 0xff],
      [0xfe, 0xfe],
      [0xef, 0xbb, 0xbe],
      [0xee, 0xbb, 0xbf],
      [0xef, 0xba, 0xbf],
    ]) {
      const v = view(Buffer.from(bytes), 'powershell');
      assert.deepEqual([v.bom, 'utf16' in v], [false, false], bytes.join(' '));
    }
    assert.equal(view(Buffer.from([0xfe, 0xff]), 'powershell').utf16, 'BE');
    assert.equal(view(Buffer.from([0xff, 0xfe]), 'powershell').utf16, 'LE');
  });

  it('splits lines on CRLF, LF and CR alike', () => {
    assert.deepEqual(view('a\r\nb\nc\rd', 'powershell').lines, ['a', 'b', 'c', 'd']);
  });
});
