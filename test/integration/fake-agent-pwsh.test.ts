// The Windows components under real pwsh with a fake agent: functions shadowing Test-Path, the
// registry cmdlets, Get-Process, Stop-Process, Start-Process, reg.exe, WMI and the product CLI record
// every call. Expected links come from the DEVID1 worked examples, not from the scripts.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { deviceId } from '../../lib/devid/recipe.js';
import { renderComponentScript } from '../../lib/integration/render.js';
import type { Integration } from '../../lib/integration/types.js';
import { type PsResult, runPwshCases } from '../helpers/endpoint.js';
import { needTools } from '../helpers/tools.js';
import { component, DEVICE, DEVICE_ID, loadExample, resultBlocks } from './agent.js';
import { CENTRASTAGE, type PsWorld, psCalls, psJobFolder, psLogDir, psPrelude, psState } from './agent-ps.js';

const LINK = `https://partner.bright-av.web/console/device?id=${DEVICE_ID}`;
const KEY = 'ABCD1234EFGH5678';
const BVCMD = 'C:\\Program Files\\Bright\\Antivirus\\BvCmd.exe';
const UDF7 = `${CENTRASTAGE}|Custom7`;
const LICENCE = 'HKLM\\SOFTWARE\\Bright\\Antivirus|LicenceKey|64';

interface Case {
  name: string;
  script: string;
  world: PsWorld;
  env: Record<string, string>;
}

interface Outcome extends PsResult {
  calls: string[][];
  state: Record<string, string>;
  name: string;
}

let logs = 0;
async function runCases(cases: Case[], extraPrelude = ''): Promise<Outcome[]> {
  const dir = psLogDir();
  const logFiles = cases.map(() => join(dir, `case-${logs++}.log`));
  const results = await runPwshCases(
    cases.map((c, k) => ({
      script: c.script,
      prelude: `${psPrelude(c.world)}\n${extraPrelude}`,
      env: { OS: 'Windows_NT', FAKE_LOG: logFiles[k] as string, FAKE_CANARY: join(dir, 'CANARY'), ...c.env },
    })),
  );
  return results.map((r, k) => ({
    ...r,
    name: (cases[k] as Case).name,
    calls: psCalls(logFiles[k] as string),
    state: psState(logFiles[k] as string, {
      ...(cases[k] as Case).world.reg,
      ...prefixRegExe((cases[k] as Case).world.regExe),
    }),
  }));
}

const prefixRegExe = (o: Record<string, string> = {}) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [`regexe:${k}`, v]));

const named = (o: Outcome, ...names: string[]) => o.calls.filter((c) => names.includes(c[0] as string));

describe('fake agent: Windows components under pwsh', () => {
  let bright: Integration;
  let scripts: Record<string, string>;
  let job: string;
  before(async function () {
    needTools(this, 'running the built PowerShell components', 'pwsh');
    bright = await loadExample('bright-antivirus');
    scripts = Object.fromEntries(
      ['deploy-win', 'status-win', 'tasks-win', 'link-win'].map((id) => [
        id,
        renderComponentScript(bright, component(bright, id)),
      ]),
    );
    job = psJobFolder({ 'BrightAV.msi': 'msi bytes' });
  });

  it('deploy [WIN]: MSI, licence in the 64-bit view via reg.exe, installer tray ended, link; idempotent; every bad input changes nothing', async () => {
    const fresh: PsWorld = { cwd: job, installs: [BVCMD], running: ['BvTray'] };
    const installed: PsWorld = {
      cwd: job,
      files: [BVCMD],
      reg: { [UDF7]: LINK },
      regExe: { [LICENCE]: KEY },
    };
    const d = scripts['deploy-win'] as string;
    const env = { LicenceKey: KEY, ...DEVICE };
    const out = await runCases([
      { name: 'fresh', script: d, world: fresh, env },
      { name: 'second run', script: d, world: installed, env },
      { name: 'bad key', script: d, world: fresh, env: { ...env, LicenceKey: 'abcd1234efgh5678' } },
      { name: 'key + newline', script: d, world: fresh, env: { ...env, LicenceKey: `${KEY}\n` } },
      { name: 'empty key', script: d, world: fresh, env: { ...env, LicenceKey: '' } },
      { name: 'bad slot', script: d, world: fresh, env: { ...env, BrightUdfSlot: 'Custom5' } },
      { name: 'slot 1', script: d, world: fresh, env: { ...env, BrightUdfSlot: '1' } },
      { name: 'foreign UDF', script: d, world: { ...installed, reg: { [UDF7]: 'asset 42' } }, env },
      {
        name: 'overwrite',
        script: d,
        world: { ...installed, reg: { [UDF7]: 'asset 42' } },
        env: { ...env, OverwriteUdf: 'true' },
      },
      { name: 'hasher error', script: d, world: installed, env: { ...env, DEVID_MAC: '01:00:5e:00:00:01' } },
      { name: 'installer fails', script: d, world: fresh, env: { ...env, FAKE_INSTALLER_RC: '1603' } },
      { name: 'reboot pending', script: d, world: fresh, env: { ...env, FAKE_INSTALLER_RC: '3010' } },
      { name: 'not Windows', script: d, world: fresh, env: { ...env, OS: '' } },
      {
        name: 'UDF write denied',
        script: d,
        world: installed,
        env: { ...env, FAKE_REG_FAIL: '1', BrightUdfSlot: '9' },
      },
    ]);
    const by = Object.fromEntries(out.map((o) => [o.name, o]));
    for (const o of out) {
      assert.equal(o.stderr, '', `${o.name}: stderr ${o.stderr}`);
      assert.ok(!o.stdout.includes(KEY), `${o.name}: the key is never printed`);
    }
    const f = by.fresh!;
    assert.equal(f.code, 0, f.stdout);
    assert.deepEqual(named(f, 'Start-Process'), [
      [
        'Start-Process',
        'msiexec.exe',
        `/i "${join(job, 'BrightAV.msi')}" /qn /norestart REBOOT=ReallySuppress`,
      ],
    ]);
    assert.deepEqual(named(f, 'Stop-Process'), [['Stop-Process', 'BvTray']]);
    assert.deepEqual(named(f, 'reg.exe'), [
      ['reg.exe', 'query', 'HKLM\\SOFTWARE\\Bright\\Antivirus', '/v', 'LicenceKey', '/reg:64'],
      [
        'reg.exe',
        'add',
        'HKLM\\SOFTWARE\\Bright\\Antivirus',
        '/v',
        'LicenceKey',
        '/t',
        'REG_SZ',
        '/d',
        KEY,
        '/f',
        '/reg:64',
      ],
    ]);
    assert.equal(f.state[UDF7], LINK);
    assert.deepEqual(named(f, 'New-ItemProperty'), [['New-ItemProperty', CENTRASTAGE, 'Custom7', 'String']]);

    const s = by['second run']!;
    assert.equal(s.code, 0, s.stdout);
    assert.match(s.stdout, /already installed; not reinstalling/);
    assert.match(s.stdout, /licence key is already set/);
    assert.match(s.stdout, /already holds this device's link/);
    assert.deepEqual(named(s, 'Start-Process', 'New-ItemProperty', 'Stop-Process'), []);
    assert.deepEqual(
      named(s, 'reg.exe').map((c) => c[1]),
      ['query'],
    );

    for (const n of ['bad key', 'key + newline', 'empty key', 'bad slot', 'slot 1', 'not Windows']) {
      const o = by[n]!;
      assert.equal(o.code, 1, `${n}: ${o.stdout}`);
      assert.deepEqual(named(o, 'Start-Process', 'reg.exe', 'New-ItemProperty'), [], `${n}: nothing changed`);
    }
    assert.match(by['bad key']!.stdout, /LicenceKey does not have the expected form/);
    assert.match(by['bad slot']!.stdout, /BrightUdfSlot must be a whole number from 2 to 30/);
    assert.match(by['not Windows']!.stdout, /runs on Windows only/);

    const foreign = by['foreign UDF']!;
    assert.equal(foreign.code, 3, foreign.stdout);
    assert.equal(foreign.state[UDF7], 'asset 42');
    assert.equal(by.overwrite!.code, 0);
    assert.equal(by.overwrite!.state[UDF7], LINK);
    const hasher = by['hasher error']!;
    assert.equal(hasher.code, 4);
    assert.match(hasher.stdout, /no device ID \(NO_NIC\)/);
    assert.equal(hasher.state[UDF7], LINK, 'the old value stays');
    const failed = by['installer fails']!;
    assert.equal(failed.code, 2);
    assert.match(failed.stdout, /installer exited with code 1603/);
    assert.deepEqual(named(failed, 'reg.exe', 'New-ItemProperty'), []);
    assert.equal(by['reboot pending']!.code, 0);
    assert.match(by['reboot pending']!.stdout, /never does/);
    const denied = by['UDF write denied']!;
    assert.equal(denied.code, 4);
    assert.match(denied.stdout, /could not write UDF 9/);
  });

  it('link [WIN]: collects through WMI (shadowed) and salts with CS_ACCOUNT_UID', async () => {
    const salt = 'a1b2c3d4-0000-4000-8000-000000000001';
    const [o] = await runCases([
      {
        name: 'wmi',
        script: scripts['link-win'] as string,
        world: { wmi: { mac: '00:1A:2B:3C:4D:5E', baseboard: '/7XYZ123/CN1296314A0123/' } },
        env: { CS_ACCOUNT_UID: salt },
      },
    ]);
    // DEVID1 worked example 3 of the spec.
    const id = 'f65c806fd58462681752a281c52eb78a42b57eff77470ef4d3e801a228a8b209';
    assert.equal(o!.code, 0, o!.stdout);
    assert.equal(o!.state[UDF7], `https://partner.bright-av.web/console/device?id=${id}`);
    assert.ok(o!.calls.some((c) => c[0] === 'WMI' && c[1] === 'Win32_BaseBoard'));
  });

  it('status [WIN]: one result block on every path', async () => {
    const now = Math.floor(Date.now() / 1000);
    const st = scripts['status-win'] as string;
    const up: PsWorld = { files: [BVCMD], running: ['BvAntiSrv'], cli: [BVCMD] };
    const cases: Array<[string, PsWorld, Record<string, string>, number, string]> = [
      ['healthy', up, { FAKE_EPOCH: String(now - 2 * 86400) }, 0, 'OK'],
      ['out of date', up, { FAKE_EPOCH: String(now - 9 * 86400) }, 1, 'OUT_OF_DATE'],
      ['limit raised', up, { FAKE_EPOCH: String(now - 9 * 86400), MaxAgeDays: '10' }, 0, 'OK'],
      ['missing', { running: ['BvAntiSrv'] }, {}, 1, 'NOT_INSTALLED'],
      ['stopped', { files: [BVCMD], cli: [BVCMD] }, { FAKE_EPOCH: String(now) }, 1, 'NOT_RUNNING'],
      ['unreadable', up, { FAKE_EPOCH: 'last tuesday' }, 1, 'UNREADABLE'],
      ['cli fails', up, { FAKE_EPOCH: String(now), FAKE_CLI_RC: '5' }, 1, 'UNREADABLE'],
      ['bad setting', up, { FAKE_EPOCH: String(now), MaxAgeDays: '07' }, 1, 'BAD_SETTING'],
      ['not Windows', up, { OS: 'Darwin' }, 1, 'UNSUPPORTED_OS'],
    ];
    const out = await runCases(cases.map(([name, world, env]) => ({ name, script: st, world, env })));
    for (const [k, [name, , , code, status]] of cases.entries()) {
      const o = out[k]!;
      const blocks = resultBlocks(o.stdout);
      assert.deepEqual(blocks.results, [`Status=${status}`], `${name}: ${o.stdout}`);
      assert.equal(blocks.diagnostics.length, 1, name);
      assert.equal(o.code, code, name);
      assert.equal(o.stderr, '', name);
    }
    assert.deepEqual(named(out[0]!, 'cli'), [['cli', '--status']]);
  });

  it('tasks [WIN]: each Action maps to exactly one command; anything else is refused', async () => {
    const t = scripts['tasks-win'] as string;
    const world: PsWorld = { files: [BVCMD], cli: [BVCMD] };
    const actions: Array<[string, string[]]> = [
      ['update', ['cli', '--Update']],
      ['quick', ['cli', '--QuickScan']],
      ['full', ['cli', '--FullScan']],
      [
        'full-flag',
        [
          'reg.exe',
          'add',
          'HKLM\\SOFTWARE\\Bright\\Antivirus\\Tasks',
          '/v',
          'FullScanOnStart',
          '/t',
          'REG_DWORD',
          '/d',
          '1',
          '/f',
          '/reg:64',
        ],
      ],
    ];
    const refused = ['Update', 'update ', 'quick;full', '', 'full-flag\n', 'UPDATE', '--Update'];
    const out = await runCases([
      ...actions.map(([a]) => ({ name: a, script: t, world, env: { Action: a } })),
      ...refused.map((a) => ({ name: `refused ${JSON.stringify(a)}`, script: t, world, env: { Action: a } })),
      { name: 'missing product', script: t, world: { cli: [BVCMD] }, env: { Action: 'update' } },
    ]);
    for (const [k, [a, call]] of actions.entries()) {
      const o = out[k]!;
      assert.equal(o.code, 0, `${a}: ${o.stdout}`);
      assert.deepEqual(named(o, 'cli', 'reg.exe'), [call], a);
    }
    for (const o of out.slice(actions.length, actions.length + refused.length)) {
      assert.equal(o.code, 1, o.name);
      assert.match(o.stdout, /Action must be one of: update, quick, full, full-flag/);
      assert.deepEqual(named(o, 'cli', 'reg.exe'), [], o.name);
    }
    const missing = out.at(-1)!;
    assert.equal(missing.code, 2);
    assert.deepEqual(named(missing, 'cli'), []);
  });

  it('the same ID as the TypeScript library for a salted support-mode run', async () => {
    const [o] = await runCases([
      {
        name: 'salted',
        script: scripts['link-win'] as string,
        world: {},
        env: { ...DEVICE, DEVID_SALT: 'Acme Site' },
      },
    ]);
    const r = deviceId({ mac: DEVICE.DEVID_MAC, serials: { BB: DEVICE.DEVID_BB }, salt: 'Acme Site' });
    assert.ok('id' in r);
    assert.equal(o!.state[UDF7], `https://partner.bright-av.web/console/device?id=${r.id}`);
  });

  it('devid script --udf 9: the standalone hasher writes Custom9', async () => {
    const { renderDevidUdfScript } = await import('../../lib/integration/render.js');
    const text = renderDevidUdfScript({
      target: 'powershell',
      salt: { kind: 'account' },
      link: 'https://a.example.web/d/{ID}',
      udf: { kind: 'slot', slot: 9 },
    });
    const out = await runCases([
      { name: 'write', script: text, world: {}, env: { ...DEVICE } },
      {
        name: 'foreign',
        script: text,
        world: { reg: { [`${CENTRASTAGE}|Custom9`]: 'x' } },
        env: { ...DEVICE },
      },
    ]);
    assert.equal(out[0]!.code, 0, out[0]!.stdout);
    assert.equal(out[0]!.state[`${CENTRASTAGE}|Custom9`], `https://a.example.web/d/${DEVICE_ID}`);
    assert.equal(out[1]!.code, 3);
    assert.equal(out[1]!.stderr, '');
  });

  it('deploy [WIN] from a pinned HTTPS download (exe): run only when the SHA-256 matches', async () => {
    const { createHash } = await import('node:crypto');
    const { checkIntegrationText } = await import('../../lib/integration/load.js');
    const content = 'fake exe bytes';
    const sha = createHash('sha256').update(content).digest('hex');
    const text = `rmmkit: 1
vendor: V
product: P
link: { template: 'https://c.example.web/d/{ID}', hosts: [c.example.web], salt: none, udf: { slot: 5, variable: PSlot } }
components:
  - id: deploy-win
    kind: deploy
    os: windows
    installed: 'C:\\P\\p.exe'
    link: false
    install:
      exe: { url: 'https://dl.example.web/setup.exe', sha256: ${sha} }
      arguments: [/S, '/D=C:\\P']
`;
    const r = checkIntegrationText('p.yaml', text);
    assert.deepEqual(r.issues, []);
    const i = r.integration!;
    const script = renderComponentScript(i, component(i, 'deploy-win'));
    // New-Object shadowed for the WebClient: DownloadFile writes FAKE_DOWNLOAD and records the URL.
    const web = `
function New-Object { param([string]$TypeName)
  if ($TypeName -ne 'System.Net.WebClient') { return Microsoft.PowerShell.Utility\\New-Object $TypeName }
  $o = Microsoft.PowerShell.Utility\\New-Object PSObject
  $o | Add-Member -MemberType ScriptMethod -Name DownloadFile -Value { param($u, $p) Write-FakeCall 'DownloadFile' $u; [IO.File]::WriteAllText($p, $env:FAKE_DOWNLOAD) }
  return $o
}`;
    const world = { installs: ['C:\\P\\p.exe'] };
    const out = await runCases(
      [
        { name: 'match', script, world, env: { FAKE_DOWNLOAD: content } },
        { name: 'tampered', script, world, env: { FAKE_DOWNLOAD: 'evil' } },
      ].map((c) => ({ ...c, script: c.script, world: c.world })),
      web,
    );
    const [ok, bad] = out;
    assert.equal(ok!.code, 0, ok!.stdout);
    assert.equal(ok!.stderr, '');
    const start = named(ok!, 'Start-Process');
    assert.equal(start.length, 1);
    assert.match(start[0]![1]!, /rmmkit-deploy-win[\\/]setup\.exe$/);
    assert.equal(start[0]![2], '/S /D=C:\\P');
    assert.deepEqual(named(ok!, 'DownloadFile'), [['DownloadFile', 'https://dl.example.web/setup.exe']]);
    assert.equal(existsSync(start[0]![1]!), false, 'the downloaded installer is not kept');
    assert.equal(bad!.code, 2, bad!.stdout);
    assert.match(bad!.stdout, /does not match its pinned SHA-256/);
    assert.deepEqual(named(bad!, 'Start-Process'), [], 'an unverified download is never run');
  });
});
