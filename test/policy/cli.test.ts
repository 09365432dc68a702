// Tests of `rmmkit policy …` run in-process: build writes the .pcy, sheets and components; inspect,
// diff (exit 1 when different), sheet and probe --redact; bad input exits 1 with a clear message.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPolicy } from '../../lib/policy/profile.js';
import { runCli } from '../helpers/cli.js';
import { inTempDir, POLICIES_DIR } from './helpers.js';

const BRIGHT = join(POLICIES_DIR, 'bright-antivirus.policies.yaml');
const MSP = join(POLICIES_DIR, 'msp-baseline.yaml');

describe('rmmkit policy (CLI)', () => {
  it('in an integration file: check and build report a bad policy with its line; a monitor must name a monitors component', async () => {
    await inTempDir(async (dir) => {
      const text = readFileSync(join(POLICIES_DIR, 'bright-antivirus.yaml'), 'utf8')
        .replace(
          'icon: bright-antivirus/icon.png',
          `icon: ${join(POLICIES_DIR, 'bright-antivirus/icon.png')}`,
        )
        .replace(/attachment: bright-antivirus\//g, `attachment: ${join(POLICIES_DIR, 'bright-antivirus')}/`)
        .replace(/(script|attachment): bright-antivirus\//g, `$1: ${join(POLICIES_DIR, 'bright-antivirus')}/`)
        .replace('codes: [26108]', 'codes: [70000]')
        .replace('component: status-win', 'component: tasks-win');
      const file = join(dir, 'bright.yaml');
      writeFileSync(file, text);
      const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
      const check = await runCli(['check', file, '--json'], { cwd: dir });
      assert.equal(check.code, 1, check.stdout + check.stderr);
      const issues = JSON.parse(check.stdout).issues as { path: string; line: number; message: string }[];
      const code = issues.find((i) => i.path === 'policies[0].monitors[0].codes[0]');
      assert.ok(code, JSON.stringify(issues));
      assert.equal(code.line, lineOf('codes: [70000]'));
      assert.match(code.message, /65535/);
      const comp = issues.find((i) => i.path.startsWith('policies[0].monitors[1].component'));
      assert.ok(comp, JSON.stringify(issues));
      assert.equal(comp.line, lineOf('component: tasks-win'));
      assert.match(comp.message, /monitors/);
      const build = await runCli(['build', file, '--out', join(dir, 'out')], { cwd: dir });
      assert.equal(build.code, 1);
      assert.match(build.stderr, new RegExp(`line ${lineOf('codes: [70000]')}`));
      assert.equal(existsSync(join(dir, 'out')), false, 'nothing written');
    });
  });

  it('build writes each policy as .pcy with its sheets and the components to import', async () => {
    await inTempDir(async (dir) => {
      const r = await runCli(['policy', 'build', BRIGHT, '--out', join(dir, 'out')], { cwd: dir });
      assert.equal(r.stderr, '');
      assert.equal(r.code, 0);
      assert.deepEqual(r.stdout.trim().split('\n'), [
        'out/bright-antivirus-alerts.pcy',
        'out/bright-antivirus-alerts.sheet.md',
        'out/bright-antivirus-alerts.sheet.html',
        'out/components/bright-antivirus-status-win.cpt',
      ]);
      const pcy = readFileSync(join(dir, 'out/bright-antivirus-alerts.pcy'));
      assert.equal(readPolicy('x', pcy).monitors.length, 3);
      assert.ok(
        readFileSync(join(dir, 'out/components/bright-antivirus-status-win.cpt')).equals(
          readFileSync(join(POLICIES_DIR, 'components/bright-antivirus-status-win.cpt')),
        ),
      );
      // a second build refuses to replace, --force replaces with the same bytes
      const again = await runCli(['policy', 'build', BRIGHT, '--out', join(dir, 'out')], { cwd: dir });
      assert.equal(again.code, 1);
      assert.match(again.stderr, /bright-antivirus-alerts\.pcy: already exists; pass --force to replace it/);
      const forced = await runCli(['policy', 'build', BRIGHT, '--out', join(dir, 'out'), '--force'], {
        cwd: dir,
      });
      assert.equal(forced.code, 0);
      assert.ok(readFileSync(join(dir, 'out/bright-antivirus-alerts.pcy')).equals(pcy));
    });
  });

  it('build of the MSP baseline writes two policies', async () => {
    await inTempDir(async (dir) => {
      const r = await runCli(['policy', 'build', MSP, '--out', dir]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(readdirSync(dir).sort(), [
        'msp-baseline-security-watch.pcy',
        'msp-baseline-security-watch.sheet.html',
        'msp-baseline-security-watch.sheet.md',
        'msp-baseline-windows-health.pcy',
        'msp-baseline-windows-health.sheet.html',
        'msp-baseline-windows-health.sheet.md',
      ]);
    });
  });

  it('build reports every validation problem with its line and exits 1', async () => {
    await inTempDir(async (dir) => {
      const file = join(dir, 'bad.yaml');
      writeFileSync(
        file,
        'policies:\n  - name: X\n    monitors:\n      - type: eventlog\n        log: ""\n        source: S\n        codes: [70000]\n        eventTypes: [Error]\n',
      );
      const r = await runCli(['policy', 'build', file, '--out', join(dir, 'out')]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /bad\.yaml is not valid \(2 errors\):/);
      assert.match(
        r.stderr,
        /policies\[0\]\.monitors\[0\]\.log: the log name may not be empty \(line 5, column 9\)/,
      );
      assert.match(
        r.stderr,
        /policies\[0\]\.monitors\[0\]\.codes\[0\]: 70000 is too large; the most allowed is 65535 \(line 7, column 17\)/,
      );
      assert.ok(!existsSync(join(dir, 'out')), 'nothing written');
    });
  });

  it('inspect prints a summary, --json the policy view', async () => {
    await inTempDir(async (dir) => {
      await runCli(['policy', 'build', BRIGHT, '--out', dir]);
      const pcy = join(dir, 'bright-antivirus-alerts.pcy');
      const r = await runCli(['policy', 'inspect', pcy]);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^policy {6}"Bright Antivirus alerts"\nscope {7}global, enabled\n/);
      assert.match(
        r.stdout,
        /1\. Event Log monitor: Application \/ Bright Antivirus: event 26108 \(Error\)\n {5}High, auto-resolve 60 min, responses: ticket/,
      );
      assert.match(
        r.stdout,
        /component embedded: Bright Antivirus Status \[WIN\] \(6f1c2a0e-5b7d-4c3e-9a41-2d8e7f6b1c35\); MaxAgeDays="7"/,
      );
      const j = await runCli(['policy', 'inspect', pcy, '--json']);
      const v = JSON.parse(j.stdout);
      assert.equal(v[0].monitors[2].process, 'BvAntiSrv.exe');
      assert.equal(v[0].monitors[1].component.category, 'monitors');
    });
  });

  it('diff exits 0 for the same policy (YAML against its .pcy) and 1 with the differences', async () => {
    await inTempDir(async (dir) => {
      await runCli(['policy', 'build', BRIGHT, '--out', dir]);
      const pcy = join(dir, 'bright-antivirus-alerts.pcy');
      assert.deepEqual(await runCli(['policy', 'diff', BRIGHT, pcy]), {
        code: 0,
        stdout: 'no differences\n',
        stderr: '',
      });
      const changed = join(dir, 'changed.yaml');
      writeFileSync(
        changed,
        readFileSync(BRIGHT, 'utf8')
          .replace('components/', `${POLICIES_DIR}components/`)
          .replace('autoResolveMins: 60', 'autoResolveMins: 30'),
      );
      const r = await runCli(['policy', 'diff', pcy, changed]);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '~ monitors[0].autoResolveMins: 60 → 30\n');
      const j = await runCli(['policy', 'diff', pcy, changed, '--json']);
      assert.deepEqual(JSON.parse(j.stdout), [
        { path: 'monitors[0].autoResolveMins', kind: 'changed', a: 60, b: 30 },
      ]);
    });
  });

  it('sheet prints Markdown or HTML, or writes --out', async () => {
    await inTempDir(async (dir) => {
      const md = await runCli(['policy', 'sheet', BRIGHT]);
      assert.equal(md.code, 0);
      assert.match(md.stdout, /^# Build sheet: Bright Antivirus alerts\n/);
      const html = await runCli(['policy', 'sheet', BRIGHT, '--format', 'html']);
      assert.match(html.stdout, /^<!DOCTYPE html>\n<html lang="en">/);
      const out = join(dir, 's.html');
      const w = await runCli(['policy', 'sheet', BRIGHT, '--format', 'html', '--out', out]);
      assert.equal(w.code, 0);
      assert.equal(readFileSync(out, 'utf8'), html.stdout);
      const bad = await runCli(['policy', 'sheet', BRIGHT, '--format', 'pdf']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /Invalid values:[\s\S]*format/);
    });
  });

  it('probe prints the structure and --redact writes a copy without the original values', async () => {
    await inTempDir(async (dir) => {
      await runCli(['policy', 'build', MSP, '--out', dir]);
      const pcy = join(dir, 'msp-baseline-security-watch.pcy');
      const red = join(dir, 'red.pcy');
      const r = await runCli(['policy', 'probe', pcy, '--redact', red]);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^ZIP archive, \d+ bytes\nentries \(1, archive order\):\n {2}policy\.xml/);
      assert.match(r.stdout, /policy\/monitor\/responses\/email {2}3\n/);
      assert.match(r.stderr, /redacted copy written to .*red\.pcy/);
      const copy = readFileSync(red).toString('latin1');
      const xml = (await import('../../lib/io/zip.js')).readZip('r', readFileSync(red)).entries[0]!.data;
      const text = Buffer.from(xml).toString('utf8');
      for (const s of [
        'soc@example.com',
        'noc@example.com',
        'MSP baseline',
        'Security-Auditing',
        'Invoke-Expression',
      ])
        assert.ok(!text.includes(s) && !copy.includes(s), `${s} survived`);
      assert.match(text, /<email>user1@example\.com<\/email>/);
      const json = await runCli(['policy', 'probe', red, '--json']);
      assert.equal(JSON.parse(json.stdout).entries[0].probe.root.name, 'policy');
    });
  });

  it('refuses a missing file, a directory and an unreadable .pcy with exit 1', async () => {
    await inTempDir(async (dir) => {
      const missing = await runCli(['policy', 'inspect', join(dir, 'none.pcy')]);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /none\.pcy: cannot read \(ENOENT\)/);
      const d = await runCli(['policy', 'probe', dir]);
      assert.equal(d.code, 1);
      assert.match(d.stderr, /is a directory; expected a file/);
      writeFileSync(join(dir, 'x.pcy'), Buffer.from('PK\x03\x04garbage'));
      const g = await runCli(['policy', 'inspect', join(dir, 'x.pcy')]);
      assert.equal(g.code, 1);
      assert.match(g.stderr, /x\.pcy: not a zip archive \(11 bytes, truncated or empty\)/);
    });
  });
});
