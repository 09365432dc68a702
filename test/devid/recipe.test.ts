// Tests of the DEVID1 recipe (lib/devid/recipe.ts) against every rule of docs/devid1.md §2–§4.
// Expected values are written out by hand or computed with createHash, never by the code under test.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { WORKED_EXAMPLES } from '../../lib/devid/examples.js';
import {
  canonicalMac,
  canonicalSerial,
  deviceId,
  idOfCanonical,
  isJunkSerial,
  JUNK_SERIALS,
  JUNK_UUIDS,
  junkReason,
  saltHex,
  traceSources,
  trimSalt,
  usableSerial,
} from '../../lib/devid/recipe.js';
import { deviceId as rootDeviceId } from '../../lib/index.js';

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('DEVID1 worked examples (spec §4)', () => {
  for (const ex of WORKED_EXAMPLES) {
    it(`reproduces example ${ex.name}`, () => {
      assert.deepEqual(rootDeviceId(ex.input), {
        id: ex.id,
        source: ex.input.serials?.BB ? 'BB' : 'SYS',
        canonical: ex.canonical,
      });
      // The spec's IDs are the SHA-256 of the spec's canonical strings: check the table itself too.
      assert.equal(sha(ex.canonical), ex.id);
    });
  }
});

describe('canonicalMac', () => {
  const valid: [string, string, string][] = [
    ['colon, lower case', '00:1a:2b:3c:4d:5e', '001A2B3C4D5E'],
    ['dash, upper case', '00-1A-2B-3C-4D-5E', '001A2B3C4D5E'],
    ['Cisco dotted', '001A.2B3C.4D5E', '001A2B3C4D5E'],
    ['bare', '001a2b3c4d5e', '001A2B3C4D5E'],
    ['spaces and padding', '  00 1A 2B 3C 4D 5E\r\n', '001A2B3C4D5E'],
    ['locally administered 2', '02:42:ac:11:00:02', '0242AC110002'],
    ['locally administered 6', '06:00:00:00:00:01', '060000000001'],
    ['locally administered A', '0a:00:27:00:00:00', '0A0027000000'],
    ['locally administered E', 'de:ad:be:ef:00:01', 'DEADBEEF0001'],
  ];
  for (const [name, raw, expected] of valid)
    it(`accepts ${name}`, () => assert.equal(canonicalMac(raw), expected));

  const invalid: [string, string | null | undefined][] = [
    ['absent', undefined],
    ['null', null],
    ['empty', ''],
    ['too short', '00:1a:2b:3c:4d'],
    ['EUI-64 (16 digits)', '00:1a:2b:ff:fe:3c:4d:5e'],
    ['0x prefix makes 13 digits', '0x001A2B3C4D5E'],
    ['all zero', '00:00:00:00:00:00'],
    ['all F (broadcast)', 'ff:ff:ff:ff:ff:ff'],
    ['multicast, second digit 1', '01:00:5e:00:00:01'],
    ['multicast, second digit 3', '33:33:00:00:00:01'],
    ['multicast, second digit F', '0f:00:00:00:00:01'],
    ['non-hex letters dropped leave 10', '00:1g:2b:3c:4d:5e'],
    ['full-width digits are not hex', '\uff10\uff10:1a:2b:3c:4d:5e'],
    ['Arabic-Indic digits are not hex', '\u0660\u0660:1a:2b:3c:4d:5e'],
  ];
  for (const [name, raw] of invalid) it(`rejects ${name}`, () => assert.equal(canonicalMac(raw), null));
});

describe('canonicalSerial', () => {
  const cases: [string, string, string][] = [
    ['Dell style', '/7XYZ123/CN1296314A0123/', '7XYZ123CN1296314A0123'],
    ['spaces and lower case', '  czc 1234 xyz ', 'CZC1234XYZ'],
    ['VMware', 'VMware-56 4d 2f 1a', 'VMWARE564D2F1A'],
    ['dotless i is deleted, not mapped to I', 'a\u0131b', 'AB'],
    ['long s is deleted, not mapped to S', 'a\u017fb', 'AB'],
    ['sharp s is deleted, not expanded to SS', 'a\u00dfb', 'AB'],
    ['fi ligature is deleted', 'a\ufb01b', 'AB'],
    ['Kelvin sign is deleted, not mapped to K', 'a\u212ab', 'AB'],
    ['full-width digits are deleted', 'ab\uff11\uff12', 'AB'],
    ['Arabic-Indic digits are deleted', 'ab\u0661\u0662', 'AB'],
    ['NFC e-acute is deleted', 'Caf\u00e91234', 'CAF1234'],
    ['NFD e-acute keeps the e', 'Cafe\u03011234', 'CAFE1234'],
    ['control characters, CR and LF', 'AB\r\nC\tD\x00\x7f', 'ABCD'],
    ['shell metacharacters', '$(id)`id`"\'\u2018\u2019|;&-n -e %s \\c', 'IDIDNESC'],
    ['absent', '', ''],
  ];
  for (const [name, raw, expected] of cases) it(name, () => assert.equal(canonicalSerial(raw), expected));
});

describe('junk serials', () => {
  const junk: [string, string, 'BB' | 'SYS' | 'UUID', string][] = [
    ['empty', '', 'BB', 'absent'],
    ['"0"', '0', 'BB', 'too-short'],
    ['"-1"', '-1', 'SYS', 'too-short'],
    ['"N/A"', 'N/A', 'BB', 'too-short'],
    ['"OEM"', 'OEM', 'BB', 'too-short'],
    ['"TBD"', 'TBD', 'BB', 'too-short'],
    ['zeros', '00000000', 'BB', 'repeated-character'],
    ['F run', 'FFFFFFFFFFFF', 'SYS', 'repeated-character'],
    ['x run', 'xxxxxxxx', 'BB', 'repeated-character'],
    ['N run', 'NNNNNNN', 'BB', 'repeated-character'],
    ['space-separated zeros', '0 0 0 0 0', 'BB', 'repeated-character'],
    ['To be filled by O.E.M.', 'To be filled by O.E.M.', 'BB', 'junk-list'],
    ['Default string', 'Default string', 'BB', 'junk-list'],
    ['Default', 'Default', 'SYS', 'junk-list'],
    ['None', 'None', 'BB', 'junk-list'],
    ['Not Applicable', 'Not Applicable', 'BB', 'junk-list'],
    ['Not Specified', 'Not Specified', 'SYS', 'junk-list'],
    ['Not Available', 'Not Available', 'SYS', 'junk-list'],
    ['Unknown', 'Unknown', 'BB', 'junk-list'],
    ['Unknow', 'unknow', 'BB', 'junk-list'],
    ['Invalid', 'INVALID', 'BB', 'junk-list'],
    ['Empty', 'Empty', 'BB', 'junk-list'],
    ['Null', 'Null', 'BB', 'junk-list'],
    ['Null string', 'Null String', 'BB', 'junk-list'],
    ['System Serial Number', 'System Serial Number', 'SYS', 'junk-list'],
    ['System Serial Numb (truncated)', 'System Serial Numb', 'SYS', 'junk-list'],
    ['Serial Number', 'Serial Number', 'BB', 'junk-list'],
    ['SerialNumber XXXXXX', 'Serial Number XXXXXX', 'BB', 'junk-list'],
    ['Base Board Serial Number', 'Base Board Serial Number', 'BB', 'junk-list'],
    ['Chassis Serial Number', 'Chassis Serial Number', 'SYS', 'junk-list'],
    ['OEM Serial', 'O.E.M. Serial', 'BB', 'junk-list'],
    ['OEM Not Specify', 'OEM not specify', 'BB', 'junk-list'],
    ['EVAL', 'eval', 'BB', 'junk-list'],
    ['IATPASS', 'IATPASS', 'BB', 'junk-list'],
    ['Tulip Computers', 'Tulip Computers', 'BB', 'junk-list'],
    ['0123456789', '0123456789', 'SYS', 'junk-list'],
    ['12345', '12345', 'BB', 'junk-list'],
    ['123456789 spaced', '1 2 3 4 5 6 7 8 9', 'BB', 'junk-list'],
    ['123456789000', '123456789000', 'BB', 'junk-list'],
    ['12345678901234567', '12345678901234567', 'BB', 'junk-list'],
    ['SYS-1234567890', 'SYS-1234567890', 'SYS', 'junk-list'],
    ['SYS9876543210', 'sys9876543210', 'SYS', 'junk-list'],
    ['SN12345', 'SN-12345', 'BB', 'junk-list'],
    ['SN1234567890', 'SN1234567890', 'BB', 'junk-list'],
    ['SN123456FVGV3I0B8O5N6N7K', 'SN123456FVGV3I0B8O5N6N7K', 'BB', 'junk-list'],
    ['MB-1234567890', 'MB-1234567890', 'BB', 'junk-list'],
    ['UUID 03000200-…', '03000200-0400-0500-0006-000700080009', 'UUID', 'junk-uuid'],
    ['UUID 03020100-…', '03020100-0504-0706-0809-0a0b0c0d0e0f', 'UUID', 'junk-uuid'],
    ['UUID 10000000-…', '10000000-0000-8000-0040-000000000000', 'UUID', 'junk-uuid'],
    ['UUID 6AB5B300-…', '6ab5b300-538d-1014-9fb5-b0684d007b53', 'UUID', 'junk-uuid'],
    ['UUID 0101…', '01010101-0101-0101-0101-010101010101', 'UUID', 'junk-uuid'],
    ['UUID 02000100-…', '02000100-0300-0400-0005-000600070008', 'UUID', 'junk-uuid'],
    ['UUID FEFE…', 'FEFEFEFE-FEFE-FEFE-FEFE-FEFEFEFEFEFE', 'UUID', 'junk-uuid'],
  ];
  for (const [name, raw, source, reason] of junk) {
    it(`${name} is junk for ${source} (${reason})`, () =>
      assert.equal(junkReason(canonicalSerial(raw), source), reason));
  }
  // The frozen lists of spec §2, retyped here on purpose: a change to either list changes IDs.
  const SPEC_JUNK = `TOBEFILLEDBYOEM DEFAULTSTRING DEFAULT NONE NOTAPPLICABLE NOTSPECIFIED NOTAVAILABLE
    UNKNOWN UNKNOW INVALID EMPTY NULL NULLSTRING SYSTEMSERIALNUMBER SYSTEMSERIALNUMB SERIALNUMBER
    SERIALNUMBERXXXXXX BASEBOARDSERIALNUMBER CHASSISSERIALNUMBER OEMSERIAL OEMNOTSPECIFY EVAL IATPASS
    TULIPCOMPUTERS 0123456789 12345 123456 1234567 12345678 123456789 1234567890 123456789000
    12345678901234567 SYS1234567890 SYS9876543210 SN12345 SN1234567890 SN123456FVGV3I0B8O5N6N7K
    MB1234567890`.split(/\s+/);
  const SPEC_JUNK_UUID = `03000200040005000006000700080009 030201000504070608090A0B0C0D0E0F
    10000000000080000040000000000000 6AB5B300538D10149FB5B0684D007B53 01010101010101010101010101010101
    02000100030004000005000600070008 FEFEFEFEFEFEFEFEFEFEFEFEFEFEFEFE`.split(/\s+/);
  it('has exactly the frozen junk lists of the spec', () => {
    assert.deepEqual([...JUNK_SERIALS].sort(), [...SPEC_JUNK].sort());
    assert.deepEqual([...JUNK_UUIDS].sort(), [...SPEC_JUNK_UUID].sort());
    for (const s of SPEC_JUNK) assert.equal(junkReason(s, 'BB'), 'junk-list', s);
    for (const s of SPEC_JUNK_UUID) assert.equal(junkReason(s, 'UUID'), 'junk-uuid', s);
  });
  it('UUID-only junk values are usable as BB and SYS serials', () => {
    const s = canonicalSerial('03000200-0400-0500-0006-000700080009');
    assert.equal(isJunkSerial(s, 'BB'), false);
    assert.equal(isJunkSerial(s, 'SYS'), false);
    assert.equal(isJunkSerial(s, 'UUID'), true);
  });
  it('four distinct characters are enough', () => assert.equal(isJunkSerial('AB12', 'BB'), false));
  it('a list entry embedded in a longer serial is not junk', () =>
    assert.equal(isJunkSerial('DEFAULTSTRING1', 'BB'), false));
});

describe('source chain', () => {
  const mac = '00:1a:2b:3c:4d:5e';
  const cases: [string, Record<string, string | undefined>, string | null][] = [
    ['BB wins when usable', { BB: 'BB0001', SYS: 'SYS0001', UUID: 'UUID0001' }, 'BB:BB0001'],
    ['junk BB falls to SYS', { BB: 'To be filled by O.E.M.', SYS: 'SYS0001' }, 'SYS:SYS0001'],
    ['empty BB is absent', { BB: '', SYS: 'SYS0001' }, 'SYS:SYS0001'],
    [
      'junk BB and SYS fall to UUID',
      { BB: 'Default string', SYS: '0', UUID: '4c4c4544-0051-3410' },
      'UUID:4C4C454400513410',
    ],
    ['macOS starts at SYS', { SYS: 'C02XK0ABJGH5', UUID: '12345678-AAAA' }, 'SYS:C02XK0ABJGH5'],
    ['junk UUID gives NO_HW_ID', { BB: 'None', UUID: '03000200-0400-0500-0006-000700080009' }, null],
    ['nothing gives NO_HW_ID', {}, null],
  ];
  for (const [name, serials, expected] of cases) {
    it(name, () => {
      const r = deviceId({ mac, serials });
      if (expected === null) assert.deepEqual(r, { error: 'NO_HW_ID' });
      else {
        const canonical = `DEVID1|001A2B3C4D5E|${expected}|`;
        assert.deepEqual(r, { id: sha(canonical), source: expected.split(':')[0], canonical });
      }
    });
  }
  it('traceSources says why each source was skipped', () => {
    assert.deepEqual(
      traceSources({ BB: 'None', SYS: '' }).map((t) => t.rejected),
      ['junk-list', 'absent', 'absent'],
    );
  });
});

describe('salt', () => {
  const trims: [string, string, string][] = [
    ['spaces', '  Acme Site  ', 'Acme Site'],
    ['tabs', '\tAcme\t', 'Acme'],
    ['mixed', ' \t Acme \t ', 'Acme'],
    ['NBSP is kept', '\u00a0Acme\u00a0', '\u00a0Acme\u00a0'],
    ['BOM is kept', '\ufeffAcme', '\ufeffAcme'],
    ['inner spaces are kept', 'Acme  Site', 'Acme  Site'],
  ];
  for (const [name, raw, expected] of trims) it(`trims ${name}`, () => assert.equal(trimSalt(raw), expected));

  it('hashes the UTF-8 bytes of the trimmed salt', () => {
    assert.equal(saltHex('  M\u00fcller GmbH '), sha('M\u00fcller GmbH'));
    assert.equal(saltHex('$(id)`x`"\'-n %s \\c |'), sha('$(id)`x`"\'-n %s \\c |'));
    const big = 'k'.repeat(1024);
    assert.equal(saltHex(big), sha(big));
  });
  it('treats absent, empty and blank alike', () => {
    for (const s of [undefined, null, '', '   ', '\t \t']) assert.equal(saltHex(s), '');
  });
  it('NFC and NFD spellings give different salts', () => {
    assert.notEqual(saltHex('M\u00fcller'), saltHex('Mu\u0308ller'));
  });
  for (const [name, raw] of [
    ['inner tab', 'Acme\tSite'],
    ['LF', 'Acme\n'],
    ['CR', '\rAcme'],
    ['NUL', 'Ac\x00me'],
    ['ESC', 'Ac\x1bme'],
    ['DEL', 'Acme\x7f'],
  ] as const) {
    it(`${name} gives BAD_SALT`, () => {
      assert.equal(saltHex(raw), null);
      assert.deepEqual(deviceId({ mac: '00:1a:2b:3c:4d:5e', serials: { BB: 'ABCD1234' }, salt: raw }), {
        error: 'BAD_SALT',
      });
    });
  }
});

describe('error order', () => {
  it('NO_NIC before NO_HW_ID before BAD_SALT', () => {
    assert.deepEqual(deviceId({ mac: 'x', serials: {}, salt: '\n' }), { error: 'NO_NIC' });
    assert.deepEqual(deviceId({ mac: '00:1a:2b:3c:4d:5e', serials: { BB: 'None' }, salt: '\n' }), {
      error: 'NO_HW_ID',
    });
  });
});

describe('idOfCanonical: the last step of deviceId, for inputs worked out once', () => {
  it('gives each worked example its spec ID, and another MAC the hash of its own canonical string', () => {
    for (const ex of WORKED_EXAMPLES) {
      const source = ex.input.serials?.BB ? 'BB' : 'SYS';
      const serial = usableSerial(ex.input.serials?.[source], source) as string;
      const salthex = saltHex(ex.input.salt) as string;
      assert.equal(idOfCanonical(canonicalMac(ex.input.mac) as string, source, serial, salthex), ex.id);
      // The other MAC: the same canonical string with its own 12 digits, hashed (spec §3).
      const canonical = ex.canonical.replace('|001A2B3C4D5E|', '|020000000001|');
      assert.equal(idOfCanonical('020000000001', source, serial, salthex), sha(canonical));
    }
  });
  it('gives the hash of the spec canonical string on 500 random devices, as deviceId does', () => {
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed;
    };
    const hex = () => (next() >>> 8).toString(16).padStart(6, '0').slice(-6);
    for (let i = 0; i < 500; i++) {
      // Second digit even: not multicast (spec §2).
      const mac = `${hex().replace(/^(.)(.)/, (_, a) => `${a}${'02468ace'[next() % 8]}`)}${hex()}`;
      const junkBB = next() % 3 === 0;
      const serials = {
        BB: junkBB ? 'To be filled by O.E.M.' : `bb-${next().toString(36)}`,
        SYS: `Sys ${next().toString(36)}`,
      };
      const salt = next() % 2 ? '' : `acct-${next().toString(16)}`;
      // Expected by hand from the spec: canonical serial = alphanumerics upper-cased; BB unless junk.
      const source = junkBB ? 'SYS' : 'BB';
      const serial = serials[source].replace(/[^0-9A-Za-z]/g, '').toUpperCase();
      const expected = sha(`DEVID1|${mac.toUpperCase()}|${source}:${serial}|${salt ? sha(salt) : ''}`);
      assert.equal(idOfCanonical(mac.toUpperCase(), source, serial, salt ? sha(salt) : ''), expected, mac);
      assert.equal((deviceId({ mac, serials, salt }) as { id?: string }).id, expected, mac);
    }
  });
});
