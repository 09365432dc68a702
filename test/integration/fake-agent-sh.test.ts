// The macOS and Linux components under a fake agent, in every shell the spec names: stub commands
// that record their arguments, a temporary values.xml store, CS_* and user variables in the
// environment. Expected links come from the DEVID1 worked examples, not from the scripts.
import assert from 'node:assert/strict';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { deviceId } from '../../lib/devid/recipe.js';
import type { Integration } from '../../lib/integration/types.js';
import { needShells, run, type Shell } from '../helpers/endpoint.js';
import { tool } from '../helpers/tools.js';
import {
  calls,
  clearCalls,
  component,
  DEVICE,
  DEVICE_ID,
  type FakeRoot,
  fakeRoot,
  forFakeAgent,
  installNow,
  installs,
  jobFolder,
  loadExample,
  resultBlocks,
  storeValue,
} from './agent.js';

const BRIGHT_LINK = `https://partner.bright-av.web/console/device?id=${DEVICE_ID}`;
const NIMBUS_LINK = `https://portal.nimbus-backup.web/machines/${DEVICE_ID}/overview`;
const KEY = 'ABCD1234EFGH5678';
const TOKEN = 'nb_0123456789abcdefghijklmn';

async function runIn(shell: Shell, f: FakeRoot, dir: string, script: string, env: Record<string, string>) {
  const argv = [tool(shell.tool) as string, ...shell.argv.slice(1), script];
  const r = await run(argv, { ...f.env, ...env }, undefined, dir);
  return { ...r, code: r.code ?? -1 };
}

const names = (f: FakeRoot) => calls(f).map((c) => c[0]);

describe('fake agent: macOS and Linux components in every shell', () => {
  let bright: Integration;
  let nimbus: Integration;
  let shells: readonly Shell[] = [];
  before(async function () {
    shells = needShells(this, 'running the built sh components');
    bright = await loadExample('bright-antivirus');
    nimbus = await loadExample('nimbus-linux-agent');
  });

  it('link [MAC]: writes the link, second run changes nothing, foreign value left alone, overwrite on request', async () => {
    for (const shell of shells) {
      const f = fakeRoot();
      const i = forFakeAgent(bright, f.root);
      const job = jobFolder(f, i, component(i, 'link-mac'));
      const env = { FAKE_UNAME: 'Darwin', ...DEVICE };
      const first = await runIn(shell, f, job.dir, job.script, env);
      assert.equal(first.code, 0, `${shell.name}: ${first.stdout}`);
      assert.equal(first.stderr, '', shell.name);
      assert.equal(storeValue(f, 7), BRIGHT_LINK, shell.name);
      assert.match(first.stdout, /wrote the console link into UDF 7/);
      const second = await runIn(shell, f, job.dir, job.script, env);
      assert.equal(second.code, 0);
      assert.match(second.stdout, /UDF 7 already holds this device's link/, shell.name);
      assert.equal(storeValue(f, 7), BRIGHT_LINK);
      // A value of someone else's in the slot: left alone (exit 3) unless OverwriteUdf=true.
      writeFileSync(
        f.store,
        '<values>\n  <value name="Custom7" type="string">asset tag &amp; owner</value>\n</values>\n',
      );
      const foreign = await runIn(shell, f, job.dir, job.script, env);
      assert.equal(foreign.code, 3, `${shell.name}: ${foreign.stdout}`);
      assert.match(foreign.stdout, /not a Bright Antivirus link .*left alone/);
      assert.equal(storeValue(f, 7), 'asset tag & owner');
      const forced = await runIn(shell, f, job.dir, job.script, { ...env, OverwriteUdf: 'true' });
      assert.equal(forced.code, 0);
      assert.equal(storeValue(f, 7), BRIGHT_LINK);
      // An older link of ours (hardware changed) is replaced without OverwriteUdf.
      writeFileSync(
        f.store,
        `<values><value name="Custom7" type="string">https://partner.bright-av.web/console/device?id=${'0'.repeat(64)}</value><value name="Custom9" type="string">keep</value></values>`,
      );
      const moved = await runIn(shell, f, job.dir, job.script, env);
      assert.equal(moved.code, 0);
      assert.equal(storeValue(f, 7), BRIGHT_LINK);
      assert.equal(storeValue(f, 9), 'keep', 'other values of the store survive');
      rmSync(f.root, { recursive: true, force: true });
    }
  });

  it('link: bad slots, bad OverwriteUdf, hasher error and the wrong OS change nothing', async () => {
    for (const shell of shells) {
      const f = fakeRoot();
      const i = forFakeAgent(nimbus, f.root);
      const job = jobFolder(f, i, component(i, 'link-lin'));
      for (const slot of ['05', ' 5', '5;x', 'Custom5', '0', '1', '31', '-3', '5 ', '1e1', '٥']) {
        const r = await runIn(shell, f, job.dir, job.script, { ...DEVICE, NimbusUdfSlot: slot });
        assert.equal(r.code, 1, `${shell.name} slot ${JSON.stringify(slot)}: ${r.stdout}`);
        assert.equal(r.stdout, 'rmmkit: NimbusUdfSlot must be a whole number from 2 to 30 (digits only)\n');
        assert.equal(r.stderr, '');
      }
      const ow = await runIn(shell, f, job.dir, job.script, { ...DEVICE, OverwriteUdf: 'yes' });
      assert.equal(ow.code, 1);
      const nic = await runIn(shell, f, job.dir, job.script, {
        DEVID_MAC: 'ff:ff:ff:ff:ff:ff',
        DEVID_BB: 'X1234',
      });
      assert.equal(nic.code, 4, nic.stdout);
      assert.match(nic.stdout, /no device ID \(NO_NIC\); UDF 12 left as it is/);
      const hw = await runIn(shell, f, job.dir, job.script, {
        DEVID_MAC: DEVICE.DEVID_MAC,
        DEVID_BB: 'To be filled by O.E.M.',
      });
      assert.equal(hw.code, 4);
      assert.match(hw.stdout, /NO_HW_ID/);
      const mac = await runIn(shell, f, job.dir, job.script, { ...DEVICE, FAKE_UNAME: 'Darwin' });
      assert.equal(mac.code, 1);
      assert.match(mac.stdout, /runs on Linux only \(uname -s says Darwin\)/);
      assert.equal(storeValue(f, 12), null, `${shell.name}: nothing written`);
      const ok = await runIn(shell, f, job.dir, job.script, { ...DEVICE, NimbusUdfSlot: '30' });
      assert.equal(ok.code, 0);
      assert.equal(storeValue(f, 30), NIMBUS_LINK);
      rmSync(f.root, { recursive: true, force: true });
    }
  });

  it('link [LIN]: collects from sysfs and salts with the site UID from CS_PROFILE_UID', async () => {
    const { materializeSysfs, loadSysfsFixtures } = await import('../helpers/sysfs.js');
    const fx = loadSysfsFixtures().find((x) => x.name === 'physical-with-docker')!.fixture;
    for (const shell of shells) {
      const f = fakeRoot();
      const sys = materializeSysfs(fx, `${f.root}/sysfs`);
      const i = forFakeAgent(nimbus, f.root);
      const job = jobFolder(f, i, component(i, 'link-lin'));
      const r = await runIn(shell, f, job.dir, job.script, { DEVID_SYSFS: sys });
      assert.equal(r.code, 0, `${shell.name}: ${r.stdout}`);
      const expected = deviceId({
        mac: '3c:ec:ef:12:34:56',
        serials: { BB: 'PF2ABCDE', SYS: 'MJ0XYZ12', UUID: '4c4c4544-0051-3410-8053-b4c04f4a3132' },
        salt: f.env.CS_PROFILE_UID,
      });
      assert.ok('id' in expected);
      assert.equal(storeValue(f, 12), `https://portal.nimbus-backup.web/machines/${expected.id}/overview`);
      rmSync(f.root, { recursive: true, force: true });
    }
  });

  it('deploy [MAC]: pinned download, installer, AppleScript licence, link; idempotent second run', async () => {
    for (const shell of shells) {
      const f = fakeRoot();
      const i2 = forFakeAgent(bright, f.root);
      const c2 = component(i2, 'deploy-mac');
      installs(f, [c2.installed]);
      const job = jobFolder(f, i2, c2);
      const env = { FAKE_UNAME: 'Darwin', LicenceKey: KEY, ...DEVICE };
      const first = await runIn(shell, f, job.dir, job.script, env);
      assert.equal(first.code, 0, `${shell.name}: ${first.stdout}`);
      assert.equal(first.stderr, '');
      const made = calls(f).filter((x) => x[0] !== 'uname');
      assert.deepEqual(made[0]!.slice(0, 1), ['curl']);
      assert.ok(made[0]!.includes('https://downloads.bright-av.web/mac/BrightAV-20.4.pkg'));
      assert.ok(made[0]!.includes('=https'), 'curl refuses non-https redirects');
      assert.deepEqual(made[1]!.slice(0, 2), ['installer', '-pkg']);
      assert.deepEqual(made[1]!.slice(3), ['-target', '/']);
      assert.deepEqual(made[2], ['pgrep', '-x', 'Bright Antivirus Setup Assistant']);
      assert.deepEqual(made[3], ['pkill', '-x', 'Bright Antivirus Setup Assistant']);
      assert.deepEqual(made[4], ['osascript', './licence.applescript', KEY]);
      assert.equal(storeValue(f, 7), BRIGHT_LINK);
      assert.ok(!first.stdout.includes(KEY), 'the licence key is never printed');
      assert.deepEqual(readdirSync(f.env.TMPDIR as string), [], 'the downloaded installer is not kept');
      clearCalls(f);
      const second = await runIn(shell, f, job.dir, job.script, env);
      assert.equal(second.code, 0);
      assert.match(second.stdout, /already installed; not reinstalling/);
      assert.match(second.stdout, /already holds this device's link/);
      assert.deepEqual(
        names(f).filter((n) => n !== 'uname'),
        ['osascript'],
        `${shell.name}: only the licence step runs again`,
      );
      rmSync(f.root, { recursive: true, force: true });
    }
  });

  it('deploy [MAC]: a bad licence key, a bad slot or a download that does not match change nothing', async () => {
    for (const shell of shells) {
      const f = fakeRoot();
      const i = forFakeAgent(bright, f.root);
      const job = jobFolder(f, i, component(i, 'deploy-mac'));
      const base = { FAKE_UNAME: 'Darwin', ...DEVICE };
      for (const key of [
        '',
        'abcd1234efgh5678',
        'ABCD1234EFGH567',
        'ABCD1234EFGH5678\nX',
        'ABCD1234EFGH56789',
      ]) {
        clearCalls(f);
        const r = await runIn(shell, f, job.dir, job.script, { ...base, LicenceKey: key });
        assert.equal(r.code, 1, `${shell.name} ${JSON.stringify(key)}: ${r.stdout}`);
        assert.match(r.stdout, /LicenceKey (is empty|does not have the expected form)/);
        assert.deepEqual(
          names(f).filter((n) => n !== 'uname'),
          [],
          'nothing ran',
        );
        if (key) assert.ok(!r.stdout.includes(key));
      }
      clearCalls(f);
      const slot = await runIn(shell, f, job.dir, job.script, {
        ...base,
        LicenceKey: KEY,
        BrightUdfSlot: '07',
      });
      assert.equal(slot.code, 1);
      assert.deepEqual(
        names(f).filter((n) => n !== 'uname'),
        [],
      );
      clearCalls(f);
      const bad = await runIn(shell, f, job.dir, job.script, {
        ...base,
        LicenceKey: KEY,
        FAKE_DOWNLOAD: 'tampered',
      });
      assert.equal(bad.code, 2, bad.stdout);
      assert.match(bad.stdout, /does not match its pinned SHA-256/);
      assert.deepEqual(
        names(f).filter((n) => n !== 'uname'),
        ['curl'],
        'the installer never runs',
      );
      const old = await runIn(shell, f, job.dir, job.script, {
        ...base,
        LicenceKey: KEY,
        FAKE_SWVERS: '10.12.6',
      });
      assert.equal(old.code, 1);
      assert.match(old.stdout, /needs macOS 10\.13 or later \(this is 10\.12\.6\)/);
      assert.equal(storeValue(f, 7), null);
      rmSync(f.root, { recursive: true, force: true });
    }
  });

  it('deploy [LIN]: deb through dpkg, the site-variable token through the product CLI, then the link', async () => {
    for (const shell of shells) {
      const f = fakeRoot();
      const i = forFakeAgent(nimbus, f.root);
      const c = component(i, 'deploy-lin');
      installs(f, [c.installed]);
      const job = jobFolder(f, i, c);
      assert.equal(
        c.variables.some((v) => v.name === 'NimbusSiteToken'),
        false,
        'the token is no component variable',
      );
      // dpkg is a stub; rpm is absent from the fake PATH.
      const env = { NimbusSiteToken: TOKEN, ...DEVICE };
      const first = await runIn(shell, f, job.dir, job.script, env);
      assert.equal(first.code, 0, `${shell.name}: ${first.stdout}`);
      assert.equal(first.stderr, '');
      const made = calls(f).filter((x) => x[0] !== 'uname');
      assert.equal(made[0]![0], 'curl');
      assert.ok(made[0]!.includes('https://get.nimbus-backup.web/linux/nimbus-agent_3.2.1_amd64.deb'));
      assert.deepEqual(made[1]!.slice(0, 2), ['dpkg', '-i']);
      assert.deepEqual(made[2], ['nimbusctl', 'enroll', '--token-env', 'NimbusSiteToken']);
      assert.equal(storeValue(f, 12), NIMBUS_LINK);
      assert.ok(!first.stdout.includes(TOKEN));
      const bad = await runIn(shell, f, job.dir, job.script, { ...env, NimbusSiteToken: 'nb_short' });
      assert.equal(bad.code, 1);
      assert.match(bad.stdout, /NimbusSiteToken does not have the expected form/);
      const missing = await runIn(shell, f, job.dir, job.script, { ...DEVICE });
      assert.equal(missing.code, 1);
      assert.match(missing.stdout, /NimbusSiteToken is empty; set it as a site variable/);
      // Without dpkg the rpm is installed; with neither, the system is not supported.
      rmSync(c.installed);
      rmSync(`${f.bin}/dpkg`);
      clearCalls(f);
      const rpm = await runIn(shell, f, job.dir, job.script, env);
      assert.equal(rpm.code, 0, rpm.stdout);
      const viaRpm = calls(f).filter((x) => x[0] !== 'uname');
      assert.ok(viaRpm[0]!.includes('https://get.nimbus-backup.web/linux/nimbus-agent-3.2.1-1.x86_64.rpm'));
      assert.deepEqual(viaRpm[1]!.slice(0, 3), ['rpm', '-U', '--replacepkgs']);
      rmSync(c.installed);
      rmSync(`${f.bin}/rpm`);
      const neither = await runIn(shell, f, job.dir, job.script, env);
      assert.equal(neither.code, 1);
      assert.equal(neither.stdout, 'rmmkit: this component needs dpkg or rpm\n');
      rmSync(f.root, { recursive: true, force: true });
    }
  });

  it('status [LIN]: one result block on every path; healthy, out of date, not running, missing, unreadable', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const shell of shells) {
      const f = fakeRoot();
      const i = forFakeAgent(nimbus, f.root);
      const c = component(i, 'status-lin');
      installs(f, [c.installed]);
      const job = jobFolder(f, i, c);
      const runStatus = (env: Record<string, string>) => runIn(shell, f, job.dir, job.script, env);
      const missing = await runStatus({});
      installNow(f);
      const cases: Array<[string, Record<string, string>, number, string]> = [
        ['healthy', { FAKE_EPOCH: String(now - 86400) }, 0, 'OK'],
        ['out of date', { FAKE_EPOCH: String(now - 3 * 86400) }, 1, 'OUT_OF_DATE'],
        ['limit raised', { FAKE_EPOCH: String(now - 3 * 86400), MaxBackupAgeDays: '4' }, 0, 'OK'],
        ['not running', { FAKE_RUNNING: '0', FAKE_EPOCH: String(now) }, 1, 'NOT_RUNNING'],
        ['unreadable', { FAKE_EPOCH: 'yesterday' }, 1, 'UNREADABLE'],
        ['CLI fails', { FAKE_EPOCH: String(now), FAKE_CLI_RC: '3' }, 1, 'UNREADABLE'],
        ['future', { FAKE_EPOCH: String(now + 10 * 86400) }, 1, 'UNREADABLE'],
        ['bad setting', { FAKE_EPOCH: String(now), MaxBackupAgeDays: '2d' }, 1, 'BAD_SETTING'],
        ['wrong OS', { FAKE_UNAME: 'Darwin' }, 1, 'UNSUPPORTED_OS'],
      ];
      const results = [['missing', missing, 1, 'NOT_INSTALLED'] as const];
      for (const [name, env, code, status] of cases) {
        const r = await runStatus(env);
        (results as unknown as unknown[]).push([name, r, code, status]);
      }
      for (const [name, r, code, status] of results as unknown as Array<
        [string, { stdout: string; stderr: string; code: number }, number, string]
      >) {
        const blocks = resultBlocks(r.stdout);
        assert.deepEqual(blocks.results, [`Status=${status}`], `${shell.name} ${name}: ${r.stdout}`);
        assert.equal(blocks.diagnostics.length, 1);
        assert.equal(r.code, code, `${shell.name} ${name}`);
        assert.equal(r.stderr, '');
      }
      rmSync(f.root, { recursive: true, force: true });
    }
  });

  it('devid script --udf env:NAME: the standalone hasher writes the link into the slot the variable names', async () => {
    const { renderDevidUdfScript } = await import('../../lib/integration/render.js');
    const text = renderDevidUdfScript({
      target: 'sh',
      salt: { kind: 'none' },
      link: 'https://a.example.web/d?x=1&id={ID}',
      udf: { kind: 'env', name: 'VendorSlot' },
    });
    for (const shell of shells) {
      const f = fakeRoot();
      const script = `${f.root}/link.sh`;
      writeFileSync(script, text);
      const unset = await runIn(shell, f, f.root, script, { ...DEVICE });
      assert.equal(unset.code, 1, `${shell.name}: an unset slot variable is refused`);
      assert.match(unset.stdout, /the UDF slot must be a whole number from 2 to 30/);
      const ok = await runIn(shell, f, f.root, script, { ...DEVICE, VendorSlot: '11', FAKE_UNAME: 'Darwin' });
      assert.equal(ok.code, 0, ok.stdout);
      assert.equal(storeValue(f, 11), `https://a.example.web/d?x=1&id=${DEVICE_ID}`);
      rmSync(f.root, { recursive: true, force: true });
    }
  });

  it('tasks [LIN]: each Action runs exactly one command; anything else is refused', async () => {
    const { checkIntegrationText } = await import('../../lib/integration/load.js');
    const text = `rmmkit: 1
vendor: V
product: P
link: { template: 'https://c.example.web/d/{ID}', hosts: [c.example.web], salt: none, udf: { slot: 5, variable: PSlot } }
components:
  - id: tasks-lin
    kind: tasks
    os: linux
    installed: /opt/p/bin/pctl
    variables:
      - { name: Action, type: selection, options: { Sync now: sync, Restart: restart }, default: Sync now }
    tasks:
      variable: Action
      actions:
        sync: { command: [/opt/p/bin/pctl, sync, --now] }
        restart: { command: [/opt/p/bin/pctl, restart] }
`;
    const r = checkIntegrationText('p.yaml', text);
    assert.deepEqual(r.issues, []);
    const { renderComponentScript } = await import('../../lib/integration/render.js');
    const { shellcheck } = await import('../helpers/endpoint.js');
    const findings = shellcheck(
      renderComponentScript(r.integration!, component(r.integration!, 'tasks-lin')),
    );
    if (findings !== null) assert.equal(findings, '', 'shellcheck');
    for (const shell of shells) {
      const f = fakeRoot();
      const i = forFakeAgent(r.integration!, f.root);
      const c = component(i, 'tasks-lin');
      installs(f, [c.installed]);
      const job = jobFolder(f, i, c);
      const missing = await runIn(shell, f, job.dir, job.script, { Action: 'sync' });
      assert.equal(missing.code, 2, `${shell.name}: ${missing.stdout}`);
      installNow(f);
      for (const [action, argv] of [
        ['sync', ['pctl', 'sync', '--now']],
        ['restart', ['pctl', 'restart']],
      ] as const) {
        clearCalls(f);
        const o = await runIn(shell, f, job.dir, job.script, { Action: action });
        assert.equal(o.code, 0, `${shell.name} ${action}: ${o.stdout}`);
        assert.equal(o.stderr, '');
        assert.deepEqual(
          calls(f).filter((x) => x[0] !== 'uname'),
          [argv],
        );
      }
      for (const bad of ['', 'Sync', 'sync ', 'sync;restart', '*', 'restart\n']) {
        clearCalls(f);
        const o = await runIn(shell, f, job.dir, job.script, { Action: bad });
        assert.equal(o.code, 1, `${shell.name} ${JSON.stringify(bad)}`);
        assert.match(o.stdout, /Action must be one of: sync, restart/);
        assert.deepEqual(
          calls(f).filter((x) => x[0] !== 'uname'),
          [],
        );
      }
      rmSync(f.root, { recursive: true, force: true });
    }
  });
});
