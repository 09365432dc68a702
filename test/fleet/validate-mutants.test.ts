// FleetValidator to the letter: a hand-built fleet (a verified device and its clone, info-only
// devices, a foreign value, an empty slot, a malformed record, a repeat, listing gaps, a clone
// cluster of nameless devices) gives exactly the summary, rows and per-device answers worked out
// by hand below. Expected IDs come from the spec's worked example or node:crypto.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { DeviceRead } from '../../lib/fleet/device.js';
import { clearFleetMemo } from '../../lib/fleet/memo.js';
import {
  FINDING_CODES,
  type FleetAudit,
  type FleetDevice,
  type FleetProfile,
} from '../../lib/fleet/types.js';
import { FleetValidator } from '../../lib/fleet/validate.js';
import { profile } from './fixtures.js';

const SALT = 'a1b2c3d4-0000-4000-8000-000000000001';
const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const idOf = (mac12: string, serial: string) => sha(`DEVID1|${mac12}|${serial}|${sha(SALT)}`);
// devid1.md §4 example 3.
const ID_A = 'f65c806fd58462681752a281c52eb78a42b57eff77470ef4d3e801a228a8b209';
const ID_B = idOf('001A2B3C4D5F', 'BB:SERB1234');
const ID_C = 'c'.repeat(64);
const ID_G = '9'.repeat(64);
const ID_I = 'd'.repeat(64);
const ID_J = 'e'.repeat(64);
const ID_K = '7'.repeat(64);
const link = (id: string) => `https://partner.bright-av.web/console/device?id=${id}`;
const NR =
  'the endpoint hashes the baseboard serial first and the API exposes none; the BIOS-serial candidate does not match, which proves nothing';
const nr = { code: 'id-not-recomputable', message: NR };

const dev = (d: Partial<FleetDevice> & { uid: string }): DeviceRead => ({
  ok: true,
  device: {
    hostname: '',
    siteUid: 's1',
    siteName: 'Site One',
    operatingSystem: 'Windows 11',
    value: null,
    ...d,
  },
});
const biosOnly = (mac: string): FleetAudit => ({
  macs: [mac],
  biosSerial: 'CZC1234XYZ',
  baseboardSerial: null,
});

const zeroCounts = () => Object.fromEntries(FINDING_CODES.map((c) => [c, 0]));

describe('FleetValidator, a hand-built fleet', () => {
  beforeEach(() => clearFleetMemo());
  const build = (p: FleetProfile = profile) => {
    const v = new FleetValidator(p, { source: 'test', saltValue: SALT });
    v.add(
      dev({
        uid: 'a',
        hostname: 'PC-A',
        value: link(ID_A),
        audit: { macs: ['00:1a:2b:3c:4d:5e'], biosSerial: null, baseboardSerial: '/7XYZ123/CN1296314A0123/' },
      }),
    );
    v.add(
      dev({
        uid: 'b',
        hostname: 'PC-B',
        value: link(ID_A),
        audit: { macs: ['00:1a:2b:3c:4d:5f'], biosSerial: null, baseboardSerial: 'SERB1234' },
      }),
    );
    v.add(
      dev({
        uid: 'c',
        siteUid: 's2',
        siteName: 'Alpha',
        value: link(ID_C),
        audit: biosOnly('00:1a:2b:3c:4d:60'),
      }),
    );
    v.add(
      dev({
        uid: 'd',
        hostname: 'PC-D',
        siteUid: 's2',
        siteName: 'Alpha',
        value: 'Isolated by Ransomware Detection',
        audit: biosOnly('00:1a:2b:3c:4d:63'),
      }),
    );
    v.add(dev({ uid: 'e', hostname: 'PC-E', siteUid: 's2', siteName: 'Alpha' }));
    v.add({ ok: false, uid: '', hostname: '', siteUid: 's3', reason: 'bad' });
    v.add(
      dev({ uid: 'g', hostname: 'PC-G', siteUid: 's3', siteName: 'Site Three', value: `${link(ID_G)}&x=1` }),
    );
    v.add(dev({ uid: 'h', hostname: 'AAA-H', value: link(ID_G), audit: biosOnly('00:1a:2b:3c:4d:61') }));
    v.add(dev({ uid: 'a', hostname: 'PC-A', value: link(ID_A) }));
    v.add(dev({ uid: 'i', hostname: 'PC-I', siteName: 'Renamed', value: link(ID_I) }), [
      { code: 'listing-account-missing', message: 'not in the account listing' },
    ]);
    v.add(
      dev({
        uid: 'j',
        hostname: 'PC-J',
        siteUid: 's2',
        siteName: 'Alpha',
        value: link(ID_J),
        audit: biosOnly('00:1a:2b:3c:4d:62'),
      }),
    );
    v.add(dev({ uid: 'k2', siteUid: 's4', siteName: '', value: link(ID_K) }));
    v.add(dev({ uid: 'k1', siteUid: 's4', siteName: '', value: link(ID_K) }));
    // Another spelling of the site's name does not rename it.
    v.addFindings({ uid: 'j', hostname: 'PC-J', siteUid: 's2', siteName: 'Renamed' }, [
      { code: 'listing-site-missing', message: 'not in its site listing' },
    ]);
    return v;
  };

  const clone1 = {
    code: 'id-clone',
    message: `2 devices carry the ID ${ID_A}: PC-A (site Site One), PC-B (site Site One); the audit confirms the ID belongs to PC-A (a cloned image)`,
  };
  const clone2 = {
    code: 'id-clone',
    message: `2 devices carry the ID ${ID_G}: AAA-H (site Site One), PC-G (site Site Three) (a cloned image)`,
  };
  const clone3 = {
    code: 'id-clone',
    message: `2 devices carry the ID ${ID_K}: k1 (site s4), k2 (site s4) (a cloned image)`,
  };
  const mismatchB = {
    code: 'id-mismatch',
    message: `the stored ID matches none of the 1 MAC address in the audit hashed with the baseboard serial; expected ${ID_B}`,
  };

  it('gives exactly the summary and rows worked out by hand', () => {
    const { summary, devices } = build().finish();
    assert.deepEqual(summary, {
      source: 'test',
      profile: {
        vendor: 'Bright',
        product: 'Bright Antivirus',
        slot: 5,
        template: 'https://partner.bright-av.web/console/device?id={ID}',
        hosts: ['partner.bright-av.web'],
        idShape: 'DEVID1',
      },
      devices: 12,
      duplicates: 1,
      devicesWithFindings: 11,
      findings: 9,
      counts: {
        ...zeroCounts(),
        'udf-empty': 1,
        'udf-foreign': 1,
        'id-clone': 3,
        'id-mismatch': 1,
        'id-not-recomputable': 3,
        'device-malformed': 1,
        'listing-account-missing': 1,
        'listing-site-missing': 1,
      },
      recompute: { verified: 1, mismatch: 1, notRecomputable: 3, notAudited: 5 },
      sites: [
        // Most findings first (a cluster counts on its first member's site: AAA-H's s1); one
        // finding each: the names decide ('' before Site Three), not the uids.
        { siteUid: 's1', siteName: 'Site One', devices: 4, devicesWithFindings: 4, findings: 4 },
        { siteUid: 's2', siteName: 'Alpha', devices: 4, devicesWithFindings: 3, findings: 3 },
        { siteUid: 's4', siteName: '', devices: 2, devicesWithFindings: 2, findings: 1 },
        { siteUid: 's3', siteName: 'Site Three', devices: 2, devicesWithFindings: 2, findings: 1 },
      ],
    });
    assert.deepEqual(devices, [
      { uid: 'h', hostname: 'AAA-H', siteUid: 's1', findings: [nr, clone2] },
      { uid: 'a', hostname: 'PC-A', siteUid: 's1', findings: [clone1] },
      { uid: 'b', hostname: 'PC-B', siteUid: 's1', findings: [mismatchB, clone1] },
      {
        uid: 'i',
        hostname: 'PC-I',
        siteUid: 's1',
        findings: [{ code: 'listing-account-missing', message: 'not in the account listing' }],
      },
      { uid: 'c', hostname: '', siteUid: 's2', findings: [nr] },
      {
        uid: 'd',
        hostname: 'PC-D',
        siteUid: 's2',
        findings: [
          {
            code: 'udf-foreign',
            message:
              'udf5 holds "Isolated by Ransomware Detection", which is not a Bright Antivirus link: another tool or a person overwrote it',
          },
        ],
      },
      {
        uid: 'e',
        hostname: 'PC-E',
        siteUid: 's2',
        findings: [{ code: 'udf-empty', message: 'udf5 is empty; the link component has not written it' }],
      },
      {
        uid: 'j',
        hostname: 'PC-J',
        siteUid: 's2',
        findings: [nr, { code: 'listing-site-missing', message: 'not in its site listing' }],
      },
      {
        uid: '(malformed #6)',
        hostname: '',
        siteUid: 's3',
        findings: [{ code: 'device-malformed', message: 'bad' }],
      },
      { uid: 'g', hostname: 'PC-G', siteUid: 's3', findings: [clone2] },
      { uid: 'k1', hostname: '', siteUid: 's4', findings: [clone3] },
      { uid: 'k2', hostname: '', siteUid: 's4', findings: [clone3] },
    ]);
  });

  it('answers per device: the value as read, the proven ID, flagged, clone members, every record', () => {
    const v = build();
    v.finish();
    const current = Object.fromEntries(
      ['a', 'b', 'c', 'd', 'e', 'g', 'h', 'i', 'j', 'zz'].map((u) => [u, v.currentValue(u)]),
    );
    assert.deepEqual(current, {
      a: link(ID_A),
      b: link(ID_A),
      c: undefined,
      d: 'Isolated by Ransomware Detection',
      e: null,
      g: `${link(ID_G)}&x=1`,
      h: link(ID_G),
      i: link(ID_I),
      j: link(ID_J),
      zz: undefined,
    });
    assert.deepEqual(
      ['a', 'b', 'c', 'h'].map((u) => v.knownId(u)),
      [ID_A, ID_B, null, null],
    );
    assert.equal(v.unprovenMismatches(), 0);
    assert.deepEqual(
      ['b', 'c', 'k1', 'zz'].map((u) => v.isFlagged(u)),
      [true, false, true, false],
    );
    assert.deepEqual(
      v.cloneMembers().map((r) => r.uid),
      ['a', 'b', 'g', 'h', 'k2', 'k1'],
    );
    assert.deepEqual(
      [...v.refsWithIds()].map((r) => r.uid),
      ['a', 'b', 'c', 'g', 'h', 'i', 'j', 'k2', 'k1'],
    );
  });

  it('a wrong salt: mismatches are not trusted, and no ID is known', () => {
    const v = new FleetValidator(profile, { source: 't', saltValue: 'wrong' });
    v.add(
      dev({
        uid: 'a',
        value: link(ID_A),
        audit: { macs: ['00:1a:2b:3c:4d:5e'], biosSerial: null, baseboardSerial: '/7XYZ123/CN1296314A0123/' },
      }),
    );
    // Two MACs: a mismatch with no expected ID, nothing to trust or distrust.
    v.add(
      dev({
        uid: 'b',
        value: link(ID_C),
        audit: {
          macs: ['00:1a:2b:3c:4d:5e', '00:1a:2b:3c:4d:5f'],
          biosSerial: null,
          baseboardSerial: '/7XYZ123/CN1296314A0123/',
        },
      }),
    );
    v.finish();
    assert.equal(v.unprovenMismatches(), 1);
    assert.equal(v.knownId('a'), null);
  });
});

describe('FleetValidator: clone messages', () => {
  beforeEach(() => clearFleetMemo());
  const members = (n: number, id: string, v: FleetValidator) => {
    for (let i = 0; i < n; i++)
      v.add(
        dev({
          uid: `u${String(i).padStart(2, '0')}`,
          hostname: `H${String(i).padStart(2, '0')}`,
          value: link(id),
        }),
      );
  };
  const message = (v: FleetValidator) => v.finish().devices[0]?.findings[0]?.message;

  it('names ten members by default, then says how many more', () => {
    const ten = new FleetValidator(profile, { source: 't' });
    members(10, ID_C, ten);
    assert.match(message(ten) ?? '', /H09 \(site Site One\) \(a cloned image\)$/);
    const eleven = new FleetValidator(profile, { source: 't' });
    members(11, ID_C, eleven);
    assert.match(message(eleven) ?? '', /H09 \(site Site One\) and 1 more \(a cloned image\)$/);
  });

  it('names as many as cloneNames says', () => {
    const v = new FleetValidator(profile, { source: 't', cloneNames: 1 });
    members(3, ID_C, v);
    assert.equal(
      message(v),
      `3 devices carry the ID ${ID_C}: H00 (site Site One) and 2 more (a cloned image)`,
    );
  });

  it('names the verified member by uid when it has no host name; two verified members: none', () => {
    const audit = {
      macs: ['00:1a:2b:3c:4d:5e'],
      biosSerial: null,
      baseboardSerial: '/7XYZ123/CN1296314A0123/',
    };
    const one = new FleetValidator(profile, { source: 't', saltValue: SALT });
    one.add(dev({ uid: 'x1', value: link(ID_A), audit }));
    one.add(dev({ uid: 'x2', hostname: 'B', value: link(ID_A) }));
    assert.match(message(one) ?? '', /; the audit confirms the ID belongs to x1 \(a cloned image\)$/);
    const two = new FleetValidator(profile, { source: 't', saltValue: SALT });
    two.add(dev({ uid: 'x1', value: link(ID_A), audit }));
    two.add(dev({ uid: 'x2', value: link(ID_A), audit }));
    assert.match(message(two) ?? '', /x2 \(site Site One\) \(a cloned image\)$/);
  });
});

describe('FleetValidator: info-only devices and late audits', () => {
  beforeEach(() => clearFleetMemo());
  it('an info-only device joined by a clone gets its report (no uid index built)', () => {
    const v = new FleetValidator(profile, { source: 't', saltValue: SALT });
    v.add(dev({ uid: 'a', hostname: 'A', value: link(ID_C), audit: biosOnly('00:1a:2b:3c:4d:60') }));
    v.add(dev({ uid: 'b', hostname: 'B', value: link(ID_C) }));
    const r = v.finish();
    assert.deepEqual(
      r.devices.map((d) => [d.uid, d.findings.map((f) => f.code)]),
      [
        ['a', ['id-not-recomputable', 'id-clone']],
        ['b', ['id-clone']],
      ],
    );
    assert.equal(r.summary.devicesWithFindings, 2);
    assert.equal(v.currentValue('a'), link(ID_C));
  });

  it('a finding for a device by uid, before and after its info-only record', () => {
    const v = new FleetValidator(profile, { source: 't', saltValue: SALT });
    v.addFindings({ uid: 'a', hostname: 'A', siteUid: 's1', siteName: 'Site One' }, []);
    v.add(dev({ uid: 'a', hostname: 'A', value: link(ID_C), audit: biosOnly('00:1a:2b:3c:4d:60') }));
    v.add(dev({ uid: 'c', hostname: 'C', value: link(ID_J), audit: biosOnly('00:1a:2b:3c:4d:63') }));
    v.addFindings({ uid: 'zz', hostname: 'Z', siteUid: 's1', siteName: 'Site One' }, [
      { code: 'listing-site-missing', message: 'm1' },
    ]);
    v.addFindings({ uid: 'c', hostname: 'C', siteUid: 's1', siteName: 'Site One' }, [
      { code: 'listing-site-missing', message: 'm0' },
    ]);
    v.add(dev({ uid: 'b', hostname: 'B', value: link(ID_I), audit: biosOnly('00:1a:2b:3c:4d:61') }));
    v.addFindings({ uid: 'b', hostname: 'B', siteUid: 's1', siteName: 'Site One' }, [
      { code: 'listing-account-missing', message: 'm2' },
    ]);
    v.addFindings({ uid: 'b', hostname: 'B', siteUid: 's1', siteName: 'Site One' }, [
      { code: 'listing-site-missing', message: 'm3' },
    ]);
    // Only an informational finding: a report, but no device or site with findings.
    v.addFindings({ uid: 'q', hostname: 'Q', siteUid: 's1', siteName: 'Site One' }, [
      { code: 'id-not-recomputable', message: 'no audit' },
    ]);
    const r = v.finish();
    assert.deepEqual(
      r.devices.map((d) => [d.uid, d.findings.map((f) => f.code)]),
      [
        ['a', ['id-not-recomputable']],
        ['b', ['id-not-recomputable', 'listing-account-missing', 'listing-site-missing']],
        ['c', ['id-not-recomputable', 'listing-site-missing']],
        ['q', ['id-not-recomputable']],
        ['zz', ['listing-site-missing']],
      ],
    );
    assert.deepEqual(r.summary.sites, [
      { siteUid: 's1', siteName: 'Site One', devices: 3, devicesWithFindings: 3, findings: 4 },
    ]);
    assert.equal(r.summary.devicesWithFindings, 3);
    assert.equal(r.summary.findings, 4);
    assert.equal(r.summary.counts['id-not-recomputable'], 4);
  });

  it('a device with extra findings and an audit that cannot decide: one row with both', () => {
    const v = new FleetValidator(profile, { source: 't', saltValue: SALT });
    v.add(dev({ uid: 'a', hostname: 'A', value: link(ID_C), audit: biosOnly('00:1a:2b:3c:4d:60') }), [
      { code: 'listing-account-missing', message: 'm' },
    ]);
    assert.deepEqual(
      v.finish().devices.map((d) => [d.uid, d.findings.map((f) => f.code)]),
      [['a', ['listing-account-missing', 'id-not-recomputable']]],
    );
  });

  it('malformed records without a uid are each a device, never a repeat', () => {
    const v = new FleetValidator(profile, { source: 't' });
    v.add({ ok: false, uid: '', hostname: '', siteUid: 's', reason: 'r1' });
    v.add({ ok: false, uid: '', hostname: '', siteUid: 's', reason: 'r2' });
    const r = v.finish();
    assert.equal(r.summary.devices, 2);
    assert.equal(r.summary.duplicates, 0);
    assert.deepEqual(
      r.devices.map((d) => d.uid),
      ['(malformed #1)', '(malformed #2)'],
    );
  });

  it('an audit after the pass moves the device from not audited, with its OS and value', () => {
    const v = new FleetValidator(profile, { source: 't', saltValue: SALT });
    const serial = 'C02XYZ12JGH5';
    const id = idOf('001A2B3C4D5E', `SYS:${serial}`);
    v.add(dev({ uid: 'm', hostname: 'M', operatingSystem: 'macOS 14', value: `${link(id)}#x` }));
    v.add(dev({ uid: 'n', hostname: 'N', operatingSystem: 'macOS 14', value: link(ID_C) }));
    const refs = [...v.refsWithIds()];
    const audit = { macs: ['00:1a:2b:3c:4d:5e'], biosSerial: serial, baseboardSerial: null };
    for (const ref of refs) v.auditLater(ref, audit);
    const r = v.finish();
    assert.deepEqual(r.summary.recompute, { verified: 1, mismatch: 1, notRecomputable: 0, notAudited: 0 });
    assert.deepEqual(
      r.devices.map((d) => [d.uid, d.findings.map((f) => f.code)]),
      [['n', ['id-mismatch']]],
    );
    assert.equal(v.currentValue('n'), link(ID_C));
    assert.equal(v.knownId('n'), id);
  });

  it('an account salt the API reports after the first device is used from then on', () => {
    const p = { ...profile };
    const v = new FleetValidator(p, { source: 't' });
    const audit = {
      macs: ['00:1a:2b:3c:4d:5e'],
      biosSerial: null,
      baseboardSerial: '/7XYZ123/CN1296314A0123/',
    };
    v.add(dev({ uid: 'a', value: link(ID_A), audit }));
    v.accountUid = SALT;
    v.add(dev({ uid: 'b', value: link(ID_A), audit }));
    v.add(dev({ uid: 'c', value: link(ID_A), audit }));
    v.requests = 7;
    const r = v.finish();
    assert.deepEqual(r.summary.recompute, { verified: 2, mismatch: 0, notRecomputable: 1, notAudited: 0 });
    assert.equal(r.summary.requests, 7);
  });

  it('a site salt is each device’s own site; --salt-value overrides it', () => {
    const p: FleetProfile = { ...profile, salt: { kind: 'site' } };
    const audit = {
      macs: ['00:1a:2b:3c:4d:5e'],
      biosSerial: null,
      baseboardSerial: '/7XYZ123/CN1296314A0123/',
    };
    const v = new FleetValidator(p, { source: 't' });
    v.add(dev({ uid: 'a', siteUid: SALT, value: link(ID_A), audit }));
    v.add(dev({ uid: 'b', siteUid: 'other', value: link(ID_A), audit }));
    assert.deepEqual(v.finish().summary.recompute, {
      verified: 1,
      mismatch: 1,
      notRecomputable: 0,
      notAudited: 0,
    });
    // b mismatched with its own site's salt, which verified no device: its expected ID is not trusted.
    assert.equal(v.unprovenMismatches(), 1);
    assert.equal(v.knownId('b'), null);
    assert.equal(v.knownId('a'), ID_A);
    const given = new FleetValidator(p, { source: 't', saltValue: SALT });
    given.add(dev({ uid: 'a', siteUid: 'x', value: link(ID_A), audit }));
    given.add(dev({ uid: 'b', siteUid: 'y', value: link(ID_A), audit }));
    assert.deepEqual(given.finish().summary.recompute, {
      verified: 2,
      mismatch: 0,
      notRecomputable: 0,
      notAudited: 0,
    });
  });
});

describe('FleetValidator: a finding about a site', () => {
  it('counts the finding, on its site too, but its row is no device with findings', () => {
    const v = new FleetValidator(profile, { source: 't' });
    const dev = (uid: string, siteUid: string, value: string | null): DeviceRead => ({
      ok: true,
      device: {
        uid,
        hostname: uid.toUpperCase(),
        siteUid,
        siteName: `Site ${siteUid}`,
        operatingSystem: '',
        value,
      },
    });
    v.add(dev('a', 's1', null));
    v.add(dev('b', 's1', link(ID_C)));
    v.addSiteFinding({ siteUid: 's1', siteName: 'Site s1' }, '(site s1)', {
      code: 'listing-site-failed',
      message: 'the listing failed',
    });
    const r = v.finish();
    // One device (a: udf-empty) has a finding; the site row is a row, a finding, not a device.
    assert.equal(r.summary.devices, 2);
    assert.equal(r.summary.devicesWithFindings, 1);
    assert.equal(r.summary.findings, 2);
    assert.equal(r.summary.counts['listing-site-failed'], 1);
    assert.deepEqual(r.summary.sites, [
      { siteUid: 's1', siteName: 'Site s1', devices: 2, devicesWithFindings: 1, findings: 2 },
    ]);
    assert.deepEqual(
      r.devices.map((d) => [d.uid, d.hostname, d.findings.map((f) => f.code)]),
      [
        ['(site s1)', '', ['listing-site-failed']],
        ['a', 'A', ['udf-empty']],
      ],
    );
  });
});
