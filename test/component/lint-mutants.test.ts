// Component lint cases written against the mutants that survived the unit tests (lib/component/lint.ts).
// Each expected value comes from the lexer's documented rules (comments to spaces, string contents to
// `_` with the quotes kept, here-documents blanked as text, `$((…<<…))` arithmetic), from sh itself
// (what a `while read` loop reads), or from the message formats of the rules, written here by hand.
import assert from 'node:assert/strict';
import type { ComponentDefinition } from '../../lib/component/index.js';
import { blankCode, inspectPng, lintComponent, viewBody } from '../../lib/component/lint.js';
import { testComponent } from './helpers.js';

// [name, language, input lines, expected lines]
const lexer: [string, 'powershell' | 'sh' | 'batch', string[], string[]][] = [
  ['batch: @rem with no blank after the @ is a comment line', 'batch', ['@rem pause x'], ['            ']],
  [
    "sh: a here-document opened before a '…' string on its line starts on the next line",
    'sh',
    ["cat <<EOF 'a'", 'b', 'EOF', 'c'],
    ["cat <<EOF '_'", '_', 'EOF', 'c'],
  ],
  [
    'sh: a here-document opened before a "…" string on its line starts on the next line',
    'sh',
    ['cat <<EOF "a"', 'b', 'EOF', 'c'],
    ['cat <<EOF "_"', '_', 'EOF', 'c'],
  ],
  [
    'sh: a here-document waits for a string that runs onto the next line',
    'sh',
    ['cat <<EOF "a', 'b"', 'c', 'EOF', 'd'],
    ['cat <<EOF "_', '_"', '_', 'EOF', 'd'],
  ],
  ['PowerShell: < alone opens no block comment', 'powershell', ['a <b # c'], ['a <b    ']],
  [
    'PowerShell: a string opened at the end of a line is no here-string',
    'powershell',
    ['$a = "', 'b" c'],
    ['$a = "', '_" c'],
  ],
  [
    'PowerShell: @( at the end of a line opens no here-string',
    'powershell',
    ['$a = @(', '"b"', ')'],
    ['$a = @(', '"_"', ')'],
  ],
  ['batch: @" at the end of a line is a quote, not a here-string', 'batch', ['echo @"  '], ['echo @"__']],
  [
    'sh: @" at the end of a line is a quote, not a here-string',
    'sh',
    ['echo @"', 'x" y'],
    ['echo @"', '_" y'],
  ],
  ['batch: << is no here-document', 'batch', ['type <<EOF', 'pause'], ['type <<EOF', 'pause']],
  ['PowerShell: << is no here-document', 'powershell', ['a <<EOF', "'b'"], ['a <<EOF', "'_'"]],
  ['sh: a single < is a redirection, not half a here-document', 'sh', ['cat <"f" x'], ['cat <"_" x']],
  [
    'sh: << inside (( )) at the start of the line is arithmetic',
    'sh',
    ['((y = 1 << n))', "it's"],
    ['((y = 1 << n))', "it'_"],
  ],
  ['sh: << right after $(( is arithmetic', 'sh', ['x=$((<<n))', "it's"], ['x=$((<<n))', "it'_"]],
  [
    'sh: (( later on the line does not turn an earlier << into arithmetic',
    'sh',
    ['cat <<EOF; echo $((1))', 'x', 'EOF', 'y'],
    ['cat <<EOF; echo $((1))', '_', 'EOF', 'y'],
  ],
  ['sh: a backtick is command substitution, not an escape', 'sh', ['a=`pwd`'], ['a=`pwd`']],
  ['PowerShell: a backslash is no escape', 'powershell', ['dir C:\\Temp'], ['dir C:\\Temp']],
  ['batch: a backslash is no escape', 'batch', ['dir C:\\Temp'], ['dir C:\\Temp']],
  ['sh: && rem is a command, not a comment', 'sh', ['a && rem x'], ['a && rem x']],
  ['PowerShell: | rem is a command, not a comment', 'powershell', ['a | rem x'], ['a | rem x']],
  ['batch: || rem starts a comment', 'batch', ['a || rem b'], ['a |       ']],
  ['sh: ^ is no escape', 'sh', ['echo ^"a b"'], ['echo ^"___"']],
  ['PowerShell: ^ is no escape', 'powershell', ['echo ^"a b"'], ['echo ^"___"']],
  // bash reads `\<` as a quoted <, then `<<<EOF` as a here-string: no here-document follows.
  ['sh: an escaped < before <<< leaves a here-string', 'sh', ['cat \\<<<EOF', 'x'], ['cat \\_<<EOF', 'x']],
];

describe('lint lexer: cases from mutation survivors', () => {
  for (const [name, lang, input, expected] of lexer)
    it(name, () => {
      assert.deepEqual(blankCode(input, lang), expected);
    });

  it('a language without a lexer blanks a #! line only as line 1', () => {
    const v = viewBody(testComponent({ body: 'x = 1\n#!shutdown /r\n' }, 'vbscript'));
    assert.deepEqual(v.code, ['x = 1', '#!shutdown /r', '']);
  });
});

/** Lines of the body the prompt rule reports. */
const prompts = (installType: string, body: string) =>
  lintComponent(testComponent({ body }, installType))
    .filter((f) => f.rule === 'comstore-non-interactive')
    .map((f) => f.line);

describe('lint: which `done` closes a `while read` loop', () => {
  // [name, body, body lines (from 1) that wait for input]: a loop reads the terminal unless its `done` is redirected.
  const cases: [string, string, number[]][] = [
    ['`echo done` in the body is an argument, not the end', 'while read x; do\n  echo done\ndone < f\n', []],
    ['`done` as an argument in the condition', 'while read x && [ $x != done ]; do :; done < f\n', []],
    ['`echo done` in the body of a loop reading the terminal', 'while read x; do\n  echo done\ndone\n', [1]],
    ['do and done on lines of their own', 'while read x\ndo\n  :\ndone < f\n', []],
    [';do and ;done with no blank', 'while read x;do :;done < f\n', []],
    ['a command named done-it is not done', 'while read x; do :; done-it; done < f\n', []],
    [
      'a nested loop after an earlier loop: the outer done is the one',
      'for i in 1; do :; done\nwhile read a; do\n  for x in 1 2; do :; done\ndone < f\n',
      [],
    ],
    [
      'the inner loop is redirected, the outer one is not',
      'while read a; do\n  while read b; do :; done < f\ndone\n',
      [1],
    ],
    [
      'an earlier loop with its done redirected, then a loop never closed',
      'for i in 1; do :; done < f\nwhile read x; do\n',
      [2],
    ],
    [
      'an earlier loop with its done redirected, then while read with no do or done after it',
      'for i in 1; do :; done < f\nwhile read x\n',
      [2],
    ],
  ];
  for (const [name, body, want] of cases)
    it(name, () => {
      // line 1 is the shebang, so body line n is reported as n + 1
      assert.deepEqual(
        prompts('unix', `#!/bin/sh\n${body}`),
        want.map((n) => n + 1),
      );
    });

  it('a language without a lexer: /dev/tty before read on the line is another command', () => {
    assert.deepEqual(prompts('vbscript', 'exec 3< /dev/tty && read x < answers.txt\n'), []);
    assert.deepEqual(prompts('vbscript', 'exec 3< /dev/tty && read x < /dev/tty\n'), [1]);
  });
});

describe('lint: rule edges from mutation survivors', () => {
  it('only the exact 3-byte Datto placeholder is called one', () => {
    assert.deepEqual(inspectPng(Uint8Array.of(0x9e, 0xe9, 0x65, 0)), {
      ok: false,
      why: 'icon.png is not a PNG (4 bytes)',
    });
    for (const bytes of [
      [0, 0xe9, 0x65],
      [0x9e, 0, 0x65],
      [0x9e, 0xe9, 0],
    ])
      assert.deepEqual(inspectPng(Uint8Array.from(bytes)), {
        ok: false,
        why: 'icon.png is not a PNG (3 bytes)',
      });
  });

  const findings = (c: ReturnType<typeof testComponent>, rule: string) =>
    lintComponent(c)
      .filter((f) => f.rule === rule)
      .map((f) => `${f.path}: ${f.message}`);

  it('a variable with neither name nor a known type is named "" in the message', () => {
    const c = testComponent({
      variables: [{ type: 'strng' } as NonNullable<ComponentDefinition['variables']>[number]],
    });
    assert.deepEqual(findings(c, 'variable-type'), [
      'variables[0].type: variable "" has type "strng"; allowed: string, boolean, map, date',
    ]);
  });

  it('a missing version is reported as missing; version 0 is an integer', () => {
    const c = testComponent();
    delete c.general.version;
    assert.deepEqual(findings(c, 'integer-fields'), [
      'general.version: version is missing; write an integer',
    ]);
    assert.deepEqual(
      findings(testComponent({ general: { ...c.general, version: '0' } }), 'integer-fields'),
      [],
    );
  });

  it('a post-condition with no resource, consequence or qualifier', () => {
    const c = testComponent({ postConditions: [{ text: 'x' }] });
    assert.deepEqual(findings(c, 'post-condition'), [
      'postConditions[0].resource: resource ""; seen: stdout, stderr, stdout,stderr',
      'postConditions[0].consequence: consequence ""; seen: warn',
      'postConditions[0].qualifier: qualifier ""; seen: found',
    ]);
  });

  it('findings come resource.xml first, then command.bat, then other entries', () => {
    const c = testComponent({
      general: {
        name: 'Widget [WIN]',
        category: 'monitors',
        version: '1',
        timeout: '0',
        securityLevel: '1',
        installType: 'powershell',
      },
      body: 'Write-Host x',
      attachments: [{ name: 'a.exe', data: Uint8Array.of(1) }],
    });
    const entries = lintComponent(c)
      .filter((f) => f.entry !== 'icon.png')
      .map((f) => `${f.entry} ${f.rule}`);
    assert.deepEqual(entries, [
      'resource.xml integer-fields',
      'command.bat monitor-result',
      'command.bat monitor-result',
      'a.exe monitor-attachments',
    ]);
  });
});
