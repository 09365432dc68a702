// Every lint finding's full text, in report order, for components that break every rule at once;
// and the PNG and body-pattern edges the rule tables did not pin. Messages are written here by hand
// from the rules; a changed word must be a deliberate change (written against mutation survivors).
import assert from 'node:assert/strict';
import type { ComponentDefinition } from '../../lib/component/index.js';
import { inspectPng, lintComponent } from '../../lib/component/lint.js';
import { testComponent } from './helpers.js';

const show = (over: Partial<ComponentDefinition>, installType = 'powershell') =>
  lintComponent(testComponent(over, installType)).map(
    (f) =>
      `${f.severity} ${f.rule} ${f.entry}${f.line ? `:${f.line}` : ''}${f.path ? ` ${f.path}` : ''}: ${f.message}`,
  );

/** A PNG: signature, then chunks (type, data) each with a zero CRC (lint never checks CRCs). */
const png = (chunks: [string, number[]][]) =>
  Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    ...chunks.map(([type, data]) => {
      const b = Buffer.alloc(12 + data.length);
      b.writeUInt32BE(data.length, 0);
      b.write(type, 4, 'latin1');
      Buffer.from(data).copy(b, 8);
      return b;
    }),
  ]);
const ihdr = (w: number, h: number, colorType: number): [string, number[]] => [
  'IHDR',
  [0, 0, w >> 8, w & 255, 0, 0, h >> 8, h & 255, 8, colorType, 0, 0, 0],
];

describe('lint: every message, in report order', () => {
  it('a monitor that breaks every variable, post-condition and body rule', () => {
    assert.deepEqual(
      show(
        {
          general: {
            name: 'Widget',
            category: 'monitors',
            installType: 'unix',
            version: '',
            timeout: '0',
            securityLevel: '0',
          },
          variables: [
            { name: 'a', type: 'map', options: [], defaultVal: '' },
            { name: 'a', type: 'boolean', defaultVal: 'yes', options: [] },
            { idx: 5, type: 'string', options: [{ name: 'x', value: 'y' }] },
            {
              name: 'm',
              type: 'map',
              options: [
                { name: 'One', value: '1' },
                { idx: 2, value: '2' },
              ],
              defaultVal: '1',
            },
            { name: 'u', options: [{ name: 'k', value: 'v' }] },
          ],
          postConditions: [{ consequence: 'fail', resource: 'stdio', text: '', qualifier: 'missing' }],
          body: '\ufeffecho hi\n  reboot\nread x\necho e >&2\n',
          attachments: [{ name: 'x.msi', data: Buffer.from('x') }],
        },
        'unix',
      ),
      [
        'error boolean-default resource.xml variables[1].defaultVal: boolean default "yes"; use true, false or empty',
        'error idx-sequence resource.xml variables[2]: idx is 5; expected 2 (sequential from 0)',
        'error idx-sequence resource.xml variables[3].options[1]: idx is 2; expected 1 (sequential from 0)',
        'error integer-fields resource.xml general.version: version is missing; write an integer',
        'error integer-fields resource.xml general.timeout: timeout is 0; write a positive number of seconds',
        'error integer-fields resource.xml general.securityLevel: securityLevel is 0; allowed 1..5',
        'error map-default resource.xml variables[3].defaultVal: default "1" is not an option name ("One", ""); it is an option value — a map default names the label',
        'error map-options resource.xml variables[0]: map variable "a" has no options',
        'error map-options resource.xml variables[2]: string variable undefined has options; only map variables may',
        'error map-options resource.xml variables[4]: untyped variable "u" has options; only map variables may',
        'warning os-tag resource.xml general.name: name "Widget" does not end with [WIN], [MAC] or [LIN]',
        'warning post-condition resource.xml postConditions[0].resource: resource "stdio"; seen: stdout, stderr, stdout,stderr',
        'warning post-condition resource.xml postConditions[0].consequence: consequence "fail"; seen: warn',
        'warning post-condition resource.xml postConditions[0].qualifier: qualifier "missing"; seen: found',
        'warning post-condition resource.xml postConditions[0].text: a post-condition needs text to look for',
        'error variable-name resource.xml variables[1].name: duplicate variable name "a" (also variables[0])',
        'error variable-name resource.xml variables[2].name: a variable needs a name',
        'error variable-type resource.xml variables[4].type: variable "u" has type ""; allowed: string, boolean, map, date',
        'error monitor-result command.bat: monitor body never prints <-Start Result->',
        'error monitor-result command.bat: monitor body never prints <-End Result->',
        'warning body-bom command.bat:1: the body starts with a UTF-8 byte-order mark',
        'warning unix-shebang command.bat:1: unix body without a shebang on line 1',
        'warning comstore-no-reboot command.bat:2: reboots: reboot',
        'warning comstore-non-interactive command.bat:3: waits for input (the job runs hidden and would hang until its timeout): read x',
        'warning comstore-stderr command.bat:4: writes to stderr; keep it to failure paths: echo e >&2',
        'warning comstore-icon icon.png: no icon.png',
        'error monitor-attachments x.msi: monitors carry no attachments; remove "x.msi"',
      ],
    );
  });

  it('a component missing its general fields', () => {
    assert.deepEqual(
      show({ general: { category: '', installType: '', version: 'x1', securityLevel: '6' }, body: '' }),
      [
        'error general-fields resource.xml general.name: the component has no name',
        'error general-fields resource.xml general.category: category ""; allowed applications, scripts, monitors',
        'error general-fields resource.xml general.installType: installType is missing',
        'error integer-fields resource.xml general.version: version is "x1"; write an integer',
        'error integer-fields resource.xml general.securityLevel: securityLevel is 6; allowed 1..5',
        'warning comstore-icon icon.png: no icon.png',
      ],
    );
    // securityLevel 1 and 5 are the ends of the range; a missing category reads as ""
    const levels = (s: string) =>
      show({
        general: { name: 'n [WIN]', category: 'scripts', installType: 'batch', securityLevel: s },
        body: '',
      });
    assert.deepEqual(levels('5'), ['warning comstore-icon icon.png: no icon.png']);
    assert.deepEqual(levels('1'), ['warning comstore-icon icon.png: no icon.png']);
    assert.ok(
      show({ general: { name: 'n [WIN]', installType: 'batch' }, body: '' })[0]!.endsWith(
        'category ""; allowed applications, scripts, monitors',
      ),
    );
  });

  it('unknown installType, UTF-16 bodies (both orders), a batch body with #!, an opaque icon', () => {
    const icon = png([ihdr(48, 48, 2), ['IEND', []]]);
    assert.deepEqual(
      show({
        general: { name: 'n [WIN]', category: 'scripts', installType: 'cobol' },
        body: Buffer.from([0xff, 0xfe, 0x61, 0]),
        icon,
      }),
      [
        'warning install-type resource.xml general.installType: installType "cobol" is not one rmmkit knows (powershell, unix, batch, vbscript, javascript, python, ruby, groovy)',
        'warning body-utf16 command.bat:1: the body is UTF-16LE (byte-order mark FF FE); Datto writes component bodies as UTF-8 — save it as UTF-8 without a byte-order mark',
        'warning comstore-icon icon.png: icon has no transparency (no alpha channel, no tRNS chunk)',
      ],
    );
    assert.deepEqual(
      show({
        general: { name: 'n [WIN]', category: 'scripts', installType: 'batch' },
        body: Buffer.from([0xfe, 0xff, 0, 0x23, 0, 0x21]),
        icon,
      }),
      [
        'warning batch-shebang command.bat:1: batch body starts with #!; is installType wrong?',
        'warning body-utf16 command.bat:1: the body is UTF-16BE (byte-order mark FE FF); Datto writes component bodies as UTF-8 — save it as UTF-8 without a byte-order mark',
        'warning comstore-icon icon.png: icon has no transparency (no alpha channel, no tRNS chunk)',
      ],
    );
  });
});

describe('lint: inspectPng', () => {
  it('reads size and transparency from the header and the chunks before the image data', () => {
    const ok = (w: number, h: number, transparent: boolean) => ({
      ok: true,
      width: w,
      height: h,
      transparent,
    });
    const cases: [string, Uint8Array | undefined, object][] = [
      ['no icon', undefined, { ok: false, why: 'no icon.png' }],
      ['an empty icon', new Uint8Array(0), { ok: false, why: 'no icon.png' }],
      [
        "Datto's placeholder",
        new Uint8Array([0x9e, 0xe9, 0x65]),
        { ok: false, why: 'icon.png is the 3-byte placeholder Datto writes when no icon was chosen' },
      ],
      [
        'three other bytes',
        new Uint8Array([0x9e, 0xe9, 0x66]),
        { ok: false, why: 'icon.png is not a PNG (3 bytes)' },
      ],
      [
        'the placeholder and more',
        new Uint8Array([0x9e, 0xe9, 0x65, 0]),
        { ok: false, why: 'icon.png is not a PNG (4 bytes)' },
      ],
      [
        'a PNG cut at 32 bytes',
        png([ihdr(48, 48, 6)]).subarray(0, 32),
        { ok: false, why: 'icon.png is not a PNG (32 bytes)' },
      ],
      ['the header alone (33 bytes)', png([ihdr(48, 48, 6)]).subarray(0, 33), ok(48, 48, true)],
      [
        'a wrong last signature byte',
        Buffer.concat([
          Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0b]),
          png([ihdr(1, 1, 6)]).subarray(8),
        ]),
        { ok: false, why: 'icon.png is not a PNG (33 bytes)' },
      ],
      [
        'a wrong first signature byte',
        Buffer.concat([Buffer.from([0x88]), png([ihdr(1, 1, 6)]).subarray(1)]),
        { ok: false, why: 'icon.png is not a PNG (33 bytes)' },
      ],
      ['no IHDR first', png([['IHDX', ihdr(1, 1, 6)[1]]]), { ok: false, why: 'icon.png has no IHDR chunk' }],
      ['grey with alpha', png([ihdr(16, 32, 4)]), ok(16, 32, true)],
      ['RGBA', png([ihdr(300, 2, 6)]), ok(300, 2, true)],
      ['RGB', png([ihdr(48, 48, 2), ['IEND', []]]), ok(48, 48, false)],
      [
        'palette with tRNS after PLTE',
        png([ihdr(48, 48, 3), ['PLTE', [0, 0, 0, 255, 255, 255]], ['tRNS', [0]], ['IEND', []]]),
        ok(48, 48, true),
      ],
      [
        'tRNS after the image data does not count',
        png([ihdr(48, 48, 3), ['IDAT', [1, 2]], ['tRNS', [0]]]),
        ok(48, 48, false),
      ],
      [
        'tRNS after IEND does not count',
        png([ihdr(48, 48, 3), ['IEND', []], ['tRNS', [0]]]),
        ok(48, 48, false),
      ],
      [
        'a tRNS chunk header at the very end',
        png([ihdr(48, 48, 3)]).length
          ? Buffer.concat([png([ihdr(48, 48, 3)]), Buffer.from([0, 0, 0, 0]), Buffer.from('tRNS')])
          : undefined,
        ok(48, 48, true),
      ],
      [
        'a chunk header cut short',
        Buffer.concat([png([ihdr(48, 48, 3)]), Buffer.from([0, 0, 0, 0]), Buffer.from('tRN')]),
        ok(48, 48, false),
      ],
    ];
    for (const [name, bytes, want] of cases) assert.deepEqual(inspectPng(bytes), want, name);
  });
});

describe('lint: body patterns at their edges', () => {
  const lines = (installType: string, body: string, rule: string) =>
    lintComponent(testComponent({ body }, installType))
      .filter((f) => f.rule === rule)
      .map((f) => f.line);
  const REBOOT = 'comstore-no-reboot';
  const PROMPT = 'comstore-non-interactive';
  const cases: [string, string, string, string, number[]][] = [
    ['a flag before shutdown is not its flag', 'powershell', 'echo -r; shutdown /a\n', REBOOT, []],
    ['shutdown -r later on the line', 'powershell', 'shutdown /t 5 /r\n', REBOOT, [1]],
    [
      'shutdown /r with a long tail',
      'powershell',
      'shutdown /r /t 0; Write-Host "done and gone"\n',
      REBOOT,
      [1],
    ],
    [
      'Restart-Computer after text on the line',
      'powershell',
      'if ($x) { Write-Host "a" ; Restart-Computer }\n',
      REBOOT,
      [1],
    ],
    ['shutdown --reboot', 'unix', '#!/bin/sh\nshutdown --reboot now\n', REBOOT, [2]],
    ['wmic os … reboot', 'batch', 'wmic os where primary=1 call reboot\r\n', REBOOT, [1]],
    ['wmic os without reboot', 'batch', 'wmic os get caption\r\n', REBOOT, []],
    ['VBScript shutdown -r', 'vbscript', 'x = 1\nshutdown -r -t 0\n', REBOOT, [2]],
    ['VBScript shutdown -a', 'vbscript', 'shutdown -a\n', REBOOT, []],
    ['read after a redirected command', 'unix', '#!/bin/sh\ncat < f; read y\n', PROMPT, [2]],
    ['read < /dev/tty with a space', 'unix', '#!/bin/sh\nread x < /dev/tty\n', PROMPT, [2]],
    ['read -ru 3 reads a descriptor', 'unix', '#!/bin/sh\nread -ru 3 x\n', PROMPT, []],
    ['an unclosed while read loop', 'unix', '#!/bin/sh\nwhile read x; do\n  :\n', PROMPT, [2]],
    [
      'nested loops: the outer done is redirected',
      'unix',
      '#!/bin/sh\nwhile read x; do\n  for y in a; do :; done\ndone < f\n',
      PROMPT,
      [],
    ],
    [
      'nested loops: the inner done is redirected, not the outer',
      'unix',
      '#!/bin/sh\nwhile read x; do\n  for y in a; do :; done < g\ndone\n',
      PROMPT,
      [2],
    ],
    [
      'a loop before read on the same line is skipped',
      'unix',
      '#!/bin/sh\nfor i in 1; do :; done < f; while read x; do :; done\n',
      PROMPT,
      [2],
    ],
    [
      'two loops, only the first redirected',
      'unix',
      '#!/bin/sh\nwhile read a; do\n:\ndone < f\nwhile read b; do\n:\ndone\n',
      PROMPT,
      [5],
    ],
    [
      'a loop inside another loop, closed and redirected',
      'unix',
      '#!/bin/sh\nfor i in 1 2; do\n  while read x; do :; done < f\ndone\n',
      PROMPT,
      [],
    ],
    [
      'the first done closes the loop, not a later one',
      'unix',
      '#!/bin/sh\nwhile read x; do :; done < f; done\n',
      PROMPT,
      [],
    ],
    ['while read without do', 'unix', '#!/bin/sh\nwhile read x\n', PROMPT, [2]],
    ['a done with no do closes at once', 'unix', '#!/bin/sh\nwhile read x; done < f\n', PROMPT, []],
    ['done then another command', 'unix', '#!/bin/sh\nwhile read x; do :; done; cat < f\n', PROMPT, [2]],
    ['done 0< file', 'unix', '#!/bin/sh\nwhile read x; do :; done 0< f\n', PROMPT, []],
    ['done || is not a pipe', 'unix', '#!/bin/sh\nwhile read x; do :; done || exit\n', PROMPT, [2]],
    ['VBScript read … < /dev/tty', 'vbscript', 'read x < /dev/tty\n', PROMPT, [1]],
    ['VBScript read, then </dev/tty in another command', 'vbscript', 'read x; cat </dev/tty\n', PROMPT, []],
    [
      'VBScript: the second read is the one from the terminal',
      'vbscript',
      'read x; read y </dev/tty\n',
      PROMPT,
      [1],
    ],
    ['set /p after a pipe earlier, then &', 'batch', 'a | b & set /p x=\r\n', PROMPT, [1]],
    ['set /p after a|b&', 'batch', 'a|b&set /p x=\r\n', PROMPT, [1]],
    ['set /p fed by a pipe at the line start', 'batch', '|set /p x=\r\n', PROMPT, []],
  ];
  for (const [name, type, body, rule, want] of cases)
    it(name, () => {
      assert.deepEqual(lines(type, body, rule), want);
    });
});
