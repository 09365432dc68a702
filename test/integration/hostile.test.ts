// Hostile values in every user variable of the built components, in every shell and in pwsh: the
// canary command (reachable only by injection) never runs, stderr stays empty, the value is either
// used intact (the salt gives the library's ID, a slot writes that slot) or refused with its message,
// and a secret never appears in any output.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deviceId } from '../../lib/devid/recipe.js';
import { renderComponentScript } from '../../lib/integration/render.js';
import type { Integration } from '../../lib/integration/types.js';
import { quoteSh } from '../../lib/render/quote.js';
import { mapLimit, needShells, run, runPwshCases, type Shell } from '../helpers/endpoint.js';
import { needTools, tool } from '../helpers/tools.js';
import {
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
} from './agent.js';
import { CENTRASTAGE, psLogDir, psPrelude, psState } from './agent-ps.js';
import { hostileValues } from './hostile.js';

const VALUES = hostileValues();
const KEY = 'ABCD1234EFGH5678';
const TOKEN = 'nb_0123456789abcdefghijklmn';
const SLOT_OK = (v: string, max = 30) =>
  v === '' || (/^[1-9][0-9]{0,2}$/.test(v) && Number(v) <= max && v !== '1');
const BOOL_OK = (v: string) => ['', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE'].includes(v);
const DAYS_OK = (v: string) => v === '' || /^[1-9][0-9]{0,3}$/.test(v);

interface Outcome {
  value: string;
  stdout: string;
  stderr: string;
  code: number;
}

/** One sh process runs every value in a subshell, each with its own output files. */
async function shBatch(
  shell: Shell,
  f: FakeRoot,
  dir: string,
  script: string,
  name: string,
  base: Record<string, string>,
  values: readonly string[],
  before = '',
): Promise<Outcome[]> {
  const lines: string[] = [];
  for (const [n, v] of Object.entries(base)) lines.push(`${n}=${quoteSh(v)}; export ${n}`);
  values.forEach((v, k) => {
    lines.push(
      `( ${before}${name}=${quoteSh(v)}; export ${name}; cd ${quoteSh(dir)} && . ${quoteSh(script)} ) > ${quoteSh(join(f.root, `o${k}`))} 2> ${quoteSh(join(f.root, `e${k}`))}`,
      `printf '%s\\n' "$?" > ${quoteSh(join(f.root, `c${k}`))}`,
    );
  });
  const driver = join(f.root, 'driver.sh');
  writeFileSync(driver, `${lines.filter(Boolean).join('\n')}\n`);
  const r = await run([tool(shell.tool) as string, ...shell.argv.slice(1), driver], f.env);
  assert.equal(r.stderr, '', `${shell.name}: driver stderr`);
  return values.map((value, k) => ({
    value,
    stdout: readFileSync(join(f.root, `o${k}`), 'utf8'),
    stderr: readFileSync(join(f.root, `e${k}`), 'utf8'),
    code: Number(readFileSync(join(f.root, `c${k}`), 'utf8')),
  }));
}

function noInjection(where: string, f: { canary: string }, outs: Outcome[]): void {
  assert.equal(existsSync(f.canary), false, `${where}: the canary ran`);
  for (const o of outs)
    assert.equal(o.stderr, '', `${where} ${JSON.stringify(o.value.slice(0, 60))}: stderr`);
}

function secretNeverShown(where: string, outs: Outcome[]): void {
  for (const o of outs)
    if (o.value.length >= 6) assert.ok(!o.stdout.includes(o.value), `${where}: the secret value was printed`);
}

describe('hostile values in every user variable', () => {
  let bright: Integration;
  let nimbus: Integration;
  before(async () => {
    bright = await loadExample('bright-antivirus');
    nimbus = await loadExample('nimbus-linux-agent');
  });

  it(`has at least 300 values (${VALUES.length}), none with NUL`, () => {
    assert.ok(VALUES.length >= 300);
    assert.ok(VALUES.every((v) => !v.includes('\0')));
  });

  it('sh components, every shell: slots, OverwriteUdf, licence and token, max age, the salt', async function () {
    this.timeout(900_000);
    const shells = needShells(this, 'hostile values in the sh components');
    const { materializeSysfs, loadSysfsFixtures } = await import('../helpers/sysfs.js');
    const fx = loadSysfsFixtures().find((x) => x.name === 'physical-with-docker')!.fixture;
    const serials = { BB: 'PF2ABCDE', SYS: 'MJ0XYZ12', UUID: '4c4c4544-0051-3410-8053-b4c04f4a3132' };
    // Two shells at a time (the machine has two cores); each runs every value of every variable.
    await mapLimit(shells, 2, async (shell) => {
      const f = fakeRoot();
      try {
        const n = forFakeAgent(nimbus, f.root);
        const b = forFakeAgent(bright, f.root);
        installs(f, [component(n, 'deploy-lin').installed, component(b, 'deploy-mac').installed]);
        installNow(f);
        const sys = materializeSysfs(fx, join(f.root, 'sysfs'));
        const link = jobFolder(f, n, component(n, 'link-lin'));
        const slot = await shBatch(shell, f, link.dir, link.script, 'NimbusUdfSlot', DEVICE, VALUES);
        noInjection(`${shell.name} NimbusUdfSlot`, f, slot);
        for (const o of slot) {
          if (SLOT_OK(o.value))
            assert.equal(o.code, 0, `${shell.name} slot ${JSON.stringify(o.value)}: ${o.stdout}`);
          else {
            assert.equal(o.code, 1, `${shell.name} slot ${JSON.stringify(o.value.slice(0, 40))}`);
            assert.equal(
              o.stdout,
              'rmmkit: NimbusUdfSlot must be a whole number from 2 to 30 (digits only)\n',
            );
          }
        }
        const ow = await shBatch(shell, f, link.dir, link.script, 'OverwriteUdf', DEVICE, VALUES);
        noInjection(`${shell.name} OverwriteUdf`, f, ow);
        for (const o of ow)
          assert.equal(
            o.code,
            BOOL_OK(o.value) ? 0 : 1,
            `${shell.name} OverwriteUdf ${JSON.stringify(o.value.slice(0, 40))}`,
          );
        // The salt arrives intact: the link carries the library's ID for exactly that salt.
        rmSync(f.store, { force: true });
        const salt = await shBatch(
          shell,
          f,
          link.dir,
          link.script,
          'CS_PROFILE_UID',
          { DEVID_SYSFS: sys, OverwriteUdf: 'true' },
          VALUES,
        );
        noInjection(`${shell.name} CS_PROFILE_UID`, f, salt);
        for (const o of salt) {
          const want = deviceId({ mac: '3c:ec:ef:12:34:56', serials, salt: o.value });
          if ('id' in want) {
            assert.equal(
              o.code,
              0,
              `${shell.name} salt ${JSON.stringify(o.value.slice(0, 40))}: ${o.stdout}`,
            );
            assert.ok(
              o.stdout.endsWith(`/machines/${want.id}/overview\n`),
              `${shell.name} salt ${JSON.stringify(o.value.slice(0, 40))}`,
            );
          } else {
            assert.equal(o.code, 4);
            assert.match(o.stdout, new RegExp(want.error));
          }
        }
        const mac = jobFolder(f, b, component(b, 'deploy-mac'));
        const base = { ...DEVICE, FAKE_UNAME: 'Darwin', LicenceKey: KEY };
        const key = await shBatch(shell, f, mac.dir, mac.script, 'LicenceKey', base, VALUES);
        noInjection(`${shell.name} LicenceKey`, f, key);
        secretNeverShown(`${shell.name} LicenceKey`, key);
        for (const o of key)
          assert.equal(o.code, 1, `${shell.name} LicenceKey ${JSON.stringify(o.value.slice(0, 40))}`);
        const bslot = await shBatch(shell, f, mac.dir, mac.script, 'BrightUdfSlot', base, VALUES);
        noInjection(`${shell.name} BrightUdfSlot`, f, bslot);
        for (const o of bslot)
          assert.equal(
            o.code,
            SLOT_OK(o.value) ? 0 : 1,
            `${shell.name} BrightUdfSlot ${JSON.stringify(o.value.slice(0, 40))}`,
          );
        const lin = jobFolder(f, n, component(n, 'deploy-lin'));
        const token = await shBatch(
          shell,
          f,
          lin.dir,
          lin.script,
          'NimbusSiteToken',
          { ...DEVICE, NimbusSiteToken: TOKEN },
          VALUES,
        );
        noInjection(`${shell.name} NimbusSiteToken`, f, token);
        secretNeverShown(`${shell.name} NimbusSiteToken`, token);
        for (const o of token) assert.equal(o.code, 1);
        const status = jobFolder(f, n, component(n, 'status-lin'));
        const age = await shBatch(
          shell,
          f,
          status.dir,
          status.script,
          'MaxBackupAgeDays',
          { FAKE_EPOCH: String(Math.floor(Date.now() / 1000)) },
          VALUES,
        );
        noInjection(`${shell.name} MaxBackupAgeDays`, f, age);
        for (const o of age) {
          const blocks = resultBlocks(o.stdout);
          assert.equal(blocks.results.length, 1, `${shell.name} age: ${o.stdout}`);
          assert.equal(blocks.results[0], DAYS_OK(o.value) ? 'Status=OK' : 'Status=BAD_SETTING');
        }
      } finally {
        rmSync(f.root, { recursive: true, force: true });
      }
    });
  });

  it('PowerShell components under pwsh: licence, slot, OverwriteUdf, Action, MaxAgeDays, the salt', async function () {
    this.timeout(900_000);
    needTools(this, 'hostile values in the PowerShell components', 'pwsh');
    const dir = psLogDir();
    const canary = join(dir, 'CANARY');
    const bvcmd = 'C:\\Program Files\\Bright\\Antivirus\\BvCmd.exe';
    const deploy = renderComponentScript(bright, component(bright, 'deploy-win'));
    const tasks = renderComponentScript(bright, component(bright, 'tasks-win'));
    const status = renderComponentScript(bright, component(bright, 'status-win'));
    const link = renderComponentScript(bright, component(bright, 'link-win'));
    const installed = psPrelude({
      files: [bvcmd],
      running: ['BvAntiSrv'],
      cli: [bvcmd],
      regExe: { 'HKLM\\SOFTWARE\\Bright\\Antivirus|LicenceKey|64': KEY },
    });
    const wmi = psPrelude({ wmi: { mac: '00:1A:2B:3C:4D:5E', baseboard: 'CZC1234XYZ' } });
    const now = String(Math.floor(Date.now() / 1000));
    const groups: Array<{ name: string; script: string; prelude: string; env: Record<string, string> }> = [
      { name: 'LicenceKey', script: deploy, prelude: installed, env: { ...DEVICE } },
      { name: 'BrightUdfSlot', script: deploy, prelude: installed, env: { ...DEVICE, LicenceKey: KEY } },
      { name: 'OverwriteUdf', script: link, prelude: installed, env: { ...DEVICE } },
      { name: 'Action', script: tasks, prelude: installed, env: {} },
      { name: 'MaxAgeDays', script: status, prelude: installed, env: { FAKE_EPOCH: now } },
      { name: 'CS_ACCOUNT_UID', script: link, prelude: wmi, env: {} },
    ];
    let n = 0;
    const cases = groups.flatMap((g) =>
      VALUES.map((value) => ({
        group: g.name,
        value,
        log: join(dir, `l${n++}`),
        script: g.script,
        prelude: g.prelude,
        env: { ...g.env, [g.name]: value },
      })),
    );
    const results = await runPwshCases(
      cases.map((c) => ({
        script: c.script,
        prelude: c.prelude,
        env: { OS: 'Windows_NT', FAKE_LOG: c.log, FAKE_CANARY: canary, ...c.env },
      })),
      {},
      2,
    );
    assert.equal(existsSync(canary), false, 'the canary ran in PowerShell');
    for (const [k, c] of cases.entries()) {
      const r = results[k]!;
      const what = `${c.group} ${JSON.stringify(c.value.slice(0, 40))}`;
      assert.equal(r.stderr, '', `${what}: stderr ${r.stderr}`);
      const v = c.value;
      switch (c.group) {
        case 'LicenceKey':
          assert.equal(r.code, 1, what);
          if (v.length >= 6) assert.ok(!r.stdout.includes(v), `${what}: the secret was printed`);
          break;
        case 'BrightUdfSlot':
          assert.equal(r.code, SLOT_OK(v) ? 0 : 1, `${what}: ${r.stdout}`);
          if (SLOT_OK(v))
            assert.equal(
              psState(c.log)[`${CENTRASTAGE}|Custom${v || '7'}`],
              `https://partner.bright-av.web/console/device?id=${DEVICE_ID}`,
            );
          break;
        case 'OverwriteUdf':
          assert.equal(r.code, BOOL_OK(v) ? 0 : 1, `${what}: ${r.stdout}`);
          break;
        case 'Action':
          assert.equal(r.code, 1, what);
          assert.match(r.stdout, /Action must be one of/);
          break;
        case 'MaxAgeDays':
          assert.deepEqual(
            resultBlocks(r.stdout).results,
            [DAYS_OK(v) ? 'Status=OK' : 'Status=BAD_SETTING'],
            what,
          );
          break;
        case 'CS_ACCOUNT_UID': {
          const want = deviceId({ mac: '00:1A:2B:3C:4D:5E', serials: { BB: 'CZC1234XYZ' }, salt: v });
          if ('id' in want) {
            assert.equal(r.code, 0, `${what}: ${r.stdout}`);
            assert.equal(
              psState(c.log)[`${CENTRASTAGE}|Custom7`],
              `https://partner.bright-av.web/console/device?id=${want.id}`,
              what,
            );
          } else {
            assert.equal(r.code, 4, what);
            assert.match(r.stdout, new RegExp(want.error));
          }
          break;
        }
      }
    }
  });
});
