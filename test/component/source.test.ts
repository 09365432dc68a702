// Tests of lib/component/source.ts called directly: every shape error in component.yaml names the
// file and the key, every odd file in the folder is refused by name, and what is valid reads back
// exactly (idx defaults, options, order of attachments). Written against mutation-test survivors.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCpt, writeCpt } from '../../lib/component/cpt.js';
import { newComponent } from '../../lib/component/index.js';
import { writeResourceXml } from '../../lib/component/resource-xml.js';
import {
  checkReplaceableSourceDir,
  componentToSource,
  readSourceDir,
  scriptFileName,
} from '../../lib/component/source.js';
import { InputError } from '../../lib/errors.js';
import { writeTreeAtomic } from '../../lib/io/files.js';
import { writeZipDatto } from '../../lib/io/zip.js';

const HEAD = 'format: rmmkit-component/1\n';

describe('component source folders (lib)', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rmmkit-src-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const folder = (yaml: string, files: Record<string, string> = { 'command.ps1': 'x' }) => {
    writeFileSync(join(dir, 'component.yaml'), yaml);
    for (const [n, t] of Object.entries(files)) {
      mkdirSync(join(dir, n, '..'), { recursive: true });
      writeFileSync(join(dir, n), t);
    }
    return dir;
  };
  const refusal = async (yaml: string, files?: Record<string, string>) => {
    try {
      await readSourceDir(folder(yaml, files));
    } catch (e) {
      assert.ok(e instanceof InputError, String(e));
      return e.message.replace(dir, 'DIR');
    }
    assert.fail('expected a refusal');
  };
  const gen = 'general:\n  installType: powershell\n';

  const cases: [string, string, string][] = [
    ['the root is a list', '- a\n', 'DIR/component.yaml: (root): expected a mapping'],
    ['no format', 'general: {}\n', 'DIR/component.yaml: format: expected "rmmkit-component/1"'],
    [
      'another format',
      'format: rmmkit-component/2\n',
      'DIR/component.yaml: format: expected "rmmkit-component/1"',
    ],
    [
      'an unknown root key',
      `${HEAD}colour: red\n`,
      'DIR/component.yaml: (root).colour: unknown key; allowed: format, general, variables, postConditions, script, archive, xml',
    ],
    ['general is a list', `${HEAD}general: [a]\n`, 'DIR/component.yaml: general: expected a mapping'],
    [
      'an unknown general field',
      `${HEAD}general:\n  colour: red\n`,
      'DIR/component.yaml: general.colour: unknown key; allowed: name, category, description, uid, hash, version, timeout, securityLevel, installType, uninstallType',
    ],
    [
      'a general field that is a list',
      `${HEAD}general:\n  name: [a]\n`,
      'DIR/component.yaml: general.name: expected text',
    ],
    [
      'variables is a mapping',
      `${HEAD}${gen}variables: {a: b}\n`,
      'DIR/component.yaml: variables: expected a list',
    ],
    [
      'a variable that is text',
      `${HEAD}${gen}variables: [a]\n`,
      'DIR/component.yaml: variables[0]: expected a mapping',
    ],
    [
      'an unknown variable key',
      `${HEAD}${gen}variables:\n  - colour: red\n`,
      'DIR/component.yaml: variables[0].colour: unknown key; allowed: idx, name, type, direction, description, defaultVal, options',
    ],
    [
      'a variable idx that is not a number',
      `${HEAD}${gen}variables:\n  - idx: one\n`,
      'DIR/component.yaml: variables[0].idx: expected a whole number',
    ],
    [
      'a variable idx with a leading zero',
      `${HEAD}${gen}variables:\n  - idx: "01"\n`,
      'DIR/component.yaml: variables[0].idx: expected a whole number',
    ],
    [
      'a variable idx of ten digits',
      `${HEAD}${gen}variables:\n  - idx: "1234567890"\n`,
      'DIR/component.yaml: variables[0].idx: expected a whole number',
    ],
    [
      'an option that is text',
      `${HEAD}${gen}variables:\n  - options: [a]\n`,
      'DIR/component.yaml: variables[0].options[0]: expected a mapping',
    ],
    [
      'an unknown option key',
      `${HEAD}${gen}variables:\n  - options:\n      - label: a\n`,
      'DIR/component.yaml: variables[0].options[0].label: unknown key; allowed: idx, name, value',
    ],
    [
      'an option name that is a list',
      `${HEAD}${gen}variables:\n  - options:\n      - name: [a]\n`,
      'DIR/component.yaml: variables[0].options[0].name: expected text',
    ],
    [
      'an option value that is a list',
      `${HEAD}${gen}variables:\n  - options:\n      - value: [a]\n`,
      'DIR/component.yaml: variables[0].options[0].value: expected text',
    ],
    [
      'a post-condition that is text',
      `${HEAD}${gen}postConditions: [a]\n`,
      'DIR/component.yaml: postConditions[0]: expected a mapping',
    ],
    [
      'an unknown post-condition key',
      `${HEAD}${gen}postConditions:\n  - when: x\n`,
      'DIR/component.yaml: postConditions[0].when: unknown key; allowed: idx, consequence, resource, text, qualifier',
    ],
    [
      'a post-condition text that is a list',
      `${HEAD}${gen}postConditions:\n  - text: [a]\n`,
      'DIR/component.yaml: postConditions[0].text: expected text',
    ],
    ['archive is a list', `${HEAD}${gen}archive: [a]\n`, 'DIR/component.yaml: archive: expected a mapping'],
    [
      'an unknown archive key',
      `${HEAD}${gen}archive:\n  zone: utc\n`,
      'DIR/component.yaml: archive.zone: unknown key; allowed: timestamp, order',
    ],
    [
      'archive.order is text',
      `${HEAD}${gen}archive:\n  order: a\n`,
      'DIR/component.yaml: archive.order: expected a list',
    ],
    ['xml is a list', `${HEAD}${gen}xml: [a]\n`, 'DIR/component.yaml: xml: expected a mapping'],
    [
      'an unknown layout',
      `${HEAD}${gen}xml:\n  layout: modern\n`,
      'DIR/component.yaml: xml.layout: expected legacy or current',
    ],
    [
      'an odd quote',
      `${HEAD}${gen}xml:\n  layout: current\n  quote: "\`"\n`,
      'DIR/component.yaml: xml.quote: expected " or \'',
    ],
    [
      'an odd short form',
      `${HEAD}${gen}xml:\n  layout: current\n  short: "/ >"\n`,
      'DIR/component.yaml: xml.short: expected "/>" or " />"',
    ],
    [
      'a pair flag that is not true or false',
      `${HEAD}${gen}xml:\n  layout: current\n  order:\n    general:\n      - {type: element, name: a, pair: yes}\n`,
      'DIR/component.yaml: xml.order.general[0].pair: expected true or false',
    ],
    [
      'an unknown key of an element',
      `${HEAD}${gen}xml:\n  layout: current\n  order:\n    general:\n      - {type: element, name: a, kids: []}\n`,
      'DIR/component.yaml: xml.order.general[0].kids: unknown key; allowed: type, name, attrs, children, pair',
    ],
    [
      'an attribute with an unknown key',
      `${HEAD}${gen}xml:\n  layout: current\n  rootAttrs:\n    - {name: a, value: b, ns: c}\n`,
      'DIR/component.yaml: xml.rootAttrs[0].ns: unknown key; allowed: name, value',
    ],
    [
      'an attribute that is text',
      `${HEAD}${gen}xml:\n  layout: current\n  rootAttrs: [a]\n`,
      'DIR/component.yaml: xml.rootAttrs[0]: expected a mapping with name and value',
    ],
    [
      'pairs that is text',
      `${HEAD}${gen}xml:\n  layout: current\n  pairs: a\n`,
      'DIR/component.yaml: xml.pairs: expected a list',
    ],
    [
      'raw that is a list',
      `${HEAD}${gen}xml:\n  layout: current\n  raw: [a]\n`,
      'DIR/component.yaml: xml.raw: expected a mapping',
    ],
    [
      'a node that is text',
      `${HEAD}${gen}xml:\n  layout: current\n  order:\n    general: [[a]]\n`,
      'DIR/component.yaml: xml.order.general[0]: expected a mapping',
    ],
    [
      'a text node with a name',
      `${HEAD}${gen}xml:\n  layout: current\n  order:\n    general:\n      - {type: text, raw: a, name: b}\n`,
      'DIR/component.yaml: xml.order.general[0].name: unknown key; allowed: type, raw',
    ],
    [
      'a declaration that is not one',
      `${HEAD}${gen}xml:\n  layout: current\n  declaration: "<?xml?>"\n`,
      'DIR/component.yaml: xml.declaration: expected an XML declaration such as <?xml version="1.0" encoding="UTF-8"?>',
    ],
    [
      'a script name with a path',
      `${HEAD}${gen}script: ../x.ps1\n`,
      'DIR/component.yaml: unsafe entry name "../x.ps1": "." and ".." segments are not allowed',
    ],
    [
      'a missing script',
      `${HEAD}${gen}script: run.ps1\n`,
      'DIR: the script run.ps1 is missing (named by "script" in component.yaml)',
    ],
    // Keys named by the messages of every nested reader (mutation-test survivors of key paths).
    [
      'a variable name that is a list',
      `${HEAD}${gen}variables:\n  - name: [a]\n`,
      'DIR/component.yaml: variables[0].name: expected text',
    ],
    [
      'variable options that are text',
      `${HEAD}${gen}variables:\n  - options: a\n`,
      'DIR/component.yaml: variables[0].options: expected a list',
    ],
    [
      'an option idx that is no number',
      `${HEAD}${gen}variables:\n  - options:\n      - idx: x\n`,
      'DIR/component.yaml: variables[0].options[0].idx: expected a whole number',
    ],
    [
      'an idx with a letter after a digit',
      `${HEAD}${gen}variables:\n  - idx: 1x\n`,
      'DIR/component.yaml: variables[0].idx: expected a whole number',
    ],
    [
      'an idx that is a list',
      `${HEAD}${gen}variables:\n  - idx: [1]\n`,
      'DIR/component.yaml: variables[0].idx: expected a whole number',
    ],
    [
      'post-conditions that are text',
      `${HEAD}${gen}postConditions: a\n`,
      'DIR/component.yaml: postConditions: expected a list',
    ],
    [
      'a post-condition idx that is no number',
      `${HEAD}${gen}postConditions:\n  - idx: x\n`,
      'DIR/component.yaml: postConditions[0].idx: expected a whole number',
    ],
    [
      'a script name that is a list',
      `${HEAD}${gen}script: [a]\n`,
      'DIR/component.yaml: script: expected text',
    ],
    [
      'an archive order entry that is a list',
      `${HEAD}${gen}archive:\n  order:\n    - [a]\n`,
      'DIR/component.yaml: archive.order[0]: expected text',
    ],
    [
      'an archive timestamp that is a list',
      `${HEAD}${gen}archive:\n  timestamp: [a]\n`,
      'DIR/component.yaml: archive.timestamp: expected text',
    ],
    [
      'an xml declaration that is a list',
      `${HEAD}${gen}xml:\n  layout: current\n  declaration: [a]\n`,
      'DIR/component.yaml: xml.declaration: expected text',
    ],
    [
      'xml attrs that are a list',
      `${HEAD}${gen}xml:\n  layout: current\n  attrs: [a]\n`,
      'DIR/component.yaml: xml.attrs: expected a mapping',
    ],
    ['YAML with a duplicate key', `${HEAD}${gen}general:\n  name: b\n`, 'DIR/component.yaml: invalid YAML: '],
  ];
  for (const [name, yaml, message] of cases)
    it(`refuses ${name}`, async () => {
      const got = await refusal(yaml);
      if (message.endsWith(': ')) assert.ok(got.startsWith(message), got);
      else assert.equal(got, message);
    });

  it('refuses a folder without component.yaml, naming the folder and the code', async () => {
    await assert.rejects(
      readSourceDir(dir),
      (e: unknown) =>
        e instanceof InputError &&
        e.message === `${dir}: not a component source folder: cannot read component.yaml (ENOENT)`,
    );
  });

  it('refuses attachments that are not a folder, a folder as a script, colliding attachment names', async () => {
    folder(`${HEAD}${gen}`, { 'command.ps1': 'x', attachments: 'a file' });
    await assert.rejects(readSourceDir(dir), new RegExp(`${join(dir, 'attachments')}: is not a folder$`));
    rmSync(join(dir, 'attachments'));
    mkdirSync(join(dir, 'attachments', 'sub'), { recursive: true });
    await assert.rejects(
      readSourceDir(dir),
      new RegExp(
        `${join(dir, 'attachments', 'sub')}: is not a regular file; a source folder holds only files$`,
      ),
    );
    rmSync(join(dir, 'attachments'), { recursive: true });
    mkdirSync(join(dir, 'attachments'));
    writeFileSync(join(dir, 'attachments', 'A.msi'), '1');
    writeFileSync(join(dir, 'attachments', 'a.msi'), '2');
    await assert.rejects(
      readSourceDir(dir),
      /attachments: "A\.msi" and "a\.msi" collide: Windows treats names/,
    );
    rmSync(join(dir, 'attachments'), { recursive: true });
    symlinkSync(tmpdir(), join(dir, 'attachments'));
    await assert.rejects(readSourceDir(dir), /attachments: is a symbolic link; symlinks are not followed/);
  });

  it('reads defaults and values exactly: idx from position, options, attachments in recorded order', async () => {
    folder(
      `${HEAD}general:\n  name: n\n  installType: unix\nvariables:\n  - name: v\n    type: map\n    options:\n      - name: A\n        value: a\n      - idx: "5"\n  - idx: "3"\n    name: w\npostConditions:\n  - text: E\n  - idx: "9"\narchive:\n  timestamp: 2024-01-02T03:04:06\n  order: [command.bat, resource.xml, z.bin, a.bin]\n`,
      {
        'command.sh': '#!/bin/sh\n',
        'attachments/a.bin': 'A',
        'attachments/z.bin': 'Z',
        'attachments/m.bin': 'M',
      },
    );
    const c = await readSourceDir(dir);
    assert.deepEqual(c.general, { name: 'n', installType: 'unix' });
    assert.deepEqual(c.variables, [
      { idx: 0, name: 'v', type: 'map', options: [{ idx: 0, name: 'A', value: 'a' }, { idx: 5 }] },
      { idx: 3, name: 'w', options: [] },
    ]);
    assert.deepEqual(c.postConditions, [{ idx: 0, text: 'E' }, { idx: 9 }]);
    assert.deepEqual(
      c.attachments.map((a) => a.name),
      ['z.bin', 'a.bin', 'm.bin'],
    );
    assert.deepEqual(c.archive, {
      timestamp: '2024-01-02T03:04:06',
      order: ['command.bat', 'resource.xml', 'z.bin', 'a.bin'],
    });
    assert.equal(c.icon, undefined);
    assert.equal(Buffer.from(c.body).toString(), '#!/bin/sh\n');
    // and the source form written back holds the idx only where it is not the position
    const yaml = String(componentToSource(c).get('component.yaml'));
    assert.match(yaml, /- idx: 3\n {4}name: w/);
    assert.doesNotMatch(yaml, /idx: 0/);
  });

  it('names the script by installType, case-insensitively, .txt when unknown', () => {
    assert.deepEqual(
      [
        'powershell',
        'UNIX',
        'batch',
        'vbscript',
        'javascript',
        'python',
        'ruby',
        'groovy',
        'cobol',
        undefined,
      ].map(scriptFileName),
      [
        'command.ps1',
        'command.sh',
        'command.bat',
        'command.vbs',
        'command.js',
        'command.py',
        'command.rb',
        'command.groovy',
        'command.txt',
        'command.txt',
      ],
    );
  });

  it('--force replaces only an empty or a source folder, never /, home or the current folder', async () => {
    const refuse = async (d: string, cwd: string, re: RegExp) =>
      assert.rejects(
        checkReplaceableSourceDir(d, cwd),
        (e: unknown) => e instanceof InputError && re.test(e.message),
      );
    await refuse('/', dir, /--force never replaces the root, the home folder or the current folder/);
    await refuse(homedir(), dir, /--force never replaces the root/);
    await refuse(dir, dir, /--force never replaces the root/);
    await checkReplaceableSourceDir(dir, '/'); // empty: fine
    writeFileSync(join(dir, 'notes.txt'), 'x');
    await refuse(dir, '/', /it holds no component\.yaml$/);
    writeFileSync(join(dir, 'component.yaml'), 'x');
    await refuse(dir, '/', /it holds notes\.txt$/);
    rmSync(join(dir, 'notes.txt'));
    writeFileSync(join(dir, 'command.ps1'), 'x');
    writeFileSync(join(dir, 'icon.png'), 'x');
    mkdirSync(join(dir, 'attachments'));
    writeFileSync(join(dir, 'attachments', 'a.msi'), 'x');
    await checkReplaceableSourceDir(dir, '/');
    mkdirSync(join(dir, 'attachments', 'deeper'));
    await refuse(dir, '/', /it holds attachments\/deeper, which is not a plain file$/);
    rmSync(join(dir, 'attachments', 'deeper'), { recursive: true });
    mkdirSync(join(dir, 'command.d'));
    await refuse(dir, '/', /it holds command\.d$/);
    rmSync(join(dir, 'command.d'), { recursive: true });
    symlinkSync(dir, `${dir}-link`);
    try {
      await refuse(`${dir}-link`, '/', /is a symbolic link; --force does not replace it/);
    } finally {
      rmSync(`${dir}-link`);
    }
  });
});

describe('component source folders: the component.yaml written', () => {
  it('writes idx only where it is not the position, fields only when present, the order with 2+ attachments', () => {
    const c = newComponent({
      general: {
        name: 'n [WIN]',
        category: 'scripts',
        installType: 'powershell',
        uid: 'u-1',
        description: 'x'.repeat(120),
      },
      body: 'b',
      variables: [
        {
          name: 'v',
          type: 'map',
          options: [
            { name: 'A', value: 'a' },
            { idx: 5, name: 'B' },
          ],
        },
        { idx: 3, name: 'w', type: 'string' },
      ],
      postConditions: [{ text: 'E' }, { idx: 7, resource: 'stdout' }],
      icon: Buffer.from('i'),
      attachments: [
        { name: 'z.bin', data: Buffer.from('z') },
        { name: 'a.bin', data: Buffer.from('a') },
      ],
    });
    const files = componentToSource(c);
    assert.deepEqual(
      [...files.keys()],
      ['component.yaml', 'command.ps1', 'icon.png', 'attachments/z.bin', 'attachments/a.bin'],
    );
    const yaml = String(files.get('component.yaml')).split('\n').slice(3).join('\n');
    assert.equal(
      yaml,
      [
        'format: rmmkit-component/1',
        'general:',
        '  name: n [WIN]',
        '  category: scripts',
        `  description: ${'x'.repeat(120)}`,
        '  uid: u-1',
        '  hash: ""',
        '  version: "1"',
        '  timeout: "3600"',
        '  securityLevel: "1"',
        '  installType: powershell',
        'variables:',
        '  - name: v',
        '    type: map',
        '    options:',
        '      - name: A',
        '        value: a',
        '      - idx: 5',
        '        name: B',
        '  - idx: 3',
        '    name: w',
        '    type: string',
        'postConditions:',
        '  - text: E',
        '  - idx: 7',
        '    resource: stdout',
        'script: command.ps1',
        'archive:',
        '  order:',
        '    - command.bat',
        '    - resource.xml',
        '    - icon.png',
        '    - z.bin',
        '    - a.bin',
        'xml:',
        '  layout: current',
        '  afterDeclaration: |+',
        '    ',
        '',
      ].join('\n'),
    );
    // one attachment and no icon: no order; a recorded timestamp is kept
    const one = newComponent({
      general: { name: 'n' },
      body: '',
      attachments: [{ name: 'a.bin', data: Buffer.from('a') }],
    });
    one.archive.timestamp = '2020-01-01T00:00:00';
    const y = String(componentToSource(one).get('component.yaml'));
    assert.match(y, /\narchive:\n {2}timestamp: 2020-01-01T00:00:00\nxml:/);
    assert.doesNotMatch(y, /order|options|idx/);
  });
});

describe('component source folders: more edges', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rmmkit-src2-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const HEADER = 'format: rmmkit-component/1\ngeneral:\n  installType: powershell\n';

  it('refuses a component.yaml that is a symbolic link', async () => {
    writeFileSync(join(dir, 'real.yaml'), HEADER);
    symlinkSync(join(dir, 'real.yaml'), join(dir, 'component.yaml'));
    writeFileSync(join(dir, 'command.ps1'), 'x');
    await assert.rejects(
      readSourceDir(dir),
      (e: unknown) =>
        e instanceof InputError &&
        e.message ===
          `${join(dir, 'component.yaml')}: is a symbolic link; symlinks are not followed in a source folder`,
    );
  });

  it('sorts attachments by name without a recorded order, and unknown ones by name after the recorded', async () => {
    writeFileSync(join(dir, 'component.yaml'), HEADER);
    writeFileSync(join(dir, 'command.ps1'), 'x');
    mkdirSync(join(dir, 'attachments'));
    for (const n of ['n.bin', 'b.bin', 'm.bin', 'a.bin']) writeFileSync(join(dir, 'attachments', n), n);
    assert.deepEqual(
      (await readSourceDir(dir)).attachments.map((a) => a.name),
      ['a.bin', 'b.bin', 'm.bin', 'n.bin'],
    );
    writeFileSync(join(dir, 'component.yaml'), `${HEADER}archive:\n  order: [b.bin, a.bin]\n`);
    const c = await readSourceDir(dir);
    assert.deepEqual(
      c.attachments.map((a) => a.name),
      ['b.bin', 'a.bin', 'm.bin', 'n.bin'],
    );
    assert.deepEqual(c.xml, { layout: 'current' }, 'no xml section: the current layout, nothing else');
    assert.equal(c.icon, undefined);
    assert.equal(Buffer.from(c.attachments[0]!.data).toString(), 'b.bin');
  });

  it('allows unknown elements nested 64 deep in component.yaml, not 65; reads pair flags', async () => {
    const nest = (n: number) => {
      let node = '{type: element, name: a}';
      for (let k = 1; k < n; k++) node = `{type: element, name: a, children: [${node}]}`;
      return node;
    };
    writeFileSync(join(dir, 'command.ps1'), 'x');
    const yaml = (node: string) =>
      `${HEADER}xml:\n  layout: current\n  order:\n    general: [installType, ${node}]\n`;
    writeFileSync(join(dir, 'component.yaml'), yaml(nest(64)));
    await readSourceDir(dir);
    writeFileSync(join(dir, 'component.yaml'), yaml(nest(65)));
    await assert.rejects(readSourceDir(dir), /nested deeper than 64 levels/);
    writeFileSync(
      join(dir, 'component.yaml'),
      yaml('{type: element, name: p, pair: "true"}, {type: element, name: q, pair: "false"}'),
    );
    const c = await readSourceDir(dir);
    assert.deepEqual(c.xml.order?.general, [
      'installType',
      { type: 'element', name: 'p', attrs: [], children: [], pair: true },
      { type: 'element', name: 'q', attrs: [], children: [], pair: false },
    ]);
  });
});

describe('component source folders: every xml quirk survives unpack and pack', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rmmkit-src3-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const docs: [string, string][] = [
    [
      'legacy with double quotes, a declaration, blank lines, extra root attributes, pairs, raw text, comments, nested unknowns',
      '<?xml version="1.0"?>\n\n<component info="CentraStage Component" extra="1">\n  <general>\n    <category>scripts</category>\n    <name>A &#62; B</name>\n    <hash></hash>\n  </general>\n  <!-- note -->\n  <future k="v">\n    <inner a="&amp;">t</inner>\n    <empty/>\n    <pair></pair>\n  </future>\n  <mixed>x<?pi y?>z</mixed>\n  <variable idx="0" note="n">\n    <name>v</name>\n  </variable>\n</component>\n',
    ],
    [
      'current indentation without a declaration, legacy short form',
      '<component info="CentraStage Component">\n    <general>\n        <name>n</name>\n        <hash />\n    </general>\n</component>',
    ],
    [
      'single quotes in the current layout',
      "<?xml version='1.0' encoding='UTF-8' standalone='no'?><component info='CentraStage Component'>\n    <general>\n        <name>n</name>\n    </general>\n</component>",
    ],
  ];
  for (const [name, xml] of docs)
    it(name, async () => {
      const bytes = writeZipDatto(
        [
          { name: 'command.bat', data: Buffer.from('echo 1') },
          { name: 'resource.xml', data: Buffer.from(xml) },
        ],
        { date: 0x21, time: 0 },
      );
      const c = readCpt('q.cpt', bytes);
      await writeTreeAtomic(join(dir, 'src'), componentToSource(c));
      const back = await readSourceDir(join(dir, 'src'));
      assert.deepEqual(back.xml, c.xml);
      assert.equal(Buffer.from(writeResourceXml(back)).toString(), xml);
      assert.deepEqual(Buffer.from(writeCpt(back)), Buffer.from(bytes));
    });
});
