// Tests of `rmmkit detect build` and `rmmkit detect lint` run in-process: files, stdout, stderr, exit codes.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.js';

const oldWay = fileURLToPath(new URL('fixtures/old-way/', import.meta.url));
const SITE = '0d3a7c2e-1b4f-4c55-9a0e-5b8e2f1c9d77';

function listTree(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listTree(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

describe('rmmkit detect', () => {
  let tmp: { dir: string };
  beforeEach(() => {
    tmp = { dir: mkdtempSync(join(tmpdir(), 'rmmkit-detect-')) };
  });
  afterEach(() => rmSync(tmp.dir, { recursive: true, force: true }));

  it('builds from the datto section of an integration file, and the result lints clean', async () => {
    const integration = join(tmp.dir, 'bright.yaml');
    writeFileSync(
      integration,
      `rmmkit: 1\nvendor: Bright\nproduct: Antivirus\ndatto:\n  platform: merlot\n  accountUid: 7f1d2c3b-aaaa-4bbb-8ccc-123456789abc\n  siteUids:\n    - ${SITE}\n`,
    );
    const out = join(tmp.dir, 'rules');
    const r = await runCli(['detect', 'build', '--integration', integration, '--out', out]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /13 files for platform merlot/);
    const files = listTree(out).sort();
    assert.equal(files.length, 13);
    const rule = readFileSync(
      join(out, 'sentinel/analytic-rules/datto-rmm-unsanctioned-installer.yaml'),
      'utf8',
    );
    assert.match(rule, new RegExp(SITE));
    const lint = await runCli([
      'detect',
      'lint',
      ...files.filter((f) => /\.(yaml|kql)$/.test(f)).map((f) => join(out, f)),
    ]);
    assert.deepEqual(lint, { code: 0, stdout: '0 errors, 0 warnings in 12 files\n', stderr: '' });
  });

  it('builds from flags, site UIDs repeated, and prints JSON', async () => {
    const out = join(tmp.dir, 'rules');
    const r = await runCli([
      'detect',
      'build',
      '--platform',
      'pinotage',
      '--site-uid',
      SITE,
      '--site-uid',
      'ffffffff-1b4f-4c55-9a0e-5b8e2f1c9d77',
      '--out',
      out,
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as {
      profile: { platform: string; siteUids: string[] };
      files: string[];
    };
    assert.equal(report.profile.platform, 'pinotage');
    assert.deepEqual(report.profile.siteUids, [SITE, 'ffffffff-1b4f-4c55-9a0e-5b8e2f1c9d77']);
    assert.match(
      readFileSync(join(out, 'defender/datto-rmm-unsanctioned-platform.kql'), 'utf8'),
      /"pinotagecc\.centrastage\.net"/,
    );
  });

  it('refuses a bad profile with every problem, and writes nothing', async () => {
    const out = join(tmp.dir, 'rules');
    const r = await runCli([
      'detect',
      'build',
      '--platform',
      'mer lot',
      '--account-uid',
      'nope',
      '--out',
      out,
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /datto\.platform: "mer lot" is not a platform name/);
    assert.match(r.stderr, /datto\.accountUid: "nope" is not a Datto UID/);
    assert.deepEqual(readdirSync(tmp.dir), []);
  });

  it('needs a profile source (usage error) and refuses an integration file without one', async () => {
    const r = await runCli(['detect', 'build', '--out', join(tmp.dir, 'x')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /needs --integration FILE or --platform NAME/);
    const file = join(tmp.dir, 'i.yaml');
    writeFileSync(file, 'rmmkit: 1\n');
    const r2 = await runCli(['detect', 'build', '--integration', file, '--out', join(tmp.dir, 'x')]);
    assert.equal(r2.code, 1);
    assert.match(r2.stderr, /has no datto section/);
  });

  it('lints rules written the old way: exit 1, a JSON array of findings with stable ids', async () => {
    const files = readdirSync(oldWay)
      .sort()
      .map((f) => join(oldWay, f));
    const r = await runCli(['detect', 'lint', '--json', ...files]);
    assert.equal(r.code, 1);
    const findings = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    assert.ok(Array.isArray(findings));
    for (const f of findings)
      assert.deepEqual(Object.keys(f).sort(), ['column', 'file', 'line', 'message', 'rule', 'severity']);
    const ids = new Set(findings.map((f) => f.rule));
    for (const id of [
      'yaml-parse',
      'kql-syntax',
      'unknown-column',
      'stale-signer',
      'scalar-not-list',
      'missing-field',
    ])
      assert.ok(ids.has(id), id);
  });

  it('lints in text form, file:line:column, with a summary line', async () => {
    const r = await runCli(['detect', 'lint', join(oldWay, 'datto-signer-broken.kql')], { cwd: oldWay });
    assert.equal(r.code, 1);
    assert.equal(
      r.stdout.split('\n')[0],
      `${join(oldWay, 'datto-signer-broken.kql')}:4:21: error [stale-signer] matches the signer "Datto Inc" but not "Datto, LLC", the subject of the current Datto RMM agent certificate; add "Datto, LLC"`,
    );
    assert.match(r.stdout, /\n2 errors, 0 warnings in 1 file\n$/);
  });

  it('exits 0 when the only findings are warnings', async () => {
    const file = join(tmp.dir, 'q.kql');
    writeFileSync(file, 'SigninLogs | take 1\n');
    const r = await runCli(['detect', 'lint', file]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /warning \[unknown-table\]/);
  });

  it('refuses a rule file over 4 MB before parsing it', async () => {
    const file = join(tmp.dir, 'big.kql');
    writeFileSync(file, `DeviceNetworkEvents\n${'//'.padEnd(4 * 1024 * 1024, 'x')}\n`);
    const r = await runCli(['detect', 'lint', file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /big\.kql: \d+ bytes; a rule file over 4194304 bytes is refused/);
  });

  it('names a missing rule file, and lists its finding ids', async () => {
    const r = await runCli(['detect', 'lint', join(tmp.dir, 'none.yaml')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /none\.yaml: cannot read the rule file \(ENOENT\)/);
    const list = await runCli(['detect', 'lint', '--list-rules']);
    assert.equal(list.code, 0);
    assert.match(list.stdout, /^yaml-parse +error +/m);
    assert.match(list.stdout, /^missing-control-channel +warning +/m);
  });
});
