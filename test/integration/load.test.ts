// The integration file loader: every problem at once with file, line, column and key path; the
// normalized form; the committed JSON Schema is current; init writes a file that checks clean.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkIntegrationText, integrationJsonSchema, loadIntegration } from '../../lib/integration/index.js';
import { renderStarter } from '../../lib/integration/init.js';
import { packageRoot } from '../../lib/paths.js';
import { runCli } from '../helpers/cli.js';

const root = packageRoot();
const minimal = (extra = '', components = '  - { id: link-win, kind: link, os: windows }') => `rmmkit: 1
vendor: V
product: P
link:
  template: https://c.example.web/d?id={ID}
  hosts: [c.example.web]
  salt: account
  udf: { slot: 5, variable: PUdfSlot }
${extra}components:
${components}
`;

describe('integration file: load, normalize, validate', () => {
  it('loads the Bright example into the normalized form', async () => {
    const i = await loadIntegration(join(root, 'policies/bright-antivirus.yaml'));
    assert.equal(i.vendor, 'Bright Software');
    assert.deepEqual(i.link.salt, { kind: 'account' });
    assert.deepEqual(i.link.udf, {
      slot: 7,
      variable: 'BrightUdfSlot',
      max: 30,
      allowSlot1: false,
      store: '',
    });
    assert.deepEqual(
      i.components.map((c) => `${c.id} ${c.kind} ${c.os} ${c.name}`),
      [
        'deploy-win deploy windows Bright Antivirus Deploy [WIN]',
        'deploy-mac deploy macos Bright Antivirus Deploy [MAC]',
        'status-win status windows Bright Antivirus Status [WIN]',
        'tasks-win tasks windows Bright Antivirus Tasks [WIN]',
        'link-win link windows Bright Antivirus Link [WIN]',
        'link-mac link macos Bright Antivirus Link [MAC]',
      ],
    );
    const deploy = i.components[0]!;
    assert.deepEqual(
      deploy.variables.map((v) => [v.name, v.default, v.builtin]),
      [
        ['LicenceKey', '', false],
        ['BrightUdfSlot', '7', true],
        ['OverwriteUdf', 'false', true],
      ],
    );
    const tasks = i.components[3]!;
    assert.deepEqual(
      tasks.variables[0]!.options.map((o) => o.value),
      ['update', 'quick', 'full', 'full-flag'],
    );
    assert.equal(
      tasks.variables[0]!.default,
      'update',
      'a selection default given by label becomes its value',
    );
    assert.equal(i.components[2]!.category, 'monitors');
  });

  it('reports every shape problem at once, each with line, column and key path', () => {
    const text = `rmmkit: 2
vendor: ''
product: P
link:
  template: https://c.example.web/d?id={ID}
  hosts: [c.example.web]
  salt: pepper
  udf: { slot: 5.5, variable: P-Slot }
components:
  - id: Deploy_1
    kind: install
    os: windows
    colour: red
`;
    const r = checkIntegrationText('x.yaml', text);
    assert.equal(r.integration, null);
    const got = r.issues.map((i) => `${i.line}:${i.column} ${i.path}`);
    assert.deepEqual(got, [
      '1:9 rmmkit',
      '2:9 vendor',
      '7:9 link.salt',
      '8:16 link.udf.slot',
      '8:31 link.udf.variable',
      '10:5 components[0]',
      '10:9 components[0].id',
      '11:11 components[0].kind',
    ]);
    assert.match(r.issues.find((i) => i.path === 'components[0]')!.message, /unknown key "colour"/);
  });

  it('reports every semantic problem at once', () => {
    const text = minimal(
      'siteVariables:\n  - { name: SiteKey, secret: true, pattern: "^[a-z]{8}$" }\n',
      `  - id: a
    kind: deploy
    os: linux
    installed: /opt/p/bin/p
    install: { msi: { attachment: p.msi } }
    variables:
      - { name: SiteKey, type: string }
      - { name: PUdfSlot, type: string }
  - id: a
    kind: tasks
    os: windows
    installed: 'C:\\p.exe'
    variables:
      - { name: Action, type: selection, options: { Go: go } }
    tasks: { variable: Action, actions: { stop: { command: [x] } } }`,
    );
    const r = checkIntegrationText('x.yaml', text);
    const msgs = r.issues.map((i) => `${i.line} ${i.path}: ${i.message}`);
    const want = [
      /^16 components\[0\]\.install\.msi: not an installer for linux/,
      /^18 components\[0\]\.variables\[0\]\.name: SiteKey is a site variable/,
      /^19 components\[0\]\.variables\[1\]\.name: PUdfSlot is added by rmmkit/,
      /^20 components\[1\]\.id: duplicate id a/,
      /^25 components\[1\]\.variables\[0\]\.options\.Go: value go has no action/,
      /^26 components\[1\]\.tasks\.actions\.stop: no option of Action has the value stop/,
    ];
    for (const w of want)
      assert.ok(
        msgs.some((m) => w.test(m)),
        `missing ${w}; got\n${msgs.join('\n')}`,
      );
  });

  it('reports YAML syntax errors with their place', () => {
    const r = checkIntegrationText('x.yaml', 'rmmkit: 1\nvendor: [a\n');
    assert.equal(r.integration, null);
    assert.ok(r.issues.length > 0 && r.issues[0]!.line >= 2, JSON.stringify(r.issues));
  });

  it('refuses a link template on an undeclared host, http, or slot 1', () => {
    const text = minimal().replace('https://c.example.web', 'http://evil.web').replace('slot: 5', 'slot: 1');
    const r = checkIntegrationText('x.yaml', text);
    const msgs = r.issues.map((i) => `${i.path}: ${i.message}`).join('\n');
    assert.match(msgs, /link\.template: uses scheme "http:"/);
    assert.match(msgs, /link\.template: points to host "evil\.web"/);
    assert.match(msgs, /link\.udf\.slot: is 1, which Ransomware Detection/);
  });

  it('accepts JSON too', () => {
    const json = JSON.stringify({
      rmmkit: 1,
      vendor: 'V',
      product: 'P',
      link: {
        template: 'https://h.web/{ID}',
        hosts: ['h.web'],
        salt: 'env:MY_SALT',
        udf: { slot: 9, variable: 'S' },
      },
      components: [{ id: 'l', kind: 'link', os: 'linux' }],
      policies: [{ anything: true }],
      datto: { platform: 'merlot' },
    });
    const r = checkIntegrationText('x.json', json);
    assert.deepEqual(r.issues, []);
    assert.deepEqual(r.integration?.link.salt, { kind: 'env', name: 'MY_SALT' });
    assert.deepEqual(r.integration?.policies, [{ anything: true }]);
    assert.equal(r.integration?.datto?.platform, 'merlot');
  });

  it('the committed schema/integration.schema.json is current (regenerate: npm run schema)', () => {
    const committed = JSON.parse(readFileSync(join(root, 'schema/integration.schema.json'), 'utf8'));
    assert.deepEqual(committed, integrationJsonSchema());
  });

  it('every example starts with the yaml-language-server line', () => {
    for (const f of ['policies/bright-antivirus.yaml', 'policies/nimbus-linux-agent.yaml']) {
      const first = readFileSync(join(root, f), 'utf8').split('\n')[0];
      assert.equal(first, '# yaml-language-server: $schema=../schema/integration.schema.json', f);
    }
  });

  it('init writes a starter that checks clean, for every OS', () => {
    const text = renderStarter({
      vendor: 'Acme',
      product: 'Acme Agent',
      link: 'https://console.acme.web/d?id={ID}',
      os: ['windows', 'macos', 'linux'],
    });
    const r = checkIntegrationText('starter.yaml', text);
    assert.deepEqual(r.issues, []);
    assert.equal(r.integration?.components.length, 6);
    assert.throws(() => renderStarter({ vendor: 'A', product: 'B', link: 'http://x.web/{ID}' }), /--link/);
  });
});

describe('rmmkit check / schema / init', () => {
  it('check: exit 0 and "valid" on the example, exit 1 with file:line:col on a bad file', async () => {
    const ok = await runCli(['check', join(root, 'policies/bright-antivirus.yaml')]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /valid \(6 components\)/);
    const dir = mkdtempSync(join(tmpdir(), 'rmmkit-check-'));
    writeFileSync(join(dir, 'bad.yaml'), minimal().replace('salt: account', 'salt: pepper'));
    const bad = await runCli(['check', 'bad.yaml'], { cwd: dir });
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /^bad\.yaml:7:9: link\.salt: must be account, site, none or env:NAME$/m);
    const json = await runCli(['check', 'bad.yaml', '--json'], { cwd: dir });
    assert.equal(json.code, 1);
    const report = JSON.parse(json.stdout);
    assert.equal(report.valid, false);
    assert.deepEqual(
      report.issues.map((i: { line: number; column: number; path: string }) => [i.line, i.column, i.path]),
      [[7, 9, 'link.salt']],
    );
  });

  it('schema prints the JSON Schema', async () => {
    const r = await runCli(['schema']);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), integrationJsonSchema());
  });

  it('init refuses to overwrite without --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rmmkit-init-'));
    const args = [
      'init',
      'i.yaml',
      '--vendor',
      'Acme',
      '--product',
      'Agent',
      '--link',
      'https://a.web/d/{ID}',
    ];
    assert.equal((await runCli(args, { cwd: dir })).code, 0);
    const again = await runCli(args, { cwd: dir });
    assert.equal(again.code, 2);
    assert.match(again.stderr, /exists; give --force/);
    assert.equal((await runCli([...args, '--force'], { cwd: dir })).code, 0);
    const check = await runCli(['check', 'i.yaml'], { cwd: dir });
    assert.equal(check.code, 0, check.stdout);
  });
});
