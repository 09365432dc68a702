// Edges of component source folders (lib/component/source.ts): what a folder without archive
// settings reads back as, the XML declaration written as ~ or null, node key paths inside
// xml.order, the order recorded for attachments without an icon, long lines kept whole, and which
// files an `unpack --force` target may hold.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { checkReplaceableSourceDir, componentToSource, readSourceDir } from '../../lib/component/source.js';
import { testComponent } from './helpers.js';

const HEAD = 'format: rmmkit-component/1\ngeneral:\n  installType: powershell\n';

describe('component source folder edges', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rmmkit-srcedge-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const folder = (yaml: string) => {
    writeFileSync(join(dir, 'component.yaml'), yaml);
    writeFileSync(join(dir, 'command.ps1'), 'x');
    return dir;
  };
  const message = async (yaml: string) => {
    try {
      await readSourceDir(folder(yaml));
    } catch (e) {
      return (e as Error).message.replace(dir, 'DIR');
    }
    return 'no error';
  };

  it('reads a folder without archive settings as an empty archive record', async () => {
    const c = await readSourceDir(folder(HEAD));
    assert.deepEqual(c.archive, {});
    assert.deepEqual(c.attachments, []);
  });

  it('reads an XML declaration written as ~ or null as "none"', async () => {
    for (const d of ['~', "'null'"]) {
      const c = await readSourceDir(folder(`${HEAD}xml:\n  layout: current\n  declaration: ${d}\n`));
      assert.equal(c.xml.declaration, null, d);
    }
  });

  it('names the key path of a bad node inside xml.order', async () => {
    const order = (node: string) => `${HEAD}xml:\n  layout: current\n  order:\n    general:\n${node}`;
    assert.equal(
      await message(order('      - type: element\n        name: a\n        attrs: x\n')),
      'DIR/component.yaml: xml.order.general[0].attrs: expected a list',
    );
    assert.equal(
      await message(order('      - type: element\n        name: a\n        children: x\n')),
      'DIR/component.yaml: xml.order.general[0].children: expected a list',
    );
    assert.equal(
      await message(order('      - type: markup\n        raw: [a]\n')),
      'DIR/component.yaml: xml.order.general[0].raw: expected text',
    );
  });

  it('records the archive order of two attachments without an icon, and keeps long lines whole', () => {
    const long = 'word '.repeat(40).trim();
    const c = testComponent({ body: 'x' });
    c.general.description = long;
    c.attachments = [
      { name: 'b.exe', data: new Uint8Array([1]) },
      { name: 'a.exe', data: new Uint8Array([2]) },
    ];
    const yaml = String(componentToSource(c).get('component.yaml'));
    const meta = parse(yaml) as { archive: { order: string[] } };
    assert.deepEqual(meta.archive.order, ['command.bat', 'resource.xml', 'b.exe', 'a.exe']);
    assert.ok(yaml.split('\n').includes(`  description: ${long}`), 'description on one line');
  });

  it('refuses an --force target holding a file named only like a script', async () => {
    for (const name of ['xcommand.ps1', 'command.ps1.bak']) {
      const target = join(dir, name.replace(/\W/g, '_'));
      mkdirSync(target);
      writeFileSync(join(target, name), 'x');
      writeFileSync(join(target, 'component.yaml'), HEAD);
      await assert.rejects(
        checkReplaceableSourceDir(target, tmpdir()),
        new RegExp(name.replace(/\./g, '\\.')),
      );
    }
    const ok = join(dir, 'ok');
    mkdirSync(ok);
    writeFileSync(join(ok, 'command.ps1'), 'x');
    writeFileSync(join(ok, 'component.yaml'), HEAD);
    await checkReplaceableSourceDir(ok, tmpdir());
  });
});
