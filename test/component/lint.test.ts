// Tests of lib/component/lint: each rule fires where it should, with its location, and stays quiet
// on clean components; rules are listable data.
import assert from 'node:assert/strict';
import { readCpt } from '../../lib/component/cpt.js';
import type { ComponentDefinition } from '../../lib/component/index.js';
import { inspectPng, LINT_RULES, lintComponent } from '../../lib/component/lint.js';
import { fixture, testComponent } from './helpers.js';

// A 48×48 RGBA PNG header is all the icon rule reads.
function pngHeader(w: number, h: number, colorType: number, trns = false): Uint8Array {
  const b = Buffer.alloc(33 + (trns ? 12 : 0) + 12);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(w, 16);
  b.writeUInt32BE(h, 20);
  b[24] = 8;
  b[25] = colorType;
  let p = 33;
  if (trns) {
    b.write('tRNS', p + 4, 'latin1');
    p += 12;
  }
  b.write('IEND', p + 4, 'latin1');
  return b;
}

const base = (over: Partial<ComponentDefinition> = {}) =>
  testComponent({ body: "Write-Host 'ok'\n", icon: pngHeader(48, 48, 6), ...over });

const found = (d: Partial<ComponentDefinition>) =>
  lintComponent(base(d)).map(
    (f) => `${f.rule} ${f.entry}${f.line ? `:${f.line}` : ''}${f.path ? ` ${f.path}` : ''}`,
  );

describe('lintComponent', () => {
  it('is quiet on a clean component', () => {
    assert.deepEqual(found({}), []);
  });

  const cases: [string, Partial<ComponentDefinition>, string[]][] = [
    [
      'idx not sequential',
      {
        variables: [{ idx: 1, name: 'a', type: 'string' }],
        postConditions: [{ idx: 3, consequence: 'warn', resource: 'stdout', text: 'x', qualifier: 'found' }],
      },
      ['idx-sequence resource.xml variables[0]', 'idx-sequence resource.xml postConditions[0]'],
    ],
    [
      'duplicate and missing variable names',
      { variables: [{ name: 'a', type: 'string' }, { name: 'a', type: 'string' }, { type: 'string' }] },
      ['variable-name resource.xml variables[1].name', 'variable-name resource.xml variables[2].name'],
    ],
    [
      'map without options, options without map',
      {
        variables: [
          { name: 'm', type: 'map' },
          { name: 's', type: 'string', options: [{ name: 'x', value: 'y' }] },
        ],
      },
      ['map-options resource.xml variables[0]', 'map-options resource.xml variables[1]'],
    ],
    [
      'map default naming a value instead of a label',
      {
        variables: [
          { name: 'm', type: 'map', defaultVal: 'fast', options: [{ name: 'Fast', value: 'fast' }] },
        ],
      },
      ['map-default resource.xml variables[0].defaultVal'],
    ],
    [
      'boolean default yes',
      { variables: [{ name: 'b', type: 'boolean', defaultVal: 'yes' }] },
      ['boolean-default resource.xml variables[0].defaultVal'],
    ],
    [
      'non-integer fields',
      {
        general: {
          name: 'x [WIN]',
          category: 'scripts',
          installType: 'powershell',
          version: '1.0',
          timeout: '10m',
          securityLevel: '9',
        },
      },
      [
        'integer-fields resource.xml general.securityLevel',
        'integer-fields resource.xml general.timeout',
        'integer-fields resource.xml general.version',
      ],
    ],
    [
      'missing OS tag and unknown category',
      {
        general: {
          name: 'Widget',
          category: 'tools',
          installType: 'powershell',
          version: '1',
          timeout: '1',
          securityLevel: '1',
        },
      },
      ['general-fields resource.xml general.category', 'os-tag resource.xml general.name'],
    ],
    ['a BOM in the body', { body: '\ufeffWrite-Host 1' }, ['body-bom command.bat:1']],
    [
      'unix without shebang',
      {
        general: {
          name: 'x [LIN]',
          category: 'scripts',
          installType: 'unix',
          version: '1',
          timeout: '1',
          securityLevel: '1',
        },
        body: 'echo hi\n',
      },
      ['unix-shebang command.bat:1'],
    ],
    [
      'batch with a shebang',
      {
        general: {
          name: 'x [WIN]',
          category: 'scripts',
          installType: 'batch',
          version: '1',
          timeout: '1',
          securityLevel: '1',
        },
        body: '#!/bin/sh\necho\n',
      },
      ['batch-shebang command.bat:1'],
    ],
    [
      'a monitor with an attachment and no result markers',
      {
        general: {
          name: 'm [WIN]',
          category: 'monitors',
          installType: 'powershell',
          version: '1',
          timeout: '1',
          securityLevel: '1',
        },
        attachments: [{ name: 'tool.exe', data: Buffer.from('x') }],
      },
      ['monitor-result command.bat', 'monitor-result command.bat', 'monitor-attachments tool.exe'],
    ],
    [
      'reboots, prompts and stderr, each on its line; comments ignored',
      {
        body: [
          '# Restart-Computer is mentioned in a comment only',
          'Restart-Computer -Force',
          'shutdown /r /t 0',
          '$k = Read-Host "key"',
          'Get-Credential',
          'Write-Error "bad"',
          '[Console]::Error.WriteLine("x")',
          "Write-Host 'fine'",
        ].join('\r\n'),
      },
      [
        'comstore-no-reboot command.bat:2',
        'comstore-no-reboot command.bat:3',
        'comstore-non-interactive command.bat:4',
        'comstore-non-interactive command.bat:5',
        'comstore-stderr command.bat:6',
        'comstore-stderr command.bat:7',
      ],
    ],
    [
      'sh reboot, read from the terminal, >&2',
      {
        general: {
          name: 'x [LIN]',
          category: 'scripts',
          installType: 'unix',
          version: '1',
          timeout: '1',
          securityLevel: '1',
        },
        body: '#!/bin/sh\nread -p "go?" a\nread b </dev/tty\nwhile read line; do :; done < list.txt\necho oops >&2\nsudo reboot\nshutdown -r now\n',
      },
      [
        'comstore-non-interactive command.bat:2',
        'comstore-non-interactive command.bat:3',
        'comstore-stderr command.bat:5',
        'comstore-no-reboot command.bat:6',
        'comstore-no-reboot command.bat:7',
      ],
    ],
    [
      'batch pause',
      {
        general: {
          name: 'x [WIN]',
          category: 'scripts',
          installType: 'batch',
          version: '1',
          timeout: '1',
          securityLevel: '1',
        },
        body: '@echo off\r\nREM pause here\r\npause\r\n',
      },
      ['comstore-non-interactive command.bat:3'],
    ],
    [
      'an opaque 32×32 icon',
      { icon: pngHeader(32, 32, 2) },
      ['comstore-icon icon.png', 'comstore-icon icon.png'],
    ],
    ['the 3-byte placeholder icon', { icon: new Uint8Array([0x9e, 0xe9, 0x65]) }, ['comstore-icon icon.png']],
    [
      'odd post-condition tokens',
      { postConditions: [{ consequence: 'fail', resource: 'stdlog', text: '', qualifier: 'found' }] },
      [
        'post-condition resource.xml postConditions[0].consequence',
        'post-condition resource.xml postConditions[0].resource',
        'post-condition resource.xml postConditions[0].text',
      ],
    ],
  ];
  for (const [name, def, expected] of cases) {
    it(`finds ${name}`, () => {
      assert.deepEqual(found(def).sort(), [...expected].sort());
    });
  }

  it('accepts an RGB icon with a tRNS chunk as transparent', () => {
    assert.deepEqual(inspectPng(pngHeader(48, 48, 2, true)), {
      ok: true,
      width: 48,
      height: 48,
      transparent: true,
    });
  });

  it('passes the monitor fixture and flags only the placeholder icon of the legacy one', () => {
    assert.deepEqual(lintComponent(readCpt('m', fixture('current-monitor.cpt'))), []);
    assert.deepEqual(
      lintComponent(readCpt('l', fixture('legacy-scripts.cpt'))).map((f) => f.rule),
      ['comstore-icon'],
    );
  });

  it('lists its rules as data with unique ids', () => {
    const ids = LINT_RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const r of LINT_RULES)
      assert.ok(r.summary.length > 10 && ['error', 'warning', 'info'].includes(r.severity));
  });
});
