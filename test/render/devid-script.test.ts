// Tests of the endpoint-script renderer (lib/render/devid-script.ts) and the template environment:
// view model from the TS recipe, shellcheck-clean sh, salt sources and baked link literals, strict mode.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectLinux } from '../../lib/devid/collect-linux.js';
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
  // '$' and '`' are literal in a URL; shellcheck must not read them as expansions (SC2016).
  'https://partner.bright-av.web/$HOME/device?id={ID}&q=`id`$(id)',
];

describe('devid script renderer', function () {
  this.timeout(60000);

  it('bakes in the frozen junk lists and virtual OUIs of the spec', () => {
    // Retyped from devid1.md §2 and §6.2 on purpose: a list that drifts from the spec must fail here.
    const SPEC_JUNK = `TOBEFILLEDBYOEM DEFAULTSTRING DEFAULT NONE NOTAPPLICABLE NOTSPECIFIED NOTAVAILABLE
      UNKNOWN UNKNOW INVALID EMPTY NULL NULLSTRING SYSTEMSERIALNUMBER SYSTEMSERIALNUMB SERIALNUMBER
      SERIALNUMBERXXXXXX BASEBOARDSERIALNUMBER CHASSISSERIALNUMBER OEMSERIAL OEMNOTSPECIFY EVAL IATPASS
      TULIPCOMPUTERS 0123456789 12345 123456 1234567 12345678 123456789 1234567890 123456789000
      12345678901234567 SYS1234567890 SYS9876543210 SN12345 SN1234567890 SN123456FVGV3I0B8O5N6N7K
      MB1234567890`.split(/\s+/);
    const SPEC_JUNK_UUID = `03000200040005000006000700080009 030201000504070608090A0B0C0D0E0F
      10000000000080000040000000000000 6AB5B300538D10149FB5B0684D007B53 01010101010101010101010101010101
      02000100030004000005000600070008 FEFEFEFEFEFEFEFEFEFEFEFEFEFEFEFE`.split(/\s+/);
    const SPEC_OUIS = '000569 000C29 001C14 005056 00155D 0003FF 080027 0A0027 001C42 00163E 525400'.split(
      ' ',
    );
    const view = devidScriptView({ target: 'sh' });
    assert.deepEqual([...view.junkSerials].sort(), [...SPEC_JUNK].sort());
    assert.deepEqual([...view.junkUuids].sort(), [...SPEC_JUNK_UUID].sort());
    assert.deepEqual([...view.virtualOuis].sort(), [...SPEC_OUIS].sort());
    const sh = renderDevidScript({ target: 'sh' });
    const ps = renderDevidScript({ target: 'powershell' });
    for (const s of [...SPEC_JUNK, ...SPEC_JUNK_UUID, ...SPEC_OUIS]) {
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
      // Both runs hash MAC 3CECEF123456 and BB PF2ABCDE; the IDs were computed independently with
      // Python's hashlib from DEVID1|3CECEF123456|BB:PF2ABCDE|<sha256(salt)> and pasted here.
      const idOf: Record<string, string> = {
        account: 'bd231be1a1d33158077c4d10c0e52ed282e45fdffa1a99e56ba22a8f538f412c',
        site: 'c4013b4a707115afd4355fb58eab72cd5e91b04cfada15646471fa2c7fab37e6',
        none: '052ced28cce4a5926a64d2fa2408a553c3db27467f03d143aa3b4e945101dcf9',
        env: '62932069dc3bb645ed554af17e9d8d31c0a57b045c4b58aaca0aad0d96932f36',
      };
      assert.equal(c.nics[0]?.canonicalMac, '3CECEF123456');
      for (const salt of SALTS) {
        const file = join(tmp.dir, `devid-${salt.kind}.sh`);
        writeFileSync(file, renderDevidScript({ target: 'sh', salt }));
        for (const shell of shells) {
          assert.deepEqual(
            await run([...shell.argv, file], env),
            { stdout: `${idOf[salt.kind]}\n`, stderr: '', code: 0 },
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
        assert.deepEqual(
          got[i],
          { stdout: `${idOf[salt.kind]}\n`, stderr: '', code: 0 },
          `PowerShell ${salt.kind}`,
        );
      });
    } finally {
      tmp.cleanup();
    }
  });

  it('keeps $ and ` of a link template out of single quotes, so shellcheck has no SC2016', function () {
    needTools(this, 'shellcheck of the sh hasher', 'shellcheck');
    const link = 'https://partner.bright-av.web/$HOME/device?id={ID}&q=`id`';
    const sh = renderDevidScript({ target: 'sh', link });
    assert.ok(sh.includes("'https://partner.bright-av.web/'\\$'HOME/device?id='"), 'the $ is not escaped');
    // shellcheck reports SC2016 (info) by default; the helper passes no severity filter.
    assert.equal(shellcheck(sh), '');
  });

  it('bakes a link with a quote, $ and ` in it safely, in both languages', async function () {
    const shells = needShells(this, 'sh runs (dash, bash, busybox, zsh)');
    const link = "https://partner.bright-av.web/it's/$HOME/{ID}/x?q=`id`$(id)";
    const env = { DEVID_MAC: '00:1a:2b:3c:4d:5e', DEVID_BB: 'CZC1234XYZ' };
    // devid1.md §4, worked example 1.
    const want =
      "https://partner.bright-av.web/it's/$HOME/244e9c1dba980da994b0d24b29f7df91b24134f467e8e47a6ebbf6bbc5d79ca4/x?q=`id`$(id)\n";
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
