// How lib/devid/collect-endpoint.ts runs the hasher on Windows, with stand-in PowerShell executables
// (small sh scripts on PATH) that record what they were given: which one is tried first, the
// arguments, the script file, the environment; and the exact output contract of the parser.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHasherOutput, runEndpointHasher } from '../../lib/devid/collect-endpoint.js';
import { renderDevidScript } from '../../lib/render/devid-script.js';

const ID = '0123456789abcdef'.repeat(4);

describe('runEndpointHasher on win32 (stand-in PowerShells)', () => {
  let dir: string;
  let bin: string;
  let saved: string | undefined;
  let savedMac: string | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rmmkit-fakeps-'));
    bin = join(dir, 'bin');
    mkdirSync(bin);
    saved = process.env.PATH;
    savedMac = process.env.DEVID_MAC;
  });
  afterEach(() => {
    process.env.PATH = saved;
    if (savedMac === undefined) delete process.env.DEVID_MAC;
    else process.env.DEVID_MAC = savedMac;
    rmSync(dir, { recursive: true, force: true });
  });

  /** A stand-in that logs its name, arguments, script copy and environment, then prints `out`. */
  const fake = (name: string, out: string) => {
    const log = join(dir, `${name}.log`);
    writeFileSync(
      join(bin, name),
      [
        '#!/bin/sh',
        `{ printf '%s\\n' "$@"; printf 'TRACE=%s\\n' "$DEVID_TRACE"; printf 'SALT=[%s]\\n' "$RMMKIT_DEVID_SALT";`,
        `  printf 'MAC=%s\\n' "\${DEVID_MAC-unset}"; } > '${log}'`,
        `for a in "$@"; do f=$a; done; /bin/cp "$f" '${join(dir, `${name}.script`)}'`,
        `printf '${out}'`,
      ].join('\n'),
      { mode: 0o755 },
    );
    return log;
  };

  it('runs the PowerShell script with -File through pwsh, with the salt in the environment only', () => {
    const log = fake('pwsh', `nic=Ethernet\\r\\n${ID}\\r\\n`);
    process.env.PATH = bin;
    process.env.DEVID_MAC = '00:11:22:33:44:55';
    assert.deepEqual(runEndpointHasher('win32', ' acct-1 '), {
      nic: 'Ethernet',
      result: { id: ID },
      runner: 'pwsh',
    });
    const lines = readFileSync(log, 'utf8').split('\n');
    const file = lines[5] as string;
    assert.deepEqual(lines.slice(0, 5), [
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-File',
    ]);
    assert.match(file, /devid\.ps1$/);
    assert.deepEqual(lines.slice(6), ['TRACE=1', 'SALT=[ acct-1 ]', 'MAC=unset', '']);
    assert.equal(existsSync(file), false, 'the script file is removed afterwards');
    assert.equal(
      readFileSync(join(dir, 'pwsh.script'), 'utf8'),
      renderDevidScript({ target: 'powershell', salt: { kind: 'env', name: 'RMMKIT_DEVID_SALT' } }),
    );
  });

  it('passes an empty salt when none is given', () => {
    const log = fake('pwsh', 'nic=\\nNO_NIC\\n');
    process.env.PATH = bin;
    assert.deepEqual(runEndpointHasher('win32', undefined), {
      nic: '',
      result: { error: 'NO_NIC' },
      runner: 'pwsh',
    });
    assert.ok(readFileSync(log, 'utf8').includes('SALT=[]\n'));
  });

  it('prefers powershell.exe, then pwsh.exe, then pwsh', () => {
    fake('pwsh', `nic=c\\n${ID}\\n`);
    fake('pwsh.exe', `nic=b\\n${ID}\\n`);
    process.env.PATH = bin;
    assert.equal(runEndpointHasher('win32', undefined).runner, 'pwsh.exe');
    fake('powershell.exe', `nic=a\\n${ID}\\n`);
    assert.deepEqual(runEndpointHasher('win32', undefined), {
      nic: 'a',
      result: { id: ID },
      runner: 'powershell.exe',
    });
  });

  it('names every PowerShell it tried when none is on PATH', () => {
    process.env.PATH = bin;
    assert.throws(() => runEndpointHasher('win32', undefined), {
      message: 'no PowerShell found (tried powershell.exe, pwsh.exe, pwsh)',
    });
  });

  it('reports a PowerShell that cannot be started instead of trying the next', () => {
    fake('pwsh', `nic=c\\n${ID}\\n`);
    fake('powershell.exe', `nic=a\\n${ID}\\n`);
    chmodSync(join(bin, 'powershell.exe'), 0o644);
    process.env.PATH = bin;
    assert.throws(() => runEndpointHasher('win32', undefined), { code: 'EACCES' });
  });
});

describe('parseHasherOutput contract', () => {
  for (const [name, stdout] of [
    ['a third line with text', `nic=en0\n${ID}\nextra`],
    ['no final line feed', `nic=en0\n${ID}`],
    ['text before the ID', `nic=en0\nx${ID}\n`],
    ['text after the ID', `nic=en0\n${ID}x\n`],
    ['text before an error code', 'nic=en0\nxNO_NIC\n'],
    ['text after an error code', 'nic=en0\nNO_NICx\n'],
    ['nothing at all', ''],
    ['no nic= trace line', `eth0\n${ID}\n`],
    ['an extra blank line', `nic=en0\n${ID}\n\n`],
    ['a fourth line after a blank one', `nic=en0\n${ID}\n\nx`],
  ] as const) {
    it(`refuses ${name}`, () => {
      assert.throws(
        () => parseHasherOutput(stdout, 'r'),
        /^Error: the endpoint hasher (broke its output contract|printed neither)/,
      );
    });
  }
});
