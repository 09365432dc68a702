// Tests of `rmmkit component …` run in-process: unpack → pack byte-exact on archives rmmkit did not
// write, the source-folder layout, atomic refusal to overwrite, verify, lint and inspect output.
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readZip } from '../../lib/io/zip.js';
import { runCli } from '../helpers/cli.js';
import { allCptFixtures, DATTO_FIXTURES, FIXTURES } from './helpers.js';

describe('rmmkit component', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rmmkit-cpt-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const f of DATTO_FIXTURES) {
    it(`unpack then pack rebuilds ${f} byte for byte`, async () => {
      const src = join(FIXTURES, f);
      const u = await runCli(['component', 'unpack', src, '--out', join(dir, 'src')]);
      assert.equal(u.code, 0, u.stderr);
      const p = await runCli(['component', 'pack', join(dir, 'src'), '--out', join(dir, 'out.cpt')], {
        env: { SOURCE_DATE_EPOCH: '1700000000' },
      });
      assert.equal(p.code, 0, p.stderr);
      assert.deepEqual(readFileSync(join(dir, 'out.cpt')), readFileSync(src));
    });
  }

  it('packs several folders in one process with --out-dir, each byte for byte, and reports a bad one', async () => {
    const names = DATTO_FIXTURES.slice(0, 3);
    const srcs: string[] = [];
    for (const f of names) {
      const s = join(dir, 'src', f.replace(/\.cpt$/, ''));
      assert.equal((await runCli(['component', 'unpack', join(FIXTURES, f), '--out', s])).code, 0);
      srcs.push(s);
    }
    const broken = join(dir, 'src', 'broken');
    mkdirSync(broken);
    const r = await runCli(['component', 'pack', ...srcs, broken, '--out-dir', join(dir, 'out')]);
    assert.equal(r.code, 1, 'one folder failed');
    assert.match(r.stderr, /broken/);
    assert.match(r.stdout, /packed 3 of 4 folders/);
    for (const f of names)
      assert.deepEqual(readFileSync(join(dir, 'out', f)), readFileSync(join(FIXTURES, f)), f);
    assert.equal(existsSync(join(dir, 'out', 'broken.cpt')), false);
  });

  it('pack: a bad --layout or SOURCE_DATE_EPOCH is one error for the command, before any folder', async () => {
    const srcs: string[] = [];
    for (const f of DATTO_FIXTURES.slice(0, 2)) {
      const s = join(dir, 'src', f.replace(/\.cpt$/, ''));
      assert.equal((await runCli(['component', 'unpack', join(FIXTURES, f), '--out', s])).code, 0);
      srcs.push(s);
    }
    const out = join(dir, 'out');
    const layout = await runCli(['component', 'pack', ...srcs, '--out-dir', out, '--layout', 'modern']);
    assert.equal(layout.code, 2, 'a usage error');
    assert.equal(layout.stderr.match(/modern/g)?.length, 1, layout.stderr);
    const epoch = await runCli(['component', 'pack', ...srcs, '--out-dir', out], {
      env: { SOURCE_DATE_EPOCH: 'soon' },
    });
    assert.equal(epoch.code, 1);
    assert.equal(
      epoch.stderr.match(/SOURCE_DATE_EPOCH: "soon" is not a whole number of seconds/g)?.length,
      1,
    );
    assert.doesNotMatch(epoch.stdout, /packed/);
    assert.equal(existsSync(out), false, 'nothing written');
  });

  it('pack: --out takes one folder, --out-dir any; exactly one of them; no two folders to one file', async () => {
    const a = join(dir, 'x', 'same');
    const b = join(dir, 'y', 'same');
    const cases: [string[], RegExp][] = [
      [[a, b, '--out', join(dir, 'o.cpt')], /--out takes one folder, 2 were given/],
      [[a], /exactly one of --out FILE or --out-dir DIR/],
      [[a, '--out', join(dir, 'o.cpt'), '--out-dir', dir], /exactly one of --out FILE or --out-dir DIR/],
      [[a, b, '--out-dir', join(dir, 'o')], /would both be packed to same\.cpt/],
    ];
    for (const [args, want] of cases) {
      const r = await runCli(['component', 'pack', ...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, want);
    }
  });

  it('lays out the source folder: component.yaml, script by installType, icon.png, attachments/', async () => {
    await runCli([
      'component',
      'unpack',
      join(FIXTURES, 'current-applications.cpt'),
      '--out',
      join(dir, 'a'),
    ]);
    assert.deepEqual(readdirSync(join(dir, 'a')).sort(), [
      'attachments',
      'command.ps1',
      'component.yaml',
      'icon.png',
    ]);
    assert.deepEqual(readdirSync(join(dir, 'a', 'attachments')), ['widget-agent.msi']);
    const yaml = readFileSync(join(dir, 'a', 'component.yaml'), 'utf8');
    assert.match(yaml, /^format: rmmkit-component\/1$/m);
    assert.match(yaml, /^ {2}timestamp: 2025-02-03T14:05:00$/m);
    assert.match(yaml, /name: futureSetting/);
    await runCli(['component', 'unpack', join(FIXTURES, 'current-monitor.cpt'), '--out', join(dir, 'm')]);
    assert.ok(existsSync(join(dir, 'm', 'command.sh')));
  });

  it('packs an edited source folder, and a new one deterministically with SOURCE_DATE_EPOCH', async () => {
    const s = join(dir, 'new');
    mkdirSync(s);
    writeFileSync(
      join(s, 'component.yaml'),
      'format: rmmkit-component/1\ngeneral:\n  name: Hello [LIN]\n  category: scripts\n  installType: unix\n  version: 1\n  timeout: 60\n  securityLevel: 1\nvariables:\n  - name: Greeting\n    type: string\n    defaultVal: hi\n',
    );
    writeFileSync(join(s, 'command.sh'), '#!/bin/sh\necho "$Greeting"\n');
    const env = { SOURCE_DATE_EPOCH: String(Date.UTC(2025, 0, 2, 3, 4, 6) / 1000) };
    assert.equal((await runCli(['component', 'pack', s, '--out', join(dir, 'a.cpt')], { env })).code, 0);
    assert.equal((await runCli(['component', 'pack', s, '--out', join(dir, 'b.cpt')], { env })).code, 0);
    const a = readFileSync(join(dir, 'a.cpt'));
    assert.deepEqual(readFileSync(join(dir, 'b.cpt')), a);
    const z = readZip('a', a);
    assert.equal(z.info[0]!.dosDate, (45 << 9) | (1 << 5) | 2);
    assert.deepEqual(
      z.entries.map((e) => e.name),
      ['command.bat', 'resource.xml'],
    );
    const xml = Buffer.from(z.entries[1]!.data).toString('utf8');
    assert.match(
      xml,
      /^<\?xml version="1.0" encoding="UTF-8" standalone="no"\?><component info="CentraStage Component">\n {4}<general>\n {8}<name>Hello \[LIN\]<\/name>/,
    );
    const legacy = await runCli(['component', 'pack', s, '--out', join(dir, 'l.cpt'), '--layout', 'legacy']);
    assert.equal(legacy.code, 0, legacy.stderr);
    assert.match(
      Buffer.from(readZip('l', readFileSync(join(dir, 'l.cpt'))).entries[1]!.data).toString(),
      /^<component info='CentraStage Component'>\n {2}<general>/,
    );
  });

  it('refuses to unpack into a non-empty folder unless --force, and leaves it untouched', async () => {
    const out = join(dir, 'x');
    const first = await runCli([
      'component',
      'unpack',
      join(FIXTURES, 'current-applications.cpt'),
      '--out',
      out,
    ]);
    assert.equal(first.code, 0, first.stderr);
    const r = await runCli(['component', 'unpack', join(FIXTURES, 'legacy-scripts.cpt'), '--out', out]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /already exists and is not empty; .*--force/);
    assert.ok(existsSync(join(out, 'icon.png')));
    const f = await runCli([
      'component',
      'unpack',
      join(FIXTURES, 'legacy-batch-noicon.cpt'),
      '--out',
      out,
      '--force',
    ]);
    assert.equal(f.code, 0, f.stderr);
    assert.ok(!existsSync(join(out, 'icon.png')), 'the earlier source folder was replaced');
    assert.deepEqual(readdirSync(dir), ['x'], 'no temporary folder left behind');
  });

  it('--force never replaces a folder holding anything but a source folder (.git, the current folder)', async () => {
    const out = join(dir, 'repo');
    mkdirSync(join(out, '.git'), { recursive: true });
    writeFileSync(join(out, '.git', 'config'), '[core]\n');
    writeFileSync(join(out, 'component.yaml'), 'format: rmmkit-component/1\n');
    const src = join(FIXTURES, 'legacy-scripts.cpt');
    const r = await runCli(['component', 'unpack', src, '--out', out, '--force']);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(
      r.stderr.includes(`${out}: --force only replaces an empty folder or a component source folder`),
    );
    assert.match(r.stderr, /it holds \.git/);
    assert.equal(readFileSync(join(out, '.git', 'config'), 'utf8'), '[core]\n');
    const other = join(dir, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'mine');
    const o = await runCli(['component', 'unpack', src, '--out', other, '--force']);
    assert.equal(o.code, 1);
    assert.match(o.stderr, /no component\.yaml/);
    assert.ok(existsSync(join(other, 'notes.txt')));
    const c = await runCli(['component', 'unpack', src, '--out', '.', '--force'], { cwd: out });
    assert.equal(c.code, 1);
    assert.match(c.stderr, /never replaces the root, the home folder or the current folder/);
    assert.ok(existsSync(join(out, '.git', 'config')));
  });

  it('names the file on a bad archive and writes nothing', async () => {
    const bad = join(dir, 'bad.cpt');
    writeFileSync(bad, 'PK\x03\x04 not really');
    const r = await runCli(['component', 'unpack', bad, '--out', join(dir, 'o')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /bad\.cpt: not a zip archive/);
    assert.ok(!existsSync(join(dir, 'o')));
  });

  it('verifies every fixture', async () => {
    const files = allCptFixtures().map((f) => join(FIXTURES, f));
    const r = await runCli(['component', 'verify', ...files]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(
      r.stdout.match(/^ok {3}.*byte-exact: .*, also through a source folder$/gm)?.length,
      DATTO_FIXTURES.length,
    );
    assert.match(r.stdout, /^ok {3}.*infozip-stored\.cpt: lossless/m);
    const j = await runCli(['component', 'verify', '--json', files[0]!]);
    assert.equal(JSON.parse(j.stdout)[0].ok, true);
  });

  it('lints archives and source folders with precise locations; exit 1 on errors', async () => {
    const s = join(dir, 's');
    await runCli(['component', 'unpack', join(FIXTURES, 'current-monitor.cpt'), '--out', s]);
    writeFileSync(join(s, 'command.sh'), '#!/bin/sh\necho "<-Start Result->"\nsudo reboot\n');
    const r = await runCli(['component', 'lint', s, join(FIXTURES, 'legacy-scripts.cpt')]);
    assert.equal(r.code, 1);
    assert.ok(
      r.stdout.includes(`${s}/command.sh: error [monitor-result] monitor body never prints <-End Result->`),
    );
    assert.ok(r.stdout.includes(`${s}/command.sh:3: warning [comstore-no-reboot] reboots: sudo reboot`));
    assert.match(r.stdout, /legacy-scripts\.cpt!icon\.png: warning \[comstore-icon\]/);
    assert.match(r.stdout, /^1 error, 2 warnings in 2 components$/m);
    const j = await runCli(['component', 'lint', '--json', s]);
    assert.equal(j.code, 1);
    assert.deepEqual(JSON.parse(j.stdout)[0].findings[1], {
      rule: 'comstore-no-reboot',
      severity: 'warning',
      entry: 'command.bat',
      line: 3,
      message: 'reboots: sudo reboot',
    });
    const ok = await runCli(['component', 'lint', join(FIXTURES, 'current-applications.cpt')]);
    assert.equal(ok.code, 0);
  });

  it('lists the lint rules', async () => {
    const r = await runCli(['component', 'lint', '--list-rules']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^comstore-no-reboot +warning +comstore +the script never reboots/m);
    const j = await runCli(['component', 'lint', '--list-rules', '--json']);
    assert.ok(JSON.parse(j.stdout).some((x: { id: string }) => x.id === 'map-default'));
    const none = await runCli(['component', 'lint']);
    assert.equal(none.code, 2);
  });

  it('inspects an archive as text and JSON', async () => {
    const r = await runCli(['component', 'inspect', join(FIXTURES, 'legacy-scripts.cpt')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^body {12}172 bytes, CRLF, no trailing newline$/m);
    assert.match(r.stdout, /^icon {12}icon\.png is the 3-byte placeholder/m);
    assert.match(
      r.stdout,
      /^ {2}0 WidgetMode {2}map {2}default "Default \(leave as is\)" {2}options "Default \(leave as is\)"="", "Fast > safe"="fast"$/m,
    );
    const j = JSON.parse(
      (await runCli(['component', 'inspect', '--json', join(FIXTURES, 'current-applications.cpt')])).stdout,
    );
    assert.equal(j.icon, '48×48 PNG, with transparency (88 bytes)');
    assert.deepEqual(j.attachments, [{ name: 'widget-agent.msi', bytes: 5000 }]);
    assert.equal(j.unknownElements, 1);
  });

  it('refuses a bad source folder, naming the file and key', async () => {
    const s = join(dir, 's');
    mkdirSync(s);
    writeFileSync(join(s, 'component.yaml'), 'format: rmmkit-component/1\nvariables:\n  - idx: one\n');
    const r = await runCli(['component', 'pack', s, '--out', join(dir, 'o.cpt')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /component\.yaml: variables\[0\]\.idx: expected a whole number/);
    writeFileSync(
      join(s, 'component.yaml'),
      'format: rmmkit-component/1\ngeneral:\n  name: x\n  colour: red\n',
    );
    assert.match(
      (await runCli(['component', 'pack', s, '--out', join(dir, 'o.cpt')])).stderr,
      /general\.colour: unknown key/,
    );
    assert.ok(!existsSync(join(dir, 'o.cpt')));
  });
  it('refuses symlinks in a source folder instead of packing what they point to', async () => {
    const s = join(dir, 's');
    const u = await runCli(['component', 'unpack', join(FIXTURES, 'current-applications.cpt'), '--out', s]);
    assert.equal(u.code, 0, u.stderr);
    const secret = join(dir, 'secret.txt');
    writeFileSync(secret, 'TOP SECRET');
    const cases: [string, () => void][] = [
      [
        'command.ps1',
        () => {
          rmSync(join(s, 'command.ps1'));
          symlinkSync(secret, join(s, 'command.ps1'));
        },
      ],
      [
        'icon.png',
        () => {
          rmSync(join(s, 'icon.png'));
          symlinkSync(secret, join(s, 'icon.png'));
        },
      ],
      [
        'attachments/widget-agent.msi',
        () => {
          rmSync(join(s, 'attachments', 'widget-agent.msi'));
          symlinkSync(secret, join(s, 'attachments', 'widget-agent.msi'));
        },
      ],
      [
        'attachments',
        () => {
          const other = join(dir, 'elsewhere');
          mkdirSync(other);
          writeFileSync(join(other, 'x.msi'), 'TOP SECRET');
          rmSync(join(s, 'attachments'), { recursive: true });
          symlinkSync(other, join(s, 'attachments'));
        },
      ],
    ];
    for (const [name, make] of cases) {
      rmSync(s, { recursive: true, force: true });
      await runCli(['component', 'unpack', join(FIXTURES, 'current-applications.cpt'), '--out', s]);
      make();
      const r = await runCli(['component', 'pack', s, '--out', join(dir, 'o.cpt')]);
      assert.equal(r.code, 1, `${name}: ${r.stderr}`);
      assert.ok(
        r.stderr.includes(`${join(s, name)}: is a symbolic link; symlinks are not followed`),
        r.stderr,
      );
      assert.ok(!existsSync(join(dir, 'o.cpt')));
    }
  });
  it('refuses markup smuggled in through the xml section of component.yaml, naming the key', async () => {
    const s = join(dir, 's');
    mkdirSync(s);
    writeFileSync(join(s, 'command.ps1'), 'Write-Output 1\r\n');
    const yaml =
      'format: rmmkit-component/1\ngeneral:\n  name: x\n  installType: powershell\nxml:\n  layout: current\n';
    writeFileSync(join(s, 'component.yaml'), yaml);
    // a minimal folder that lint rejects (no category, version …): --no-lint, the xml checks are tested
    const ok = await runCli(['component', 'pack', s, '--out', join(dir, 'ok.cpt'), '--no-lint']);
    assert.equal(ok.code, 0, ok.stderr);
    const cases: [string, RegExp][] = [
      [
        '  declaration: "<?xml version=\\"1.0\\"?><!DOCTYPE x [<!ENTITY e SYSTEM \\"file:///etc/passwd\\">]>"\n',
        /xml\.declaration: expected an XML declaration/,
      ],
      ['  afterDeclaration: "<!DOCTYPE x>"\n', /xml\.afterDeclaration: expected only spaces/],
      ['  trailing: "<evil/>"\n', /xml\.trailing: expected only spaces/],
      ['  rootAttrs: nope\n', /xml\.rootAttrs: expected a list/],
      [
        '  rootAttrs:\n    - name: "a b"\n      value: x\n',
        /xml\.rootAttrs\[0\]\.name: "a b" is not an XML name/,
      ],
      [
        '  rootAttrs:\n    - name: a\n      value: "x\\"><evil/>"\n',
        /xml\.rootAttrs\[0\]\.value: expected XML text/,
      ],
      ['  raw:\n    general.name: "</name><evil/><name>"\n', /xml\.raw\.general\.name: expected XML text/],
      ['  order:\n    general:\n      - type: element\n', /xml\.order\.general\[0\]\.name: expected text/],
      [
        '  order:\n    general:\n      - type: weird\n',
        /xml\.order\.general\[0\]\.type: expected element, text or markup/,
      ],
      [
        '  order:\n    general:\n      - type: markup\n        raw: "<!DOCTYPE x>"\n',
        /xml\.order\.general\[0\]\.raw: expected one comment/,
      ],
      [
        '  order:\n    general:\n      - type: text\n        raw: "</general><evil>"\n',
        /xml\.order\.general\[0\]\.raw: expected XML text/,
      ],
      ['  colour: red\n', /xml\.colour: unknown key/],
    ];
    for (const [line, message] of cases) {
      writeFileSync(
        join(s, 'component.yaml'),
        yaml.replace(/^xml:\n {2}layout: current\n/m, `xml:\n  layout: current\n${line}`),
      );
      const r = await runCli(['component', 'pack', s, '--out', join(dir, 'o.cpt'), '--no-lint']);
      assert.equal(r.code, 1, `${line}: ${r.stderr}`);
      assert.ok(r.stderr.includes(join(s, 'component.yaml')), r.stderr);
      assert.match(r.stderr, message);
      assert.ok(!existsSync(join(dir, 'o.cpt')));
    }
  });

  it('refuses to write an archive it cannot read back (nested too deeply)', async () => {
    const s = join(dir, 's');
    mkdirSync(s);
    writeFileSync(join(s, 'command.ps1'), 'Write-Output 1\r\n');
    // 64 nested unknown elements pass the shape check, but the document then nests too deeply
    let deep = '{type: element, name: a}';
    for (let k = 1; k < 64; k++) deep = `{type: element, name: a, children: [${deep}]}`;
    writeFileSync(
      join(s, 'component.yaml'),
      `format: rmmkit-component/1\ngeneral:\n  name: x\n  installType: powershell\nxml:\n  layout: current\n  order:\n    general: [name, installType, ${deep}]\n`,
    );
    const r = await runCli(['component', 'pack', s, '--out', join(dir, 'o.cpt'), '--no-lint']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /packing gives an archive that does not read back/);
    assert.ok(!existsSync(join(dir, 'o.cpt')));
  });
  it('pack refuses an --out inside DIR, and an existing --out unless --force', async () => {
    const s = join(dir, 's');
    await runCli(['component', 'unpack', join(FIXTURES, 'legacy-scripts.cpt'), '--out', s]);
    const yaml = readFileSync(join(s, 'component.yaml'));
    for (const out of [join(s, 'component.yaml'), join(s, 'new.cpt')]) {
      const r = await runCli(['component', 'pack', s, '--out', out, '--force']);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /is inside the source folder/);
    }
    assert.deepEqual(readFileSync(join(s, 'component.yaml')), yaml);
    assert.ok(!existsSync(join(s, 'new.cpt')));
    const out = join(dir, 'o.cpt');
    writeFileSync(out, 'old');
    const r = await runCli(['component', 'pack', s, '--out', out]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /o\.cpt: already exists; pass --force to replace it/);
    assert.equal(readFileSync(out, 'utf8'), 'old');
    const f = await runCli(['component', 'pack', s, '--out', out, '--force']);
    assert.equal(f.code, 0, f.stderr);
    assert.deepEqual(readFileSync(out), readFileSync(join(FIXTURES, 'legacy-scripts.cpt')));
  });

  it('reports file-system failures on outputs as input errors (exit 1), not internal errors', async () => {
    const s = join(dir, 's');
    await runCli(['component', 'unpack', join(FIXTURES, 'legacy-scripts.cpt'), '--out', s]);
    mkdirSync(join(dir, 'adir'));
    const d = await runCli(['component', 'pack', s, '--out', join(dir, 'adir')]);
    assert.equal(d.code, 1, d.stderr);
    assert.match(d.stderr, /adir: is a folder/);
    writeFileSync(join(dir, 'afile'), 'x');
    const f = await runCli(['component', 'pack', s, '--out', join(dir, 'afile', 'x.cpt')]);
    assert.equal(f.code, 1, f.stderr);
    assert.match(f.stderr, /afile\/x\.cpt: cannot write \((EEXIST|ENOTDIR)/);
    mkdirSync(join(dir, 'empty'));
    symlinkSync(join(dir, 'empty'), join(dir, 'link'));
    const u = await runCli([
      'component',
      'unpack',
      join(FIXTURES, 'legacy-scripts.cpt'),
      '--out',
      join(dir, 'link'),
    ]);
    assert.equal(u.code, 1, u.stderr);
    assert.match(u.stderr, /link: is a symbolic link/);
    assert.deepEqual(readdirSync(join(dir, 'empty')), []);
  });
  it('checks entry names in a source folder (attachments and script) and skips __proto__ keys', async () => {
    const s = join(dir, 's');
    await runCli(['component', 'unpack', join(FIXTURES, 'current-applications.cpt'), '--out', s]);
    writeFileSync(join(s, 'attachments', 'a:b'), 'x');
    const a = await runCli(['component', 'pack', s, '--out', join(dir, 'o.cpt')]);
    assert.equal(a.code, 1, a.stderr);
    assert.ok(a.stderr.includes(`${join(s, 'attachments')}: unsafe entry name "a:b"`), a.stderr);
    rmSync(join(s, 'attachments', 'a:b'));
    writeFileSync(join(s, 'attachments', 'Widget-Agent.MSI'), 'x');
    const c = await runCli(['component', 'pack', s, '--out', join(dir, 'o.cpt')]);
    assert.equal(c.code, 1, c.stderr);
    assert.match(c.stderr, /"Widget-Agent\.MSI" and "widget-agent\.msi" collide/);
    rmSync(join(s, 'attachments', 'Widget-Agent.MSI'));
    const yaml = readFileSync(join(s, 'component.yaml'), 'utf8');
    writeFileSync(join(s, 'component.yaml'), yaml.replace(/^script: .*$/m, 'script: ../outside.ps1'));
    const sc = await runCli(['component', 'pack', s, '--out', join(dir, 'o.cpt')]);
    assert.equal(sc.code, 1, sc.stderr);
    assert.ok(
      sc.stderr.includes(`${join(s, 'component.yaml')}: unsafe entry name "../outside.ps1"`),
      sc.stderr,
    );
    writeFileSync(join(s, 'component.yaml'), yaml.replace(/^xml:\n/m, 'xml:\n  attrs:\n    __proto__: []\n'));
    const { readSourceDir } = await import('../../lib/component/source.js');
    const c2 = await readSourceDir(s);
    assert.equal(Object.getPrototypeOf(c2.xml.attrs), Object.prototype);
    assert.equal(Object.hasOwn(c2.xml.attrs!, '__proto__'), false);
  });
});
