// Endpoint hashers under hostile conditions found in review: very long values (linear time, same
// ID), a DMI file that passes -r but cannot be opened, reserved salt names, an inherited strict mode.
import assert from 'node:assert/strict';
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectLinux } from '../../lib/devid/collect-linux.js';
import { deviceId } from '../../lib/devid/recipe.js';
import { RmmkitError, UsageError } from '../../lib/errors.js';
import { checkSaltEnvName, parseSaltSource, renderDevidScript } from '../../lib/render/devid-script.js';
import { needShells, run, runPowerShellBatch, tempDir } from '../helpers/endpoint.js';
import { loadSysfsFixtures, materializeSysfs } from '../helpers/sysfs.js';
import { needTools, WRITE_ONLY_SYSFS } from '../helpers/tools.js';

const idOf = (input: Parameters<typeof deviceId>[0]) => {
  const r = deviceId(input);
  return 'error' in r ? r.error : r.id;
};

describe('endpoint hashers: hardening', function () {
  this.timeout(120000);
  const sh = renderDevidScript({ target: 'sh' });

  const longCases: { name: string; env: Record<string, string> }[] = [
    { name: '8 KB lower-case serial', env: { DEVID_MAC: '00:1a:2b:3c:4d:5e', DEVID_BB: 'ab-'.repeat(2700) } },
    {
      name: '4 KB of colons around a MAC',
      env: { DEVID_MAC: `${':'.repeat(4000)}001a2b3c4d5e`, DEVID_BB: 'CZC1234XYZ' },
    },
    {
      name: '4 KB MAC with 13 hex digits',
      env: { DEVID_MAC: `${'-'.repeat(4000)}001a2b3c4d5e0`, DEVID_BB: 'CZC1234XYZ' },
    },
    {
      name: '16 KB salt',
      env: { DEVID_MAC: '00:1a:2b:3c:4d:5e', DEVID_BB: 'CZC1234XYZ', DEVID_SALT: ' s'.repeat(8000) },
    },
    {
      name: 'long junk serial falls to SYS',
      env: { DEVID_MAC: '00:1a:2b:3c:4d:5e', DEVID_BB: '0'.repeat(5000), DEVID_SYS: 'x'.repeat(300) + 'y' },
    },
  ];

  it('gives the library ID for very long values in every shell, in linear time', async function () {
    const shells = needShells(this, 'sh runs (dash, bash, busybox, zsh)');
    const tmp = tempDir('rmmkit-long-');
    try {
      const file = join(tmp.dir, 'devid.sh');
      writeFileSync(file, sh);
      for (const c of longCases) {
        const want = idOf({
          mac: c.env.DEVID_MAC,
          serials: { BB: c.env.DEVID_BB, SYS: c.env.DEVID_SYS },
          salt: c.env.DEVID_SALT,
        });
        for (const shell of shells) {
          // Before the tr path, the 8 KB serial took minutes per shell (quadratic loop).
          const r = await run([...shell.argv, file], c.env);
          assert.deepEqual(
            r,
            { stdout: `${want}\n`, stderr: '', code: want.length === 64 ? 0 : 1 },
            `${c.name}, ${shell.name}`,
          );
        }
      }
    } finally {
      tmp.cleanup();
    }
  });

  it('says NOT_ROOT when a DMI file passes -r but cannot be opened (write-only attribute)', async function () {
    const shells = needShells(this, 'sh runs (dash, bash, busybox, zsh)');
    needTools(this, 'NOT_ROOT on a write-only sysfs attribute', 'root-sysfs');
    const writeOnly = WRITE_ONLY_SYSFS;
    const fixture = loadSysfsFixtures().find((f) => f.name === 'physical-with-docker')!.fixture;
    const tmp = tempDir('rmmkit-wo-');
    try {
      const root = materializeSysfs(fixture, join(tmp.dir, 'sys'));
      const board = join(root, 'class', 'dmi', 'id', 'board_serial');
      rmSync(board);
      symlinkSync(writeOnly, board);
      const file = join(tmp.dir, 'devid.sh');
      writeFileSync(file, sh);
      // The library sees the same thing: EACCES on open is NOT_ROOT, never a silent fall to SYS.
      assert.equal((await collectLinux({ sysRoot: root })).error, 'NOT_ROOT');
      for (const shell of shells) {
        const r = await run([...shell.argv, file], { DEVID_SYSFS: root, CS_ACCOUNT_UID: 'x' });
        assert.deepEqual(r, { stdout: 'NOT_ROOT\n', stderr: '', code: 1 }, shell.name);
      }
    } finally {
      tmp.cleanup();
    }
  });

  const reserved = [
    'PPID',
    'PWD',
    'IFS',
    'OPTIND',
    'LC_ALL',
    'LANG',
    '_',
    'devid_bb',
    'DEVID_SALT',
    'BASH_ENV',
    'PATH',
  ];
  for (const name of reserved) {
    it(`refuses salt env:${name} (owned by the shell or the script)`, () => {
      assert.match(checkSaltEnvName(name) ?? '', /cannot carry a salt/);
      assert.throws(() => parseSaltSource(`env:${name}`), UsageError);
      assert.throws(() => renderDevidScript({ target: 'sh', salt: { kind: 'env', name } }), RmmkitError);
    });
  }
  it('accepts an ordinary variable name', () => {
    assert.equal(checkSaltEnvName('VENDOR_SALT'), null);
    assert.deepEqual(parseSaltSource('env:VENDOR_SALT'), { kind: 'env', name: 'VENDOR_SALT' });
  });

  it('refuses a hostile env name passed to the library directly (no script source from it)', () => {
    const name = "X\n[Console]::Out.Write('INJECTED')\n#";
    for (const target of ['sh', 'powershell'] as const) {
      assert.throws(
        () => renderDevidScript({ target, salt: { kind: 'env', name } }),
        (e: unknown) => e instanceof RmmkitError && e.code === 'BAD_SALT_SOURCE',
      );
    }
  });

  it('the PowerShell harness sees [Console]::Error output (so "nothing on stderr" checks mean it)', async function () {
    needTools(this, 'PowerShell runs', 'pwsh');
    const [r] = await runPowerShellBatch('[Console]::Error.Write("boom`n"); [Console]::Out.Write("x`n")\n', [
      {},
    ]);
    assert.deepEqual(r, { stdout: 'x\n', stderr: 'boom\n', code: 0 });
  });

  it('PowerShell: an inherited Set-StrictMode -Version Latest changes nothing', async function () {
    needTools(this, 'PowerShell runs', 'pwsh');
    const ps = renderDevidScript({ target: 'powershell' });
    const envs = [
      { DEVID_MAC: '00:1a:2b:3c:4d:5e', DEVID_BB: 'CZC1234XYZ' },
      { DEVID_MAC: '00:1a:2b:3c:4d:5e', DEVID_BB: 'None' },
      ...longCases.map((c) => c.env),
    ];
    const results = await runPowerShellBatch(ps, envs, {}, 'Set-StrictMode -Version Latest\n');
    envs.forEach((e, i) => {
      const want = idOf({
        mac: e.DEVID_MAC,
        serials: { BB: e.DEVID_BB, SYS: (e as Record<string, string>).DEVID_SYS },
        salt: (e as Record<string, string>).DEVID_SALT,
      });
      assert.deepEqual(
        results[i],
        { stdout: `${want}\n`, stderr: '', code: want.length === 64 ? 0 : 1 },
        JSON.stringify(e).slice(0, 80),
      );
    });
  });
});
