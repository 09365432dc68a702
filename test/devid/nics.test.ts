// Tests of NIC ranking (lib/devid/nics.ts): each key of spec §6.2 in isolation, then together.
import assert from 'node:assert/strict';
import { rankNics } from '../../lib/devid/nics.js';
import type { NicRecord } from '../../lib/devid/types.js';

const nic = (name: string, mac: string, extra: Partial<NicRecord> = {}): NicRecord => ({
  name,
  mac,
  bus: 'internal',
  wireless: false,
  order: name,
  ...extra,
});

describe('rankNics', () => {
  const cases: [string, NicRecord[], string[]][] = [
    [
      'globally administered before locally administered',
      [nic('a', '02:00:00:00:00:01'), nic('b', '3c:ec:ef:00:00:01')],
      ['b', 'a'],
    ],
    ['real OUI before VMware', [nic('a', '00:50:56:00:00:01'), nic('b', '3c:ec:ef:00:00:01')], ['b', 'a']],
    ['real OUI before Hyper-V', [nic('a', '00:15:5d:00:00:01'), nic('b', '3c:ec:ef:00:00:01')], ['b', 'a']],
    [
      'real OUI before VirtualBox',
      [nic('a', '08:00:27:00:00:01'), nic('b', '3c:ec:ef:00:00:01')],
      ['b', 'a'],
    ],
    [
      'real OUI before QEMU (52:54:00 is locally administered too)',
      [nic('a', '52:54:00:00:00:01'), nic('b', '3c:ec:ef:00:00:01')],
      ['b', 'a'],
    ],
    [
      'internal before external',
      [nic('a', '00:e0:4c:00:00:01', { bus: 'external' }), nic('b', '3c:ec:ef:00:00:01')],
      ['b', 'a'],
    ],
    [
      'wired before wireless',
      [nic('a', '8c:c6:81:00:00:01', { wireless: true }), nic('b', '3c:ec:ef:00:00:01')],
      ['b', 'a'],
    ],
    [
      'bus outranks wireless',
      [
        nic('usb', '00:e0:4c:00:00:01', { bus: 'external' }),
        nic('wifi', '8c:c6:81:00:00:01', { wireless: true }),
      ],
      ['wifi', 'usb'],
    ],
    [
      'Windows Index numeric, not lexical',
      [nic('x', '3c:ec:ef:00:00:01', { order: 10 }), nic('y', '3c:ec:ef:00:00:02', { order: 9 })],
      ['y', 'x'],
    ],
    [
      'Linux names in byte order',
      [nic('eth10', '3c:ec:ef:00:00:01'), nic('eth1', '3c:ec:ef:00:00:02'), nic('Eth2', '3c:ec:ef:00:00:03')],
      ['Eth2', 'eth1', 'eth10'],
    ],
    [
      'invalid MACs are dropped',
      [nic('mc', '01:00:5e:00:00:01'), nic('zero', '00:00:00:00:00:00'), nic('ok', '3c:ec:ef:00:00:01')],
      ['ok'],
    ],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => {
      assert.deepEqual(
        rankNics(input).map((n) => n.name),
        expected,
      );
      // Input order must not matter.
      assert.deepEqual(
        rankNics([...input].reverse()).map((n) => n.name),
        expected,
      );
    });
  }
  it('reports the canonical MAC and the virtual vendor', () => {
    const [first] = rankNics([nic('a', '00:15:5d:01:02:03')]);
    assert.equal(first?.canonicalMac, '00155D010203');
    assert.equal(first?.virtualOui, 'Hyper-V');
  });
  it('returns an empty list when nothing is usable', () =>
    assert.deepEqual(rankNics([nic('a', 'ff:ff:ff:ff:ff:ff')]), []));
});

describe('virtual OUIs of spec §6.2', () => {
  // Retyped from devid1.md §6.2: each one, alone, must rank after a real OUI.
  const SPEC_OUIS = [
    '00:05:69',
    '00:0C:29',
    '00:1C:14',
    '00:50:56',
    '00:15:5D',
    '00:03:FF',
    '08:00:27',
    '0A:00:27',
    '00:1C:42',
    '00:16:3E',
    '52:54:00',
  ];
  for (const oui of SPEC_OUIS) {
    it(`ranks ${oui} after a real OUI of the same administration bit`, () => {
      // 0A:00:27 and 52:54:00 are locally administered: compare with a local MAC so only the OUI differs.
      const local = oui === '0A:00:27' || oui === '52:54:00';
      const real = local ? '02:ec:ef:00:00:01' : '3c:ec:ef:00:00:01';
      const ranked = rankNics([nic('a', `${oui}:00:00:01`), nic('b', real)]);
      assert.deepEqual(
        ranked.map((n) => n.name),
        ['b', 'a'],
      );
      assert.notEqual(ranked[1]?.virtualOui, null);
    });
  }
});
