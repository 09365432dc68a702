// The endpoint collectors against fixtures: Linux on the fake sysfs trees (same NIC and ID as
// collectLinux + deviceId), NOT_ROOT as an unprivileged user, macOS with PATH stubs, Windows with WMI mocks.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectLinux } from '../../lib/devid/collect-linux.js';
import { rankNics } from '../../lib/devid/nics.js';
import { deviceId } from '../../lib/devid/recipe.js';
import type { NicRecord, SerialSource } from '../../lib/devid/types.js';
import { renderDevidScript } from '../../lib/render/devid-script.js';
import { quotePowerShell } from '../../lib/render/quote.js';
import { needShells, run, runPowerShellCases, tempDir } from '../helpers/endpoint.js';
import { loadSysfsFixtures, materializeSysfs } from '../helpers/sysfs.js';
import { needTools } from '../helpers/tools.js';

const SALT = 'a1b2c3d4-0000-4000-8000-000000000001';

/** The expected two lines of a DEVID_TRACE run: the chosen NIC, then the ID or error. */
function expectedTrace(
  nic: string | undefined,
  mac: string | undefined,
  serials: Partial<Record<SerialSource, string>>,
  error: string | null = null,
): string {
  if (error) return `nic=${nic ?? ''}\n${error}\n`;
  const r = deviceId({ mac, serials, salt: SALT });
  return `nic=${nic ?? ''}\n${'error' in r ? r.error : r.id}\n`;
}

/** The exit code the scripts give for a trace: 0 with an ID, 1 with an error code. */
function exitCodeOf(trace: string): number {
  return /^[0-9a-f]{64}$/.test(trace.split('\n')[1] ?? '') ? 0 : 1;
}

describe('endpoint collectors', function () {
  this.timeout(60000);
  const sh = renderDevidScript({ target: 'sh' });

  describe('Linux (sh on fake sysfs trees)', () => {
    for (const { name, fixture } of loadSysfsFixtures()) {
      it(`${name}: same NIC and ID as collectLinux + deviceId, every shell`, async function () {
        const shells = needShells(this, 'sh runs (dash, bash, busybox, zsh)');
        const tmp = tempDir('rmmkit-lincol-');
        const root = materializeSysfs(fixture, join(tmp.dir, 'sys'));
        try {
          const file = join(tmp.dir, 'devid.sh');
          writeFileSync(file, sh);
          const c = await collectLinux({ sysRoot: root });
          const want = expectedTrace(c.nics[0]?.name, c.nics[0]?.mac, c.serials);
          assert.equal(want.split('\n')[0], `nic=${fixture.expect.chosen ?? ''}`);
          for (const shell of shells) {
            const r = await run([...shell.argv, file], {
              DEVID_SYSFS: root,
              DEVID_TRACE: '1',
              CS_ACCOUNT_UID: SALT,
            });
            assert.deepEqual(r, { stdout: want, stderr: '', code: exitCodeOf(want) }, shell.name);
          }
          // Without DEVID_TRACE the output is exactly one line.
          const plain = await run(['dash', file], { DEVID_SYSFS: root, CS_ACCOUNT_UID: SALT });
          assert.equal(plain.stdout, `${want.split('\n')[1]}\n`);
        } finally {
          tmp.cleanup();
        }
      });
    }

    it('NOT_ROOT when run unprivileged (setpriv to nobody, DMI files mode 0400 as on a real system)', async function () {
      const shells = needShells(this, 'sh runs (dash, bash, busybox, zsh)');
      needTools(this, 'NOT_ROOT as an unprivileged user (needs root and setpriv)', 'setpriv');
      const fixture = loadSysfsFixtures().find((f) => f.name === 'physical-with-docker')!.fixture;
      const tmp = tempDir('rmmkit-notroot-');
      try {
        // The temp tree must be reachable by nobody; only the DMI files are root-only, like in /sys.
        chmodSync(tmp.dir, 0o755);
        const root = materializeSysfs(fixture, join(tmp.dir, 'sys'));
        const dmi = join(root, 'class', 'dmi', 'id');
        for (const f of readdirSync(dmi)) chmodSync(join(dmi, f), 0o400);
        const file = join(tmp.dir, 'devid.sh');
        writeFileSync(file, sh, { mode: 0o755 });
        // As root the same tree hashes fine: the 0400 mode alone is not what makes NOT_ROOT.
        const c = await collectLinux({ sysRoot: root });
        const asRoot = await run(['dash', file], {
          DEVID_SYSFS: root,
          DEVID_TRACE: '1',
          CS_ACCOUNT_UID: SALT,
        });
        assert.equal(asRoot.stdout, expectedTrace(c.nics[0]?.name, c.nics[0]?.mac, c.serials));
        for (const shell of shells) {
          const r = await run(
            ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...shell.argv, file],
            { DEVID_SYSFS: root, HOME: '/' },
            undefined,
            '/',
          );
          assert.deepEqual(r, { stdout: 'NOT_ROOT\n', stderr: '', code: 1 }, shell.name);
        }
      } finally {
        tmp.cleanup();
      }
    });
  });

  describe('macOS (sh with networksetup, ioreg and uname stubs on PATH)', () => {
    interface MacPort {
      port: string;
      device: string;
      mac: string;
    }
    interface MacCase {
      name: string;
      ports: MacPort[];
      serial?: string;
      uuid?: string;
      chosen: string;
    }
    const CASES: MacCase[] = [
      {
        name: 'iMac: Ethernet en0 and Wi-Fi en1; Thunderbolt Bridge and its members have no usable MAC',
        ports: [
          { port: 'Ethernet', device: 'en0', mac: '38:c9:86:01:02:03' },
          { port: 'Wi-Fi', device: 'en1', mac: '8c:85:90:aa:bb:cc' },
          { port: 'Thunderbolt Bridge', device: 'bridge0', mac: 'N/A' },
          { port: 'Thunderbolt 1', device: 'en2', mac: '82:0a:9f:00:00:01' },
        ],
        serial: 'C02XK1ZZJ1GJ',
        uuid: '7C2E1A2B-0000-5000-8000-0123456789AB',
        chosen: 'en0',
      },
      {
        name: 'MacBook: Wi-Fi en0 beats a USB 10/100/1000 LAN dongle en7 (bus ranks before wireless)',
        ports: [
          { port: 'USB 10/100/1000 LAN', device: 'en7', mac: '00:e0:4c:68:00:09' },
          { port: 'Wi-Fi', device: 'en0', mac: 'f0:18:98:12:34:56' },
          { port: 'iPhone USB', device: 'en8', mac: '5e:7a:11:22:33:44' },
        ],
        serial: 'FVFXC2ABHV2H',
        chosen: 'en0',
      },
      {
        name: 'Mac Pro: en10 and en2 both Ethernet: BSD unit number, not text order (en2 < en10)',
        ports: [
          { port: 'Ethernet 1', device: 'en10', mac: '3c:a6:f6:00:00:10' },
          { port: 'Ethernet 2', device: 'en2', mac: '3c:a6:f6:00:00:02' },
          { port: 'Wi-Fi', device: 'en1', mac: '3c:a6:f6:00:00:01' },
        ],
        serial: 'H2WDX0ABQ6NV',
        chosen: 'en2',
      },
      {
        name: 'VM guest: vmnet and awdl skipped; junk IOPlatformSerialNumber falls back to IOPlatformUUID',
        ports: [
          { port: 'vmnet8', device: 'vmnet8', mac: '00:50:56:c0:00:08' },
          { port: 'Ethernet', device: 'en0', mac: '00:0c:29:ab:cd:ef' },
          { port: 'awdl', device: 'awdl0', mac: 'aa:bb:cc:dd:ee:ff' },
        ],
        serial: '0',
        uuid: '564D2F1A-9B8C-7D6E-5F4A-3B2C1D0EFF10',
        chosen: 'en0',
      },
      { name: 'no hardware ports: NO_NIC', ports: [], serial: 'C02XK1ZZJ1GJ', chosen: '' },
    ];

    /** What the spec says a port becomes (§6): the reference the script is checked against. */
    function macNics(ports: MacPort[]): NicRecord[] {
      const skip = /^(lo|awdl|llw|utun|bridge|anpi|ap|gif|stf|p2p|vmnet|vboxnet)/;
      return ports
        .filter((p) => !skip.test(p.device))
        .map((p) => ({
          name: p.device,
          mac: p.mac,
          bus: /USB|Thunderbolt|iPhone/.test(p.port) ? 'external' : 'internal',
          wireless: p.port === 'Wi-Fi',
          order: Number(/(\d+)$/.exec(p.device)?.[1] ?? 999999),
        }));
    }

    for (const c of CASES) {
      it(c.name, async function () {
        const shells = needShells(this, 'sh runs (dash, bash, busybox, zsh)');
        const tmp = tempDir('rmmkit-mac-');
        try {
          const bin = join(tmp.dir, 'bin');
          mkdirSync(bin);
          const listing = [
            ...c.ports.flatMap((p) => [
              `Hardware Port: ${p.port}`,
              `Device: ${p.device}`,
              `Ethernet Address: ${p.mac}`,
              '',
            ]),
            'VLAN Configurations',
            '===================',
          ].join('\n');
          writeFileSync(join(tmp.dir, 'ports.txt'), `\n${listing}\n`);
          const io = [
            '+-o J314sAP  <class IOPlatformExpertDevice, id 0x100000220, registered, matched, active, busy 0 (5 ms), retain 39>',
            '    {',
            '      "IOPolledInterface" = "AppleARMWatchdogTimerHibernateHandler is not serializable"',
            ...(c.serial !== undefined ? [`      "IOPlatformSerialNumber" = "${c.serial}"`] : []),
            '      "compatible" = <"J314sAP","MacBookPro18,3","AppleARM">',
            ...(c.uuid !== undefined ? [`      "IOPlatformUUID" = "${c.uuid}"`] : []),
            '    }',
          ].join('\n');
          writeFileSync(join(tmp.dir, 'ioreg.txt'), `${io}\n`);
          const stub = (name: string, body: string) =>
            writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
          stub('uname', "printf '%s\\n' Darwin");
          stub(
            'networksetup',
            `[ "$1" = -listallhardwareports ] || exit 1\ncat '${join(tmp.dir, 'ports.txt')}'`,
          );
          stub(
            'ioreg',
            `[ "$*" = '-rd1 -c IOPlatformExpertDevice' ] || exit 1\ncat '${join(tmp.dir, 'ioreg.txt')}'`,
          );
          const file = join(tmp.dir, 'devid.sh');
          writeFileSync(file, sh);
          const ranked = rankNics(macNics(c.ports));
          assert.equal(ranked[0]?.name ?? '', c.chosen, 'the reference ranking agrees with the case');
          const serials: Partial<Record<SerialSource, string>> = {};
          if (c.serial) serials.SYS = c.serial;
          if (c.uuid) serials.UUID = c.uuid;
          const want = expectedTrace(ranked[0]?.name, ranked[0]?.mac, serials);
          for (const shell of shells) {
            const r = await run([...shell.argv, file], {
              PATH: `${bin}:${process.env.PATH}`,
              DEVID_TRACE: '1',
              CS_ACCOUNT_UID: SALT,
            });
            assert.deepEqual(
              { stdout: r.stdout, stderr: r.stderr },
              { stdout: want, stderr: '' },
              shell.name,
            );
          }
        } finally {
          tmp.cleanup();
        }
      });
    }
  });

  describe('Windows (PowerShell with mocked Get-CimInstance / Get-WmiObject)', () => {
    interface Adapter {
      Index: number;
      IPEnabled: boolean;
      MACAddress: string | null;
      PNPDeviceID: string;
      Name: string;
      NetConnectionID: string | null;
    }
    interface WinCase {
      name: string;
      adapters: Adapter[];
      bb: string;
      sys: string;
      uuid: string;
      chosen: string;
    }
    const intel = (Index: number, mac: string, conn = 'Ethernet'): Adapter => ({
      Index,
      IPEnabled: true,
      MACAddress: mac,
      PNPDeviceID: `PCI\\VEN_8086&DEV_15BC&SUBSYS_00000000&REV_00\\3&11583659&0&FE`,
      Name: 'Intel(R) Ethernet Connection (7) I219-LM',
      NetConnectionID: conn,
    });
    const CASES: WinCase[] = [
      {
        name: 'physical NIC plus a Hyper-V vEthernet (ROOT\\VMS_MP) with a lower Index',
        adapters: [
          {
            Index: 0,
            IPEnabled: true,
            MACAddress: '00:15:5D:01:02:03',
            PNPDeviceID: 'ROOT\\VMS_MP\\0000',
            Name: 'Hyper-V Virtual Ethernet Adapter',
            NetConnectionID: 'vEthernet (Default Switch)',
          },
          intel(7, '3C:EC:EF:12:34:56'),
        ],
        bb: '/7XYZ123/CN1296314A0123/',
        sys: '7XYZ123',
        uuid: '4C4C4544-0051-3410-8053-B4C04F4A3132',
        chosen: 'Ethernet',
      },
      {
        name: 'VirtualBox host-only adapter (ROOT\\NET, 0A:00:27) next to a Realtek NIC',
        adapters: [
          {
            Index: 2,
            IPEnabled: true,
            MACAddress: '0A:00:27:00:00:0C',
            PNPDeviceID: 'ROOT\\NET\\0000',
            Name: 'VirtualBox Host-Only Ethernet Adapter',
            NetConnectionID: 'Ethernet 2',
          },
          {
            Index: 9,
            IPEnabled: true,
            MACAddress: '74:D4:35:AA:BB:CC',
            PNPDeviceID: 'PCI\\VEN_10EC&DEV_8168\\01000000684CE00000',
            Name: 'Realtek PCIe GbE Family Controller',
            NetConnectionID: 'Ethernet',
          },
        ],
        bb: 'To be filled by O.E.M.',
        sys: 'System Serial Number',
        uuid: '03000200-0400-0500-0006-000700080009',
        chosen: 'Ethernet',
      },
      {
        name: 'laptop: internal Wi-Fi beats a USB dock NIC (bus ranks before wireless)',
        adapters: [
          {
            Index: 12,
            IPEnabled: true,
            MACAddress: '00:E0:4C:68:00:01',
            PNPDeviceID: 'USB\\VID_0BDA&PID_8153\\000001',
            Name: 'Realtek USB GbE Family Controller',
            NetConnectionID: 'Ethernet 3',
          },
          {
            Index: 3,
            IPEnabled: true,
            MACAddress: '8C:C6:81:AA:BB:CC',
            PNPDeviceID: 'PCI\\VEN_8086&DEV_2723\\4&1A2B3C4D&0&00E4',
            Name: 'Intel(R) Wi-Fi 6 AX200 160MHz',
            NetConnectionID: 'Wi-Fi',
          },
        ],
        bb: 'PF2ABCDE',
        sys: 'PF2ABCDE',
        uuid: '',
        chosen: 'Wi-Fi',
      },
      {
        name: 'VPN TAP adapter (ROOT\\NET) with Index 1 and a globally unique MAC is never a candidate',
        adapters: [
          {
            Index: 1,
            IPEnabled: true,
            MACAddress: '00:FF:12:34:56:78',
            PNPDeviceID: 'ROOT\\NET\\0001',
            Name: 'TAP-Windows Adapter V9',
            NetConnectionID: 'OpenVPN',
          },
          intel(5, '54:BF:64:01:02:03'),
          {
            Index: 4,
            IPEnabled: false,
            MACAddress: '54:BF:64:01:02:04',
            PNPDeviceID: 'PCI\\VEN_8086&DEV_1533\\0',
            Name: 'Intel(R) I210',
            NetConnectionID: 'Ethernet 4',
          },
        ],
        bb: 'None',
        sys: 'CZC1234XYZ',
        uuid: '',
        chosen: 'Ethernet',
      },
      {
        name: 'shuffled WMI order: two PCI NICs, the lower Index wins; Bluetooth and SWD skipped',
        adapters: [
          intel(11, '3C:EC:EF:00:00:11', 'Ethernet 2'),
          {
            Index: 2,
            IPEnabled: true,
            MACAddress: '3C:EC:EF:00:00:02',
            PNPDeviceID: 'BTH\\MS_BTHPAN\\6&1',
            Name: 'Bluetooth Device (Personal Area Network)',
            NetConnectionID: 'Bluetooth Network Connection',
          },
          intel(4, '3C:EC:EF:00:00:04', 'Ethernet'),
          {
            Index: 3,
            IPEnabled: true,
            MACAddress: '3C:EC:EF:00:00:03',
            PNPDeviceID: 'SWD\\MSRRAS\\MS_NDISWANIP',
            Name: 'WAN Miniport (IP)',
            NetConnectionID: null,
          },
        ],
        bb: '..',
        sys: 'ABCD',
        uuid: '',
        chosen: 'Ethernet',
      },
      {
        name: 'Hyper-V guest: the only adapter is on VMBUS with a Hyper-V OUI; junk BB, SYS wins',
        adapters: [
          {
            Index: 1,
            IPEnabled: true,
            MACAddress: '00:15:5D:0A:0B:0C',
            PNPDeviceID: 'VMBUS\\{f8615163-df3e-46c5-913f-f2d2f965ed0e}\\{0}',
            Name: 'Microsoft Hyper-V Network Adapter',
            NetConnectionID: 'Ethernet',
          },
        ],
        bb: 'None',
        sys: '0000-0003-1234-5678-9012-3456-78',
        uuid: '',
        chosen: 'Ethernet',
      },
      {
        name: 'no IP-enabled adapter: NO_NIC',
        adapters: [{ ...intel(1, '3C:EC:EF:12:34:56'), IPEnabled: false }],
        bb: 'PF2ABCDE',
        sys: '',
        uuid: '',
        chosen: '',
      },
    ];

    /** The spec's Windows rules (§6) as NicRecords: the reference the script is checked against. */
    function winNics(adapters: Adapter[]): NicRecord[] {
      return adapters
        .filter((a) => a.IPEnabled && !/^(ROOT|SWD|BTH)\\/i.test(a.PNPDeviceID))
        .map((a) => ({
          name: a.NetConnectionID || a.Name,
          mac: a.MACAddress ?? '',
          bus: /^(PCI|VMBUS)\\/i.test(a.PNPDeviceID) ? 'internal' : 'external',
          wireless: /wi-fi|wireless|wlan/i.test(`${a.NetConnectionID ?? ''} ${a.Name}`),
          order: a.Index,
        }));
    }

    const psValue = (v: unknown): string =>
      v === null
        ? '$null'
        : typeof v === 'boolean'
          ? v
            ? '$true'
            : '$false'
          : typeof v === 'number'
            ? String(v)
            : quotePowerShell(String(v));
    const psObject = (o: Record<string, unknown>): string =>
      `[pscustomobject]@{ ${Object.entries(o)
        .map(([k, v]) => `${k} = ${psValue(v)}`)
        .join('; ')} }`;

    /** Mock WMI for one case: configurations and adapters as Win32 classes return them (separate objects). */
    function mocks(c: WinCase, cmdlet: 'Get-CimInstance' | 'Get-WmiObject'): string {
      const param = cmdlet === 'Get-CimInstance' ? 'ClassName' : 'Class';
      const configs = c.adapters.map((a) =>
        psObject({ Index: a.Index, IPEnabled: a.IPEnabled, MACAddress: a.IPEnabled ? a.MACAddress : null }),
      );
      // Win32_NetworkAdapter in a different order than the configurations, as WMI does not promise one.
      const adapters = [...c.adapters].reverse().map((a) =>
        psObject({
          Index: a.Index,
          MACAddress: a.MACAddress,
          PNPDeviceID: a.PNPDeviceID,
          Name: a.Name,
          NetConnectionID: a.NetConnectionID,
        }),
      );
      return [
        `function ${cmdlet} {`,
        '  [CmdletBinding()] param([string]$' + param + ')',
        `  switch ($${param}) {`,
        `    'Win32_NetworkAdapterConfiguration' { ${configs.join(', ') || '@()'} }`,
        `    'Win32_NetworkAdapter' { ${adapters.join(', ') || '@()'} }`,
        `    'Win32_BaseBoard' { ${psObject({ SerialNumber: c.bb })} }`,
        `    'Win32_BIOS' { ${psObject({ SerialNumber: c.sys })} }`,
        `    'Win32_ComputerSystemProduct' { ${psObject({ UUID: c.uuid })} }`,
        '  }',
        '}',
      ].join('\n');
    }

    // Every case under both cmdlets in one engine process (start-up dominates otherwise).
    const ps = renderDevidScript({ target: 'powershell' });
    // Each case through CIM, through WMI, and with CIM present but failing (broken WinRM): WMI then.
    const CMDLETS = ['Get-CimInstance', 'Get-WmiObject', 'Get-CimInstance failing'] as const;
    const preludeFor = (c: WinCase, variant: (typeof CMDLETS)[number]) =>
      variant === 'Get-CimInstance failing'
        ? `${mocks(c, 'Get-WmiObject')}\nfunction Get-CimInstance { [CmdletBinding()] param([string]$ClassName) throw 'The WinRM client cannot process the request' }`
        : mocks(c, variant);
    let all: Promise<{ stdout: string; stderr: string; code: number }[]> | undefined;
    const runAll = () => {
      all ??= runPowerShellCases(ps, [
        ...CASES.flatMap((c) =>
          CMDLETS.map((cmdlet) => ({
            env: { DEVID_TRACE: '1', CS_ACCOUNT_UID: SALT },
            prelude: preludeFor(c, cmdlet),
          })),
        ),
        // Last, with no mock at all: proves the earlier runs' mocks did not leak into later runs.
        { env: { DEVID_TRACE: '1' }, prelude: '' },
      ]);
      return all;
    };
    it('without any WMI cmdlet (and no mock left over from other runs): NO_NIC, nothing on stderr', async function () {
      needTools(this, 'PowerShell runs', 'pwsh');
      const results = await runAll();
      assert.deepEqual(results[CASES.length * CMDLETS.length], {
        stdout: 'nic=\nNO_NIC\n',
        stderr: '',
        code: 1,
      });
    });

    CASES.forEach((c, k) => {
      it(c.name, async function () {
        needTools(this, 'PowerShell runs', 'pwsh');
        const ranked = rankNics(winNics(c.adapters));
        assert.equal(ranked[0]?.name ?? '', c.chosen, 'the reference ranking agrees with the case');
        const want = expectedTrace(ranked[0]?.name, ranked[0]?.mac, { BB: c.bb, SYS: c.sys, UUID: c.uuid });
        const results = await runAll();
        CMDLETS.forEach((cmdlet, m) => {
          assert.deepEqual(
            results[k * CMDLETS.length + m],
            { stdout: want, stderr: '', code: exitCodeOf(want) },
            cmdlet,
          );
        });
      });
    });
  });
});
