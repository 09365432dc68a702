// Tests of lib/devid/collect-endpoint.ts: the parser of the hasher's DEVID_TRACE output, which
// `devid collect` uses on macOS and Windows, and a real run of the sh hasher through it.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseHasherOutput, runEndpointHasher } from '../../lib/devid/collect-endpoint.js';
import { pwshPath, tempDir } from '../helpers/endpoint.js';
import { needTools } from '../helpers/tools.js';

describe('parseHasherOutput', () => {
  const id = 'a'.repeat(64);
  const cases: [string, string, ReturnType<typeof parseHasherOutput> | RegExp][] = [
    ['an ID', `nic=en0\n${id}\n`, { nic: 'en0', result: { id }, runner: 'r' }],
    ['CRLF from Windows', `nic=Ethernet\r\n${id}\r\n`, { nic: 'Ethernet', result: { id }, runner: 'r' }],
    ['an error code', 'nic=\nNO_NIC\n', { nic: '', result: { error: 'NO_NIC' }, runner: 'r' }],
    ['no trace line', `${id}\n`, /output contract/],
    ['an extra line', `nic=en0\nnoise\n${id}\n`, /output contract/],
    ['neither ID nor code', 'nic=en0\nhello world\n', /neither an ID nor an error code/],
  ];
  for (const [name, stdout, want] of cases) {
    it(name, () => {
      if (want instanceof RegExp) assert.throws(() => parseHasherOutput(stdout, 'r'), want);
      else assert.deepEqual(parseHasherOutput(stdout, 'r'), want);
    });
  }
});

describe('runEndpointHasher (devid collect on macOS and Windows)', function () {
  this.timeout(60000);
  let saved: string | undefined;
  let tmp: { dir: string; cleanup: () => void };
  beforeEach(() => {
    saved = process.env.PATH;
    tmp = tempDir('rmmkit-runhasher-');
  });
  afterEach(() => {
    process.env.PATH = saved;
    tmp.cleanup();
  });

  it('darwin: runs the sh hasher with /bin/sh and reports the chosen port and the ID', () => {
    const bin = join(tmp.dir, 'bin');
    mkdirSync(bin);
    const stub = (name: string, body: string) =>
      writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    stub('uname', "printf '%s\\n' Darwin");
    stub(
      'networksetup',
      "printf '%s\\n' 'Hardware Port: Ethernet' 'Device: en0' 'Ethernet Address: 38:c9:86:01:02:03'",
    );
    stub('ioreg', `printf '%s\\n' '  "IOPlatformSerialNumber" = "C02XK1ZZJ1GJ"'`);
    process.env.PATH = `${bin}:${saved}`;
    const r = runEndpointHasher('darwin', ' acct-1 ');
    // SHA-256 of DEVID1|38C986010203|SYS:C02XK1ZZJ1GJ|<sha256("acct-1")>, computed with Python's hashlib.
    const id = '1014bf88dcd209d1ab747c9a06723075cd77589881ebb69a117e5e2fb4efe77b';
    assert.deepEqual(r, { nic: 'en0', result: { id }, runner: '/bin/sh' });
  });

  it('win32: runs the PowerShell hasher through the first PowerShell on PATH', function () {
    needTools(this, 'PowerShell runs', 'pwsh');
    // Real pwsh, found on PATH as on a Windows machine without Windows PowerShell; no WMI here: NO_NIC.
    process.env.PATH = `${dirname(pwshPath())}:${saved}`;
    assert.deepEqual(runEndpointHasher('win32', undefined), {
      nic: '',
      result: { error: 'NO_NIC' },
      runner: 'pwsh',
    });
  });
});
