// Tests of the endpoint-script renderer (lib/render/devid-script.ts) and the template environment:
// view model from the TS recipe, shellcheck-clean sh, salt sources and baked link literals, strict mode.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectLinux } from '../../lib/devid/collect-linux.js';
import { VIRTUAL_OUIS } from '../../lib/devid/nics.js';
import { deviceId, JUNK_SERIALS, JUNK_UUIDS } from '../../lib/devid/recipe.js';
import {
  devidScriptView,
  parseSaltSource,
  renderDevidScript,
  type SaltSource,
} from '../../lib/render/devid-script.js';
import { renderTemplate } from '../../lib/render/handlebars.js';
import { needShells, run, runPowerShellCases, shellcheck, tempDir } from '../helpers/endpoint.js';
import { loadSysfsFixtures, materializeSysfs } from '../helpers/sysfs.js';
import { needTools } from '../helpers/tools.js';

const SALTS: SaltSource[] = [
  { kind: 'account' },
  { kind: 'site' },
  { kind: 'none' },
  { kind: 'env', name: 'MY_SALT' },
];
const LINKS = [
  undefined,
  'https://partner.bright-av.web/console/device?id={ID}',
  "https://partner.bright-av.web/it's/{ID}/x",
];

describe('devid script renderer', function () {
  this.timeout(60000);

  it('takes junk lists and virtual OUIs from the TypeScript recipe', () => {
    const view = devidScriptView({ target: 'sh' });
    assert.deepEqual(view.junkSerials, [...JUNK_SERIALS]);
    assert.deepEqual(view.junkUuids, [...JUNK_UUIDS]);
    assert.deepEqual(view.virtualOuis, Object.keys(VIRTUAL_OUIS));
    const sh = renderDevidScript({ target: 'sh' });
    const ps = renderDevidScript({ target: 'powershell' });
    for (const s of [...JUNK_SERIALS, ...JUNK_UUIDS, ...Object.keys(VIRTUAL_OUIS)]) {
      assert.ok(sh.includes(`'${s}'`), `sh lacks ${s}`);
      assert.ok(ps.includes(`'${s}'`), `PowerShell lacks ${s}`);
    }
  });

  it('renders deterministic, ASCII-only, LF-only scripts', () => {
    for (const target of ['sh', 'powershell'] as const) {
      const a = renderDevidScript({ target });
      assert.equal(a, renderDevidScript({ target }));
      assert.match(a, /^[\x09\x0a\x20-\x7e]*$/, `${target} is not printable ASCII + LF`);
      if (target === 'powershell') assert.doesNotMatch(a, /\t/);
    }
    assert.ok(renderDevidScript({ target: 'sh' }).startsWith('#!/bin/sh\n'));
  });

  it('gives sh that passes shellcheck -s sh with no findings, in every variant', function () {
    needTools(this, 'shellcheck of the sh hasher', 'shellcheck');
    for (const salt of SALTS) {
      for (const link of LINKS) {
        assert.equal(
          shellcheck(renderDevidScript({ target: 'sh', salt, link })),
          '',
          JSON.stringify({ salt, link }),
        );
      }
    }
  });

  it('parses --salt values and refuses bad env names', () => {
    assert.deepEqual(parseSaltSource('account'), { kind: 'account' });
    assert.deepEqual(parseSaltSource('site'), { kind: 'site' });
    assert.deepEqual(parseSaltSource('none'), { kind: 'none' });
    assert.deepEqual(parseSaltSource('env:MY_SALT_2'), { kind: 'env', name: 'MY_SALT_2' });
    for (const bad of ['env:', 'env:1A', 'env:A-B', 'env:A B', 'env:$(id)', "env:A'", 'Account', 'env']) {
      assert.throws(() => parseSaltSource(bad), { code: 'USAGE' }, bad);
    }
  });

  it('checks the link template at render time', () => {
    for (const bad of [
      'http://x.example/{ID}',
      'https://x.example/',
      'https://x.example/{ID}/{ID}',
      'https://u:p@x.example/{ID}',
    ]) {
      assert.throws(() => renderDevidScript({ target: 'sh', link: bad }), { code: 'BAD_LINK' }, bad);
    }
    assert.throws(
      () =>
        renderDevidScript({ target: 'sh', link: 'https://evil.example/{ID}', host: 'partner.bright-av.web' }),
      /declared host/,
    );
  });

  it('is strict: a view field the template prints but the view lacks is an error, not an empty string', () => {
    const view = devidScriptView({ target: 'sh' }) as unknown as Record<string, unknown>;
    delete view.saltDescription;
    assert.throws(() => renderTemplate('devid/devid.sh.hbs', view), /saltDescription/);
    // Handlebars does not check block-helper parameters ({{#each x}}) strictly, so renderTemplate
    // refuses an undefined field itself.
    const partial = { ...devidScriptView({ target: 'sh' }), junkUuids: undefined };
    assert.throws(() => renderTemplate('devid/devid.sh.hbs', partial), /junkUuids/);
  });

  it('reads the configured salt source on the endpoint (sh on a sysfs fixture, PowerShell with mocked WMI)', async function () {
    const shells = needShells(this, 'sh runs (dash, bash, busybox, zsh)');
    const fixture = loadSysfsFixtures().find((f) => f.name === 'physical-with-docker')!.fixture;
    const tmp = tempDir('rmmkit-salt-');
    try {
      const root = materializeSysfs(fixture, join(tmp.dir, 'sys'));
      const c = await collectLinux({ sysRoot: root });
      const env = {
        CS_ACCOUNT_UID: 'acct-1',
        CS_PROFILE_UID: 'site-2',
        MY_SALT: 'mine-3',
        DEVID_SYSFS: root,
      };
      const saltOf: Record<string, string | undefined> = {
        account: 'acct-1',
        site: 'site-2',
        none: undefined,
        env: 'mine-3',
      };
      for (const salt of SALTS) {
        const file = join(tmp.dir, `devid-${salt.kind}.sh`);
        writeFileSync(file, renderDevidScript({ target: 'sh', salt }));
        const r = deviceId({ mac: c.nics[0]?.mac, serials: c.serials, salt: saltOf[salt.kind] });
        assert.ok('id' in r);
        for (const shell of shells) {
          assert.deepEqual(
            await run([...shell.argv, file], env),
            { stdout: `${r.id}\n`, stderr: '', code: 0 },
            `${shell.name} ${salt.kind}`,
          );
        }
      }
      needTools(this, 'PowerShell runs', 'pwsh');
      const mock = [
        'function Get-WmiObject { [CmdletBinding()] param([string]$Class)',
        "  if ($Class -eq 'Win32_NetworkAdapterConfiguration') { [pscustomobject]@{ Index = 1; IPEnabled = $true; MACAddress = '3C:EC:EF:12:34:56' } }",
        "  if ($Class -eq 'Win32_NetworkAdapter') { [pscustomobject]@{ Index = 1; MACAddress = '3C:EC:EF:12:34:56'; PNPDeviceID = 'PCI\\VEN_8086'; Name = 'Intel'; NetConnectionID = 'Ethernet' } }",
        "  if ($Class -eq 'Win32_BaseBoard') { [pscustomobject]@{ SerialNumber = 'PF2ABCDE' } }",
        '}',
      ].join('\n');
      // One engine process for the four scripts: each case carries its own script through the prelude.
      const cases = SALTS.map((salt) => ({
        env: { CS_ACCOUNT_UID: 'acct-1', CS_PROFILE_UID: 'site-2', MY_SALT: 'mine-3' },
        prelude: `${mock}\n${renderDevidScript({ target: 'powershell', salt })}`,
      }));
      const got = await runPowerShellCases('# the script is in the prelude\n', cases);
      SALTS.forEach((salt, i) => {
        const r = deviceId({
          mac: '3C:EC:EF:12:34:56',
          serials: { BB: 'PF2ABCDE' },
          salt: saltOf[salt.kind],
        });
        assert.ok('id' in r);
        assert.deepEqual(got[i], { stdout: `${r.id}\n`, stderr: '', code: 0 }, `PowerShell ${salt.kind}`);
      });
    } finally {
      tmp.cleanup();
    }
  });

  it('bakes a link with a quote in it safely, in both languages', async function () {
    const shells = needShells(this, 'sh runs (dash, bash, busybox, zsh)');
    const link = "https://partner.bright-av.web/it's/{ID}/x";
    const env = { DEVID_MAC: '00:1a:2b:3c:4d:5e', DEVID_BB: 'CZC1234XYZ' };
    const r = deviceId({ mac: env.DEVID_MAC, serials: { BB: env.DEVID_BB } });
    assert.ok('id' in r);
    const want = `https://partner.bright-av.web/it's/${r.id}/x\n`;
    const tmp = tempDir('rmmkit-link-');
    try {
      const file = join(tmp.dir, 'devid.sh');
      writeFileSync(file, renderDevidScript({ target: 'sh', link }));
      for (const shell of shells) {
        assert.deepEqual(
          await run([...shell.argv, file], env),
          { stdout: want, stderr: '', code: 0 },
          shell.name,
        );
      }
    } finally {
      tmp.cleanup();
    }
    needTools(this, 'PowerShell runs', 'pwsh');
    const [got] = await runPowerShellCases(renderDevidScript({ target: 'powershell', link }), [
      { env, prelude: '' },
    ]);
    assert.deepEqual(got, { stdout: want, stderr: '', code: 0 });
  });
});
