// Per-device checks: each coded finding from a hand-written value (expected codes from the issue's
// definitions), the profile's refusals, and DEVID1 recomputation against the spec's worked example.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { checkValue, recomputeId } from '../../lib/fleet/checks.js';
import { fleetProfileFromIntegration } from '../../lib/fleet/profile.js';
import type { FleetDevice } from '../../lib/fleet/types.js';
import { BRIGHT, profile } from './fixtures.js';

const ID = 'f65c806fd58462681752a281c52eb78a42b57eff77470ef4d3e801a228a8b209';
const LINK = `https://partner.bright-av.web/console/device?id=${ID}`;

describe('fleet checks: the value in the slot', () => {
  const cases: [string, string | null, string[], string | null][] = [
    ['a correct link', LINK, [], ID],
    ['absent', null, ['udf-empty'], null],
    ['blank', '   ', ['udf-empty'], null],
    ['another tool’s text', 'Isolated by Ransomware Detection', ['udf-foreign'], null],
    ['another vendor’s link', 'https://console.other.example/device/42', ['udf-foreign'], null],
    ['plain http', LINK.replace('https:', 'http:'), ['link-scheme'], ID],
    ['credentials', LINK.replace('https://', 'https://admin:pw@'), ['link-credentials'], ID],
    [
      'another host, our path',
      LINK.replace('partner.bright-av.web', 'partner.bright-av.web.evil.example'),
      ['link-host'],
      ID,
    ],
    ['no scheme', `partner.bright-av.web/console/device?id=${ID}`, ['link-not-url'], null],
    // The URL parser drops the tab, so the parsed link is sound; the raw text is not.
    ['a tab inside', LINK.replace('/device', '/de\tvice'), ['link-control'], ID],
    ['an encoded line feed', `${LINK}%0a`, ['link-control', 'id-shape'], null],
    ['upper-case ID', LINK.replace(ID, ID.toUpperCase()), ['id-shape'], null],
    ['short ID', LINK.replace(ID, ID.slice(0, 63)), ['id-shape'], null],
    ['extra parameter, too long', `${LINK}&pad=${'x'.repeat(300 - LINK.length)}`, ['link-too-long'], ID],
    ['exactly 255', `${LINK}&p=${'x'.repeat(255 - LINK.length - 3)}`, [], ID],
  ];
  for (const [name, value, codes, id] of cases)
    it(name, () => {
      const r = checkValue(profile, value);
      assert.deepEqual(
        r.findings.map((f) => f.code),
        codes,
      );
      assert.equal(r.id, id);
      for (const f of r.findings) assert.ok(f.message.length > 10);
    });
});

describe('fleet profile', () => {
  it('normalizes hosts and splits the template around {ID}', () => {
    assert.equal(profile.prefix, 'https://partner.bright-av.web/console/device?id=');
    assert.equal(profile.suffix, '');
    assert.deepEqual(profile.hosts, ['partner.bright-av.web']);
    assert.equal(profile.slot, 5);
    assert.equal(profile.idShape.name, 'DEVID1');
  });
  it('is built from the real integration file through loadIntegration (the issue-9 contract)', async () => {
    const { loadIntegration } = await import('../../lib/integration/index.js');
    const file = fileURLToPath(new URL('../../policies/bright-antivirus.yaml', import.meta.url));
    const p = fleetProfileFromIntegration(await loadIntegration(file));
    assert.equal(p.template, 'https://partner.bright-av.web/console/device?id={ID}');
    assert.equal(p.slot, 7);
    assert.equal(p.maxSlots, 30);
    assert.deepEqual(p.salt, { kind: 'account' });
  });
  it('refuses a template whose host is not allowed, and a slot out of range, naming both', () => {
    assert.throws(
      () =>
        fleetProfileFromIntegration({
          ...BRIGHT,
          link: { ...BRIGHT.link, hosts: ['other.example'], udf: { slot: 31, max: 30 } },
        }),
      (e: Error) => /link\.udf\.slot is 31/.test(e.message) && /other\.example/.test(e.message),
    );
  });
});

describe('fleet checks: recomputing DEVID1 from an audit', () => {
  // devid1.md §4 example 3: MAC 001A.2B3C.4D5E, BB /7XYZ123/CN1296314A0123/, salt a1b2c3d4-…-000000000001.
  const salt = { salt: 'a1b2c3d4-0000-4000-8000-000000000001' };
  const win: FleetDevice = {
    uid: 'd1',
    hostname: 'H',
    siteUid: 's',
    siteName: 'S',
    operatingSystem: 'Microsoft Windows 11',
    value: LINK,
  };
  it('verifies the ID when the audit carries the baseboard serial (an export from another tool)', () => {
    const r = recomputeId(
      profile,
      win,
      ID,
      {
        macs: ['aa:bb:cc:00:11:22', '00:1a:2b:3c:4d:5e'],
        biosSerial: 'X1',
        baseboardSerial: '/7XYZ123/CN1296314A0123/',
      },
      salt,
    );
    assert.deepEqual(r, { status: 'verified', id: ID });
  });
  it('reports a mismatch with the expected ID when the chain is known and one MAC is listed', () => {
    const r = recomputeId(
      profile,
      win,
      ID,
      { macs: ['00:1a:2b:3c:4d:5e'], biosSerial: null, baseboardSerial: 'OTHERSERIAL1' },
      salt,
    );
    assert.equal(r.status, 'mismatch');
  });
  it('never guesses on Windows without a baseboard serial: not recomputable, with the reason', () => {
    const r = recomputeId(
      profile,
      win,
      ID,
      { macs: ['00:1a:2b:3c:4d:5e'], biosSerial: 'CZC1234XYZ', baseboardSerial: null },
      salt,
    );
    assert.equal(r.status, 'not-recomputable');
    assert.match((r as { reason: string }).reason, /no baseboard serial|exposes none/);
  });
  // Serials reach the junk test in canonical form (devid1.md §2): an audit value like
  // "To be filled by O.E.M." is the junk TOBEFILLEDBYOEM. Expected IDs computed here from the
  // spec's canonical string, not by lib/devid.
  const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
  const sysId = (serial: string) => sha(`DEVID1|001A2B3C4D5E|SYS:${serial}|${sha(salt.salt)}`);
  const mac: FleetDevice = { ...win, operatingSystem: 'macOS Sonoma 14.5' };
  it('a junk baseboard serial (raw spelling) and an ID of the BIOS serial: verified', () => {
    const r = recomputeId(
      profile,
      win,
      sysId('CZC1234XYZ'),
      { macs: ['00:1a:2b:3c:4d:5e'], biosSerial: 'czc-1234 xyz', baseboardSerial: 'To be filled by O.E.M.' },
      salt,
    );
    assert.deepEqual(r, { status: 'verified', id: sysId('CZC1234XYZ') });
  });
  it('a junk baseboard serial and another ID: not recomputable (it may be a placeholder), never a mismatch', () => {
    for (const baseboardSerial of ['Default string', 'N/A']) {
      const r = recomputeId(
        profile,
        win,
        ID,
        { macs: ['00:1a:2b:3c:4d:5e'], biosSerial: 'CZC1234XYZ', baseboardSerial },
        salt,
      );
      assert.equal(r.status, 'not-recomputable', baseboardSerial);
      assert.match((r as { reason: string }).reason, /junk or a placeholder/);
    }
  });
  it('macOS starts at the BIOS serial and never uses a baseboard serial in the audit', () => {
    const bbToo = { macs: ['00:1a:2b:3c:4d:5e'], baseboardSerial: '/7XYZ123/CN1296314A0123/' };
    // The baseboard serial gives ID (spec example 3); on macOS only the BIOS serial counts.
    assert.deepEqual(
      recomputeId(profile, mac, sysId('C02XYZ12JGH5'), { ...bbToo, biosSerial: 'C02XYZ12JGH5' }, salt),
      {
        status: 'verified',
        id: sysId('C02XYZ12JGH5'),
      },
    );
    const other = recomputeId(profile, mac, ID, { ...bbToo, biosSerial: 'C02XYZ12JGH5' }, salt);
    assert.deepEqual(
      [other.status, (other as { expected?: string }).expected],
      ['mismatch', sysId('C02XYZ12JGH5')],
    );
    const junk = recomputeId(profile, mac, ID, { ...bbToo, biosSerial: '0' }, salt);
    assert.equal(junk.status, 'not-recomputable');
    assert.match((junk as { reason: string }).reason, /UUID/);
  });
  it('macOS with a junk BIOS serial (raw spelling) is not recomputable, never a mismatch', () => {
    const r = recomputeId(
      profile,
      mac,
      ID,
      { macs: ['00:1a:2b:3c:4d:5e'], biosSerial: 'System Serial Number', baseboardSerial: null },
      salt,
    );
    assert.equal(r.status, 'not-recomputable');
  });
  it('junk baseboard and BIOS serials: not recomputable (the UUID the endpoint falls to is not in the audit)', () => {
    const r = recomputeId(
      profile,
      win,
      ID,
      { macs: ['00:1a:2b:3c:4d:5e'], biosSerial: 'n/a', baseboardSerial: 'None' },
      salt,
    );
    assert.equal(r.status, 'not-recomputable');
    assert.match((r as { reason: string }).reason, /UUID/);
  });
  it('a salt no endpoint can hash (a control character) is not recomputable, never a mismatch', () => {
    const r = recomputeId(
      profile,
      win,
      ID,
      { macs: ['00:1a:2b:3c:4d:5e'], biosSerial: 'X1', baseboardSerial: '/7XYZ123/CN1296314A0123/' },
      { salt: 'acct\u0007' },
    );
    assert.equal(r.status, 'not-recomputable');
    assert.match((r as { reason: string }).reason, /BAD_SALT/);
  });
  it('verifies on the second MAC too, and names the expected ID only when one MAC is listed', () => {
    const audit = { biosSerial: 'X1', baseboardSerial: '/7XYZ123/CN1296314A0123/' };
    assert.equal(
      recomputeId(profile, win, ID, { ...audit, macs: ['02:00:00:00:00:01', '001A.2B3C.4D5E'] }, salt).status,
      'verified',
    );
    const two = recomputeId(
      profile,
      win,
      sysId('X'),
      { ...audit, macs: ['02:00:00:00:00:01', '00:1a:2b:3c:4d:5e'] },
      salt,
    );
    assert.deepEqual([two.status, (two as { expected: unknown }).expected], ['mismatch', null]);
    const one = recomputeId(
      profile,
      win,
      sysId('X'),
      { ...audit, macs: ['00:1a:2b:3c:4d:5e', '00-1A-2B-3C-4D-5E'] },
      salt,
    );
    assert.deepEqual([one.status, (one as { expected: unknown }).expected], ['mismatch', ID]);
  });
  it('says why when the salt is unknown or no MAC is usable', () => {
    const a = recomputeId(
      profile,
      win,
      ID,
      { macs: ['00:1a:2b:3c:4d:5e'], biosSerial: 'X', baseboardSerial: 'Y' },
      { missing: 'pass --salt-value' },
    );
    assert.deepEqual(a, { status: 'not-recomputable', reason: 'pass --salt-value' });
    const b = recomputeId(
      profile,
      win,
      ID,
      { macs: ['ff:ff:ff:ff:ff:ff'], biosSerial: 'X', baseboardSerial: 'Y' },
      salt,
    );
    assert.deepEqual(b, { status: 'not-recomputable', reason: 'the audit lists no usable MAC address' });
  });
});
