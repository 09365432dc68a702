// Reading one device (the compiled schema) and the fast path of the link check: a malformed device
// names every problem with its path and what is allowed; a link that is exactly the template's is
// accepted without a URL parse only when the full check agrees.
import assert from 'node:assert/strict';
import { checkValue } from '../../lib/fleet/checks.js';
import { readAudit, readDevice } from '../../lib/fleet/device.js';
import { fleetProfileFromIntegration, isLinkFor } from '../../lib/fleet/profile.js';
import { BRIGHT, profile } from './fixtures.js';

const ID = 'f65c806fd58462681752a281c52eb78a42b57eff77470ef4d3e801a228a8b209';
const LINK = `https://partner.bright-av.web/console/device?id=${ID}`;
const GOOD = { uid: 'd-1', siteUid: 's-1', hostname: 'PC-1', udf: { udf5: LINK } };

describe('fleet: reading one device', () => {
  it('reads the fields the checks use; null and absent read as empty', () => {
    const r = readDevice(
      { ...GOOD, siteName: null, operatingSystem: undefined, extra: { any: 'thing' } },
      profile,
      'x',
    );
    assert.deepEqual(r, {
      ok: true,
      device: {
        uid: 'd-1',
        hostname: 'PC-1',
        siteUid: 's-1',
        siteName: '',
        operatingSystem: '',
        value: LINK,
        audit: undefined,
      },
    });
    const other = readDevice({ ...GOOD, udf: { udf4: LINK, udf5: null } }, profile, 'x');
    assert.equal(other.ok && other.device.value, null);
  });

  it('keeps the audit fields ID recomputation reads, dropping empty MACs', () => {
    const r = readDevice(
      {
        ...GOOD,
        audit: {
          nics: [{ macAddress: '00:11:22:33:44:55' }, null, { macAddress: '' }, { instance: 'x' }],
          bios: { serialNumber: 'SYS-1' },
          baseBoard: null,
        },
      },
      profile,
      'x',
    );
    assert.ok(r.ok);
    assert.deepEqual(r.device.audit, {
      macs: ['00:11:22:33:44:55'],
      biosSerial: 'SYS-1',
      baseboardSerial: null,
    });
  });

  const malformed: [string, unknown, string][] = [
    ['not an object', 42, 'dev.json device 3: (root): must be an object'],
    ['an array', [GOOD], 'dev.json device 3: (root): must be an object'],
    ['no uid', { siteUid: 's' }, 'dev.json device 3: uid: is missing; a device has a non-empty uid'],
    ['an empty uid', { ...GOOD, uid: '' }, 'dev.json device 3: uid: is empty'],
    ['a numeric uid', { ...GOOD, uid: 7 }, 'dev.json device 3: uid: must be a string'],
    ['a hostname object', { ...GOOD, hostname: {} }, 'dev.json device 3: hostname: must be a string or null'],
    ['a UDF number', { ...GOOD, udf: { udf5: 5 } }, 'dev.json device 3: udf.udf5: must be a string or null'],
    ['udf a list', { ...GOOD, udf: [LINK] }, 'dev.json device 3: udf: must be an object or null'],
    [
      'a NIC that is a string',
      { ...GOOD, audit: { nics: ['00:11:22:33:44:55'] } },
      'dev.json device 3: audit.nics.0: must be an object or null',
    ],
    [
      'three problems at once (at most three named)',
      { uid: 1, siteUid: 2, hostname: 3, siteName: 4 },
      'dev.json device 3: uid: must be a string; siteUid: must be a string; hostname: must be a string or null',
    ],
  ];
  for (const [name, raw, reason] of malformed)
    it(`a malformed device: ${name}`, () => {
      const r = readDevice(raw, profile, () => 'dev.json device 3');
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.reason, reason);
    });

  it('a malformed device still carries the uid, hostname and site it had', () => {
    const r = readDevice({ uid: 'd-9', siteUid: 's-2', hostname: 'PC-9', udf: 'x' }, profile, 'w');
    assert.deepEqual(r, {
      ok: false,
      uid: 'd-9',
      hostname: 'PC-9',
      siteUid: 's-2',
      reason: 'w: udf: must be an object or null',
    });
  });

  it('an audit from the API: its fields, or every problem named', () => {
    assert.deepEqual(readAudit({ nics: [{ macAddress: 'a' }], bios: { serialNumber: null } }), {
      macs: ['a'],
      biosSerial: null,
      baseboardSerial: null,
    });
    assert.equal(
      readAudit({ nics: {}, bios: 'x' }),
      'nics: must be an array or null; bios: must be an object or null',
    );
  });
});

describe('fleet: the exact-link fast path', () => {
  it('isLinkFor is true only for prefix + ID + suffix', () => {
    assert.equal(isLinkFor(profile, LINK, ID), true);
    assert.equal(isLinkFor(profile, `${LINK}x`, ID), false);
    assert.equal(isLinkFor(profile, LINK.replace('https', 'http'), ID), false);
    assert.equal(isLinkFor(profile, LINK, ID.replace('f', 'e')), false);
    assert.equal(isLinkFor(profile, null, ID), false);
    const p = fleetProfileFromIntegration({
      ...BRIGHT,
      link: { ...BRIGHT.link, template: 'https://partner.bright-av.web/d/{ID}/view' },
    });
    assert.equal(isLinkFor(p, `https://partner.bright-av.web/d/${ID}/view`, ID), true);
    assert.equal(isLinkFor(p, `https://partner.bright-av.web/d/${ID}/vie`, ID), false);
    assert.equal(isLinkFor(p, `https://partner.bright-av.web/d/${ID}/viewX`, ID), false);
  });

  it('gives the same findings as the full check, device after device', () => {
    const p = fleetProfileFromIntegration({ ...BRIGHT });
    for (let i = 0; i < 3; i++) {
      const r = checkValue(p, LINK);
      assert.deepEqual(r, { findings: [], id: ID, ours: true, exact: true });
    }
    // Values near the exact form still go through every check.
    assert.deepEqual(
      checkValue(p, LINK.replace(ID, ID.toUpperCase())).findings.map((f) => f.code),
      ['id-shape'],
    );
    assert.deepEqual(
      checkValue(p, `${LINK}${'0'.repeat(300)}`).findings.map((f) => f.code),
      ['link-too-long', 'id-shape'],
    );
  });

  it('is not taken when the URL parser would rewrite the template (a dot segment): every device is reported', () => {
    // The profile refuses such a template (it is not canonical); this guard is the second line.
    const template = 'https://partner.bright-av.web/console/./device?id={ID}';
    const p = { ...profile, template, prefix: template.replace('{ID}', '') };
    const link = `https://partner.bright-av.web/console/./device?id=${ID}`;
    for (let i = 0; i < 3; i++)
      assert.deepEqual(
        checkValue(p, link).findings.map((f) => f.code),
        ['id-shape'],
        `device ${i + 1}`,
      );
  });
});
