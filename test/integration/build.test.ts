// rmmkit build: golden files for every rendered script and resource.xml, byte-identical rebuilds,
// lint-clean components, shellcheck and the PowerShell 2.0 lint, the site-variable rule, the CLI.

import assert from 'node:assert/strict';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCpt } from '../../lib/component/cpt.js';
import { lintComponent } from '../../lib/component/lint.js';
import { buildIntegration } from '../../lib/integration/build.js';
import { checkIntegrationText } from '../../lib/integration/load.js';
import { parseUdfSlotSource, renderDevidUdfScript } from '../../lib/integration/render.js';
import { packageRoot } from '../../lib/paths.js';
import { lintPs2 } from '../../lib/render/ps2-lint.js';
import { runCli } from '../helpers/cli.js';
import { shellcheck } from '../helpers/endpoint.js';
import { assertGolden } from '../helpers/golden.js';
import { needTools } from '../helpers/tools.js';
import { loadExample } from './agent.js';

const GOLDEN = join(packageRoot(), 'test', 'golden', 'integration');
const EXAMPLES = ['bright-antivirus', 'nimbus-linux-agent'];

/** The build's golden files (test/helpers/golden.ts: a missing one fails; UPDATE_GOLDEN=1 rewrites). */
function golden(name: string, actual: string): void {
  assertGolden(join('integration', name), actual);
}

describe('rmmkit build', () => {
  for (const example of EXAMPLES) {
    it(`${example}: golden scripts and resource.xml, lint-clean, byte-identical rebuild`, async () => {
      const i = await loadExample(example);
      const a = await buildIntegration(i);
      const b = await buildIntegration(await loadExample(example));
      assert.deepEqual([...a.files.keys()].sort(), [...b.files.keys()].sort());
      for (const [name, data] of a.files)
        assert.deepEqual(Buffer.from(b.files.get(name) as Uint8Array | string), Buffer.from(data), name);
      for (const built of a.components) {
        const c = readCpt(built.file, built.bytes);
        assert.deepEqual(lintComponent(c), [], `${built.file} has lint findings`);
        const body = Buffer.from(c.body).toString('utf8');
        const ext = built.component.os === 'windows' ? 'ps1' : 'sh';
        golden(`${example}/${built.component.id}.${ext}`, body);
        golden(
          `${example}/${built.component.id}.resource.xml`,
          Buffer.from((await import('../../lib/component/resource-xml.js')).writeResourceXml(c)).toString(
            'utf8',
          ),
        );
        if (ext === 'ps1') assert.deepEqual(lintPs2(body), [], built.file);
        assert.equal(c.general.installType, ext === 'ps1' ? 'powershell' : 'unix');
      }
      golden(`${example}/BUILD.md`, a.files.get('BUILD.md') as string);
      // Every golden of this example is produced by the build (no stale leftovers).
      const expected = new Set([
        ...a.components.flatMap((x) => [
          `${x.component.id}.${x.component.os === 'windows' ? 'ps1' : 'sh'}`,
          `${x.component.id}.resource.xml`,
        ]),
        'BUILD.md',
      ]);
      if (process.env.UPDATE_GOLDEN !== '1')
        assert.deepEqual(new Set(readdirSync(join(GOLDEN, example))), expected);
    });
  }

  it('a missing golden file fails instead of being written', () => {
    if (process.env.UPDATE_GOLDEN === '1') return;
    assert.throws(() => golden('no-such-example/none.sh', 'x'), /no-such-example\/none\.sh is missing/);
    assert.equal(existsSync(join(GOLDEN, 'no-such-example')), false);
  });

  it('every built sh script is shellcheck clean', async function () {
    needTools(this, 'shellcheck of the built sh components', 'shellcheck');
    for (const example of EXAMPLES) {
      const built = await buildIntegration(await loadExample(example));
      for (const b of built.components.filter((x) => x.component.os !== 'windows'))
        assert.equal(shellcheck(Buffer.from(b.model.body).toString('utf8')), '', b.file);
      assert.equal(shellcheck(built.files.get('endpoint/devid.sh') as string), '', 'endpoint/devid.sh');
    }
    for (const udf of ['7', 'env:VendorUdfSlot']) {
      const text = renderDevidUdfScript({
        target: 'sh',
        salt: { kind: 'site' },
        link: 'https://a.example.web/d?id={ID}&x=1',
        udf: parseUdfSlotSource(udf),
      });
      assert.equal(shellcheck(text), '', `devid script --udf ${udf}`);
    }
  });

  it('the resource.xml variables: types, map options, defaults as labels, the added UDF variables', async () => {
    const built = await buildIntegration(await loadExample('bright-antivirus'));
    const tasks = built.components.find((b) => b.component.id === 'tasks-win')!.model;
    assert.deepEqual(
      tasks.variables.map((v) => [
        v.name,
        v.type,
        v.defaultVal,
        v.options.map((o) => `${o.name}=${o.value}`),
      ]),
      [
        [
          'Action',
          'map',
          'Update',
          ['Update=update', 'Quick scan=quick', 'Full scan=full', 'Full scan at next start (flag)=full-flag'],
        ],
      ],
    );
    const deploy = built.components.find((b) => b.component.id === 'deploy-win')!.model;
    assert.deepEqual(
      deploy.variables.map((v) => [v.name, v.type, v.defaultVal]),
      [
        ['LicenceKey', 'string', ''],
        ['BrightUdfSlot', 'string', '7'],
        ['OverwriteUdf', 'boolean', 'false'],
      ],
    );
    assert.deepEqual(
      deploy.attachments.map((a) => a.name),
      ['BrightAV.msi'],
    );
    assert.equal(deploy.general.category, 'applications');
    const status = built.components.find((b) => b.component.id === 'status-win')!.model;
    assert.equal(status.general.category, 'monitors');
    assert.deepEqual(status.attachments, []);
  });

  it('locates a policy problem in the text the integration was read from, not in the file read again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rmmkit-build-src-'));
    const original = readFileSync(join(packageRoot(), 'policies', 'bright-antivirus.yaml'), 'utf8');
    // The attachments and icon the components name, reached from the temporary folder.
    symlinkSync(join(packageRoot(), 'policies', 'bright-antivirus'), join(dir, 'bright-antivirus'));
    const text = original.replace('component: status-win', 'component: no-such');
    const line = text.split('\n').findIndex((l) => l.includes('component: no-such')) + 1;
    const where = new RegExp(`no component with id "no-such".*\\(line ${line}, column 9\\)`);
    // Checked from memory: there is no file to read again.
    const memory = checkIntegrationText(join(dir, 'not-on-disk.yaml'), text);
    assert.ok(memory.integration, JSON.stringify(memory.issues));
    await assert.rejects(buildIntegration(memory.integration), where);
    // Loaded from a file that changes before the build: the lines are those of what was loaded.
    const file = join(dir, 'changing.yaml');
    writeFileSync(file, text);
    try {
      const { loadIntegration } = await import('../../lib/integration/load.js');
      const loaded = await loadIntegration(file);
      writeFileSync(file, `# one\n# two\n# three\n${text}`);
      await assert.rejects(buildIntegration(loaded), where);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a component variable named like a site variable (Datto would hide the site value)', () => {
    const text = readFileSync(join(packageRoot(), 'policies', 'nimbus-linux-agent.yaml'), 'utf8').replace(
      '    licence:\n      variable: NimbusSiteToken',
      '    variables:\n      - { name: NimbusSiteToken, type: string, secret: true }\n    licence:\n      variable: NimbusSiteToken',
    );
    const r = checkIntegrationText('nimbus.yaml', text);
    assert.equal(r.integration, null);
    const issue = r.issues.find((x) => x.path === 'components[0].variables[0].name');
    assert.ok(issue, JSON.stringify(r.issues));
    assert.match(
      issue.message,
      /NimbusSiteToken is a site variable; a component variable of the same name would hide it/,
    );
    assert.ok(issue.line > 0);
  });

  it('CLI: build writes the tree, refuses a non-empty --out without --force, names a missing attachment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rmmkit-build-'));
    const file = join(packageRoot(), 'policies', 'bright-antivirus.yaml');
    const r = await runCli(['build', file, '--out', 'out'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /deploy-win\.cpt {2}\(\d+ bytes\)/);
    assert.deepEqual(readdirSync(join(dir, 'out', 'components')).sort(), [
      'deploy-mac.cpt',
      'deploy-win.cpt',
      'link-mac.cpt',
      'link-win.cpt',
      'status-win.cpt',
      'tasks-win.cpt',
    ]);
    assert.ok(existsSync(join(dir, 'out', 'endpoint', 'devid.ps1')));
    const again = await runCli(['build', file, '--out', 'out'], { cwd: dir });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /not empty; choose another or pass --force/);
    assert.equal((await runCli(['build', file, '--out', 'out', '--force'], { cwd: dir })).code, 0);
    const absolute = readFileSync(file, 'utf8').replaceAll(
      'bright-antivirus/',
      `${join(packageRoot(), 'policies', 'bright-antivirus')}/`,
    );
    writeFileSync(join(dir, 'i.yaml'), absolute.replace(/\S+BrightAV\.msi/, 'missing.msi'));
    const missing = await runCli(['build', 'i.yaml', '--out', 'o2'], { cwd: dir });
    assert.equal(missing.code, 1);
    assert.match(
      missing.stderr,
      /missing\.msi: cannot read the attachment of components\[0\] \(deploy-win\) \(ENOENT\)/,
    );
    writeFileSync(join(dir, 'bad.yaml'), readFileSync(file, 'utf8').replace('slot: 7', 'slot: 0'));
    const bad = await runCli(['build', 'bad.yaml', '--out', 'o3'], { cwd: dir });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /bad\.yaml:\d+:\d+: link\.udf\.slot: /);
    assert.equal(existsSync(join(dir, 'o3')), false, 'nothing written for an invalid file');
  });

  it('devid script --udf: a slot or env:NAME, refuses slot 1 and --udf without --link', async () => {
    const ok = await runCli([
      'devid',
      'script',
      '--target',
      'sh',
      '--link',
      'https://a.web/d/{ID}',
      '--udf',
      'env:MySlot',
      '--udf-store',
      '/opt/agent/values.xml',
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /rmmkit_store_default='\/opt\/agent\/values\.xml'/);
    assert.match(ok.stdout, /rmmkit_slot=\$\{MySlot:-\}/);
    const ps = await runCli([
      'devid',
      'script',
      '--target',
      'powershell',
      '--link',
      'https://a.web/d/{ID}',
      '--udf',
      '9',
    ]);
    assert.equal(ps.code, 0);
    assert.deepEqual(lintPs2(ps.stdout), []);
    assert.match(ps.stdout, /\$raw = '9'/);
    for (const args of [
      ['--udf', '1'],
      ['--udf', '05'],
      ['--udf', 'Custom5'],
      ['--udf', '31'],
    ]) {
      const r = await runCli([
        'devid',
        'script',
        '--target',
        'sh',
        '--link',
        'https://a.web/d/{ID}',
        ...args,
      ]);
      assert.equal(r.code, 2, args.join(' '));
    }
    const nolink = await runCli(['devid', 'script', '--target', 'sh', '--udf', '7']);
    assert.equal(nolink.code, 2);
    assert.match(nolink.stderr, /--udf needs --template/);
  });
});
