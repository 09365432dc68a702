// The OS tie-break of spec §6.2 (Windows Index and macOS unit numbers numerically, Linux names in
// byte order) and the one-line explanation of a ranked adapter (lib/devid/nics.ts).
import assert from 'node:assert/strict';
import { describeNic, rankNics } from '../../lib/devid/nics.js';
import type { NicRecord } from '../../lib/devid/types.js';

const nic = (name: string, order: number | string, extra: Partial<NicRecord> = {}): NicRecord => ({
  name,
  mac: '3c:ec:ef:00:00:01',
  bus: 'internal',
  wireless: false,
  order,
  ...extra,
});
const names = (list: NicRecord[]) => rankNics(list).map((n) => n.name);

describe('NIC tie-break and description', () => {
  it('compares numeric orders as numbers (Index 2 before Index 10)', () => {
    assert.deepEqual(names([nic('ten', 10), nic('two', 2), nic('seven', 7)]), ['two', 'seven', 'ten']);
  });

  it('puts a numeric order before a name, whichever comes first', () => {
    assert.deepEqual(names([nic('named', 'a'), nic('numbered', 5)]), ['numbered', 'named']);
    assert.deepEqual(names([nic('numbered', 5), nic('named', 'a')]), ['numbered', 'named']);
  });

  it('puts numbers before names in every input order', () => {
    const all = [nic('n5', 5), nic('a', 'a'), nic('b', 'b')];
    for (const perm of [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ]) {
      assert.deepEqual(names(perm.map((k) => all[k] as NicRecord)), ['n5', 'a', 'b'], String(perm));
    }
  });

  it('compares names by UTF-8 bytes (U+FF21 after U+00E9, though UTF-16 agrees; Z before a)', () => {
    assert.deepEqual(names([nic('a', 'a'), nic('Z', 'Z'), nic('e', '\u00e9')]), ['Z', 'a', 'e']);
    // U+E000 (EE 80 80) before U+1F600 (F0 9F 98 80) in UTF-8; UTF-16 units put D83D first.
    assert.deepEqual(names([nic('emoji', '\u{1F600}'), nic('private', '\ue000')]), ['private', 'emoji']);
  });

  it('explains each key of the ranking', () => {
    const [plain] = rankNics([nic('eth0', 'eth0')]);
    assert.equal(
      describeNic(plain as never),
      'globally unique MAC, not a hypervisor OUI, internal bus, wired, tie-break "eth0"',
    );
    const [odd] = rankNics([nic('x', 3, { mac: '02:50:56:00:00:01', bus: 'external', wireless: true })]);
    assert.equal(
      describeNic(odd as never),
      'locally administered MAC, not a hypervisor OUI, external bus (USB/Thunderbolt), wireless, tie-break 3',
    );
    const [vm] = rankNics([nic('v', 'v', { mac: '00:50:56:00:00:01' })]);
    assert.equal(
      describeNic(vm as never),
      'globally unique MAC, virtual adapter (VMware OUI), internal bus, wired, tie-break "v"',
    );
  });
});

describe('NIC tie-break on a long mixed list', () => {
  it('sorts 60 adapters: numbers ascending, then names in byte order', () => {
    const list: NicRecord[] = [];
    for (let k = 0; k < 30; k++) {
      list.push(nic(`n${(k * 7) % 30}`, (k * 7) % 30));
      list.push(nic(`s${(k * 11) % 30}`, `name-${String((k * 11) % 30).padStart(2, '0')}`));
    }
    const want = [
      ...Array.from({ length: 30 }, (_, k) => `n${k}`),
      ...Array.from({ length: 30 }, (_, k) => `s${k}`),
    ];
    assert.deepEqual(names(list), want);
  });
});
