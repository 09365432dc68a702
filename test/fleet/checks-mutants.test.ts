// The per-device checks to the letter: every finding's exact message, which values count as ours,
// the exact-link fast path (taken only when the full check would say the same), the salt each
// kind of profile resolves to, and every reason ID recomputation gives. Expected messages are
// written out by hand; expected IDs come from the spec's worked example or node:crypto.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { loadRecipe, type Recipe } from '../../lib/devid/recipes.js';
import { checkValue, recomputeId, resolveSalt } from '../../lib/fleet/checks.js';
import { clearFleetMemo, memo } from '../../lib/fleet/memo.js';
import { fleetProfileFromIntegration } from '../../lib/fleet/profile.js';
import type { FleetAudit, FleetDevice, FleetProfile } from '../../lib/fleet/types.js';
import { packageRoot } from '../../lib/paths.js';
import { referenceId } from '../helpers/recipe-reference.js';
import { BRIGHT, profile } from './fixtures.js';

// devid1.md §4 example 3.
const ID = 'f65c806fd58462681752a281c52eb78a42b57eff77470ef4d3e801a228a8b209';
const PREFIX = 'https://partner.bright-av.web/console/device?id=';
const LINK = `${PREFIX}${ID}`;
const TEMPLATE = 'https://partner.bright-av.web/console/device?id={ID}';
const NOT_FOLLOWED = `the link does not follow the template ${TEMPLATE}; no ID can be read from it`;

const withTemplate = (template: string) =>
  fleetProfileFromIntegration({ ...BRIGHT, link: { ...BRIGHT.link, template } });
/** A template with text after {ID}. */
const SUFFIXED = withTemplate('https://partner.bright-av.web/d/{ID}/view');
const SUFFIXED_NOT_FOLLOWED =
  'the link does not follow the template https://partner.bright-av.web/d/{ID}/view; no ID can be read from it';

type Row = [name: string, p: FleetProfile, value: string | null, findings: [string, string][], rest: object];

describe('fleet checks, message by message', () => {
  const rows: Row[] = [
    [
      'absent',
      profile,
      null,
      [['udf-empty', 'udf5 is empty; the link component has not written it']],
      { id: null, ours: false },
    ],
    [
      'another tool’s text',
      profile,
      'Isolated by Ransomware Detection',
      [
        [
          'udf-foreign',
          'udf5 holds "Isolated by Ransomware Detection", which is not a Bright Antivirus link: another tool or a person overwrote it',
        ],
      ],
      { id: null, ours: false },
    ],
    [
      'a foreign value quoted whole at 80 characters',
      profile,
      'z'.repeat(78),
      [
        [
          'udf-foreign',
          `udf5 holds "${'z'.repeat(78)}", which is not a Bright Antivirus link: another tool or a person overwrote it`,
        ],
      ],
      { id: null, ours: false },
    ],
    [
      'a foreign value cut after 79 characters',
      profile,
      'z'.repeat(79),
      [
        [
          'udf-foreign',
          `udf5 holds "${'z'.repeat(78)}…", which is not a Bright Antivirus link: another tool or a person overwrote it`,
        ],
      ],
      { id: null, ours: false },
    ],
    [
      'our link without a scheme (not a URL, still ours)',
      profile,
      `partner.bright-av.web/console/device?id=${ID}`,
      [
        [
          'link-not-url',
          `"partner.bright-av.web/console/device?id=${ID.slice(0, 38)}…" is not an absolute URL`,
        ],
      ],
      { id: null, ours: true },
    ],
    [
      'our host in capitals inside text',
      profile,
      'see PARTNER.BRIGHT-AV.WEB',
      [['link-not-url', '"see PARTNER.BRIGHT-AV.WEB" is not an absolute URL']],
      { id: null, ours: true },
    ],
    [
      'our path on another host over http',
      profile,
      `http://evil.example/console/device?id=${ID}`,
      [
        ['link-scheme', 'the link uses http:; only https: is allowed'],
        ['link-host', 'the link points to "evil.example"; allowed: partner.bright-av.web'],
      ],
      { id: ID, ours: true, exact: false },
    ],
    [
      'our host, percent-encoded (ours by the parsed host)',
      profile,
      'https://partner%2Ebright-av.web/x',
      [['id-shape', NOT_FOLLOWED]],
      { id: null, ours: true, exact: false },
    ],
    [
      'a scheme with no origin: the whole link must follow the template',
      profile,
      `foo://partner.bright-av.web/console/device?id=${ID}`,
      [
        ['link-scheme', 'the link uses foo:; only https: is allowed'],
        ['id-shape', NOT_FOLLOWED],
      ],
      { id: null, ours: true, exact: false },
    ],
    [
      'a user name only',
      profile,
      LINK.replace('https://', 'https://admin@'),
      [['link-credentials', 'the link carries credentials (user:password@)']],
      { id: ID, ours: true, exact: false },
    ],
    [
      'a password only',
      profile,
      LINK.replace('https://', 'https://:pw@'),
      [['link-credentials', 'the link carries credentials (user:password@)']],
      { id: ID, ours: true, exact: false },
    ],
    [
      'a tab',
      profile,
      LINK.replace('/device', '/de\tvice'),
      [
        [
          'link-control',
          `the link contains the control character U+0009 at offset ${LINK.indexOf('/device') + 3}; only printable ASCII is allowed`,
        ],
      ],
      { id: ID, ours: true, exact: false },
    ],
    [
      'DEL',
      profile,
      `${LINK}&x=\x7f`,
      [
        [
          'link-control',
          `the link contains the control character U+007F at offset ${LINK.length + 3}; only printable ASCII is allowed`,
        ],
      ],
      { id: ID, ours: true, exact: false },
    ],
    [
      'a printable non-ASCII character',
      profile,
      `${LINK}&x=é`,
      [
        [
          'link-control',
          `the link contains U+00E9 at offset ${LINK.length + 3}; only printable ASCII is allowed`,
        ],
      ],
      { id: ID, ours: true, exact: false },
    ],
    [
      'an encoded line feed',
      profile,
      `${LINK}&x=%0a`,
      [
        [
          'link-control',
          `the link contains the control character %0a at offset ${LINK.length + 3}; only printable ASCII is allowed`,
        ],
      ],
      { id: ID, ours: true, exact: false },
    ],
    [
      'too long',
      profile,
      `${LINK}&pad=${'x'.repeat(300 - LINK.length - 5)}`,
      [['link-too-long', 'the link is 300 characters long; a UDF holds 255']],
      { id: ID, ours: true, exact: false },
    ],
    [
      'an upper-case ID',
      profile,
      LINK.replace(ID, ID.toUpperCase()),
      [['id-shape', `the ID "${ID.toUpperCase()}" is not 64 lower-case hex digits (DEVID1)`]],
      { id: null, ours: true, exact: false },
    ],
    [
      'a long wrong ID, quoted up to 90 characters',
      profile,
      `${PREFIX}${'a'.repeat(100)}`,
      [['id-shape', `the ID "${'a'.repeat(88)}…" is not 64 lower-case hex digits (DEVID1)`]],
      { id: null, ours: true, exact: false },
    ],
    [
      'no ID at all',
      profile,
      PREFIX,
      [['id-shape', 'the ID "" is not 64 lower-case hex digits (DEVID1)']],
      { id: null, ours: true, exact: false },
    ],
    ['a fragment after the ID', profile, `${LINK}#top`, [], { id: ID, ours: true, exact: false }],
    [
      'a suffixed template: the exact link',
      SUFFIXED,
      `https://partner.bright-av.web/d/${ID}/view`,
      [],
      { id: ID, ours: true, exact: true },
    ],
    [
      'a suffixed template: & inside the ID is part of it',
      SUFFIXED,
      'https://partner.bright-av.web/d/ab&c/view',
      [['id-shape', 'the ID "ab&c" is not 64 lower-case hex digits (DEVID1)']],
      { id: null, ours: true, exact: false },
    ],
    [
      'a suffixed template: prefix and suffix overlap',
      SUFFIXED,
      'https://partner.bright-av.web/d/view',
      [['id-shape', SUFFIXED_NOT_FOLLOWED]],
      { id: null, ours: true, exact: false },
    ],
    [
      'a suffixed template: another suffix',
      SUFFIXED,
      `https://partner.bright-av.web/d/${ID}/vieX`,
      [['id-shape', SUFFIXED_NOT_FOLLOWED]],
      { id: null, ours: true, exact: false },
    ],
    [
      'a suffixed template: another path',
      SUFFIXED,
      `https://partner.bright-av.web/x/${ID}/view`,
      [['id-shape', SUFFIXED_NOT_FOLLOWED]],
      { id: null, ours: true, exact: false },
    ],
    [
      'two hosts: the message lists both',
      { ...profile, hosts: ['a.example', 'partner.bright-av.web'] },
      `https://evil.example/console/device?id=${ID}`,
      [['link-host', 'the link points to "evil.example"; allowed: a.example, partner.bright-av.web']],
      { id: ID, ours: true, exact: false },
    ],
    [
      'two hosts: naming one of them in text is enough to be ours',
      { ...profile, hosts: ['a.example', 'partner.bright-av.web'] },
      'see partner.bright-av.web',
      [['link-not-url', '"see partner.bright-av.web" is not an absolute URL']],
      { id: null, ours: true },
    ],
    [
      'a template whose path is "/": another site’s link is not ours',
      withTemplate('https://partner.bright-av.web/{ID}'),
      'https://other.example/x',
      [
        [
          'udf-foreign',
          'udf5 holds "https://other.example/x", which is not a Bright Antivirus link: another tool or a person overwrote it',
        ],
      ],
      { id: null, ours: false },
    ],
  ];
  for (const [name, p, value, findings, rest] of rows)
    it(name, () => {
      clearFleetMemo();
      const r = checkValue(p, value);
      assert.deepEqual(r, { findings: findings.map(([code, message]) => ({ code, message })), ...rest });
    });
});

describe('fleet checks: the exact-link fast path', () => {
  beforeEach(() => clearFleetMemo());
  /** True when the result is the shared clean result of the fast path (the URL parse skipped). */
  const fast = (r: { findings: unknown[] }) => Object.isFrozen(r.findings);

  it('is taken from the second exact link on, with the full check’s answer', () => {
    for (const [p, link] of [
      [{ ...profile }, LINK],
      [{ ...SUFFIXED }, `https://partner.bright-av.web/d/${ID}/view`],
    ] as const) {
      const first = checkValue(p, link);
      assert.equal(fast(first), false, 'the first is checked in full');
      const second = checkValue(p, link);
      assert.equal(fast(second), true, link);
      assert.deepEqual(second, { findings: [], id: ID, ours: true, exact: true });
    }
  });

  it('is not taken by a value of the same length on another host, nor with another suffix', () => {
    const p = { ...profile };
    checkValue(p, LINK);
    const other = LINK.replace('bright-av.web', 'bright-av.wex');
    assert.deepEqual(
      checkValue(p, other).findings.map((f) => f.code),
      ['link-host'],
    );
    const s = { ...SUFFIXED };
    checkValue(s, `https://partner.bright-av.web/d/${ID}/view`);
    assert.deepEqual(
      checkValue(s, `https://partner.bright-av.web/d/${ID}/vieX`).findings.map((f) => f.message),
      [SUFFIXED_NOT_FOLLOWED],
    );
  });

  it('never passes a link over 255 characters, and takes one of exactly 255', () => {
    // An ID shape that allows long IDs (a profile may be given any shape).
    const p: FleetProfile = {
      ...profile,
      idShape: { name: 'LONG', describe: 'letters', pattern: /^[a-z]+$/, recomputable: false },
    };
    checkValue(p, `${PREFIX}abc`);
    const at255 = `${PREFIX}${'a'.repeat(255 - PREFIX.length)}`;
    assert.equal(fast(checkValue(p, at255)), true);
    const over = `${PREFIX}${'a'.repeat(256 - PREFIX.length)}`;
    assert.deepEqual(checkValue(p, over), {
      findings: [{ code: 'link-too-long', message: 'the link is 256 characters long; a UDF holds 255' }],
      id: 'a'.repeat(256 - PREFIX.length),
      ours: true,
      exact: true,
    });
  });

  it('is never taken when the template’s own link has a finding', () => {
    const p = { ...profile, hosts: ['other.example'] };
    for (let i = 0; i < 3; i++) {
      const r = checkValue(p, LINK);
      assert.deepEqual(
        r.findings.map((f) => f.code),
        ['link-host'],
        `device ${i + 1}`,
      );
      assert.equal(r.id, ID);
    }
  });

  it('checks an ID with characters URL parsing gives meaning to in full', () => {
    const p: FleetProfile = {
      ...profile,
      idShape: { name: 'ANY', describe: 'anything', pattern: /^[a-z%.]+$/, recomputable: false },
    };
    checkValue(p, `${PREFIX}abc`);
    assert.equal(fast(checkValue(p, `${PREFIX}a%2e`)), false);
  });
});

describe('fleet checks: the salt an endpoint hashed', () => {
  const device: FleetDevice = {
    uid: 'd',
    hostname: 'h',
    siteUid: 'site-1',
    siteName: 'S',
    operatingSystem: 'Windows',
    value: null,
  };
  const salted = (salt: FleetProfile['salt'], accountUid?: string): FleetProfile => ({
    ...profile,
    salt,
    accountUid,
  });
  it('takes --salt-value over everything, even an empty one', () => {
    assert.deepEqual(resolveSalt(salted({ kind: 'site' }), device, '', 'api'), { salt: '' });
    assert.deepEqual(resolveSalt(salted({ kind: 'account' }, 'file'), device, 'given', 'api'), {
      salt: 'given',
    });
  });
  it('per kind: none, site, account (the file’s UID before the API’s), an endpoint variable', () => {
    assert.deepEqual(resolveSalt(salted({ kind: 'none' }), device, undefined, 'api'), { salt: '' });
    assert.deepEqual(resolveSalt(salted({ kind: 'site' }), device, undefined, 'api'), { salt: 'site-1' });
    assert.deepEqual(resolveSalt(salted({ kind: 'account' }, 'file'), device, undefined, 'api'), {
      salt: 'file',
    });
    assert.deepEqual(resolveSalt(salted({ kind: 'account' }), device, undefined, 'api'), { salt: 'api' });
    assert.deepEqual(resolveSalt(salted({ kind: 'account' }), device, undefined, undefined), {
      missing: 'the salt is the account UID, which is unknown: pass --salt-value',
    });
    assert.deepEqual(resolveSalt(salted({ kind: 'env', name: 'MYSALT' }), device, undefined, 'api'), {
      missing: 'the salt comes from the endpoint variable MYSALT: pass its value with --salt-value',
    });
  });
});

describe('fleet checks: every reason of DEVID1 recomputation', () => {
  beforeEach(() => clearFleetMemo());
  const salt = { salt: 'a1b2c3d4-0000-4000-8000-000000000001' };
  const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
  const idOf = (mac: string, serial: string) => sha(`DEVID1|${mac}|${serial}|${sha(salt.salt)}`);
  const MAC = '00:1a:2b:3c:4d:5e';
  const win: FleetDevice = {
    uid: 'd1',
    hostname: 'H',
    siteUid: 's',
    siteName: 'S',
    operatingSystem: 'Microsoft Windows 11',
    value: LINK,
  };
  const mac: FleetDevice = { ...win, operatingSystem: 'macOS Sonoma 14.5' };
  const audit = (a: Partial<FleetAudit>): FleetAudit => ({
    macs: [MAC],
    biosSerial: null,
    baseboardSerial: null,
    ...a,
  });
  const BB = '/7XYZ123/CN1296314A0123/';

  it('an ID shape rmmkit cannot recompute', () => {
    const p = { ...profile, idShape: { ...profile.idShape, name: 'X1', recomputable: false } };
    assert.deepEqual(recomputeId(p, win, ID, audit({ baseboardSerial: BB }), salt), {
      status: 'not-recomputable',
      reason: 'rmmkit cannot recompute X1 IDs',
    });
  });

  it('a mismatch names the MAC count, the serial used and, for one MAC, the expected ID', () => {
    assert.deepEqual(recomputeId(profile, win, 'e'.repeat(64), audit({ baseboardSerial: BB }), salt), {
      status: 'mismatch',
      expected: ID,
      reason: `the stored ID matches none of the 1 MAC address in the audit hashed with the baseboard serial; expected ${ID}`,
    });
    assert.deepEqual(
      recomputeId(
        profile,
        win,
        'e'.repeat(64),
        audit({ macs: [MAC, '00:1a:2b:3c:4d:5f'], baseboardSerial: BB }),
        salt,
      ),
      {
        status: 'mismatch',
        expected: null,
        reason:
          'the stored ID matches none of the 2 MAC addresses in the audit hashed with the baseboard serial',
      },
    );
    const sys = idOf('001A2B3C4D5E', 'SYS:C02XYZ12JGH5');
    assert.deepEqual(recomputeId(profile, mac, ID, audit({ biosSerial: 'C02XYZ12JGH5' }), salt), {
      status: 'mismatch',
      expected: sys,
      reason: `the stored ID matches none of the 1 MAC address in the audit hashed with the BIOS serial (macOS starts the chain there); expected ${sys}`,
    });
  });

  it('each not-recomputable reason, word for word', () => {
    const cases: [string, FleetDevice, Partial<FleetAudit>, string][] = [
      [
        'macOS, junk BIOS serial',
        mac,
        { biosSerial: 'N/A' },
        'the BIOS serial is absent or junk; the endpoint then hashes the SMBIOS UUID, which the audit does not show',
      ],
      [
        'junk baseboard and BIOS serials',
        win,
        { biosSerial: 'N/A', baseboardSerial: 'None' },
        'the baseboard serial in the audit is junk or a placeholder and the BIOS serial is absent or junk: the endpoint hashed a serial the audit does not show (the real baseboard serial or the SMBIOS UUID)',
      ],
      [
        'no baseboard serial, no BIOS serial',
        win,
        {},
        'the API exposes no baseboard serial and the BIOS serial is absent or junk',
      ],
      [
        'junk baseboard serial, a BIOS serial that does not match',
        win,
        { biosSerial: 'CZC1234XYZ', baseboardSerial: 'N/A' },
        'the baseboard serial in the audit is junk or a placeholder (the endpoint may have read a real one); the BIOS-serial candidate does not match, which proves nothing',
      ],
      [
        'no baseboard serial, a BIOS serial that does not match',
        win,
        { biosSerial: 'CZC1234XYZ' },
        'the endpoint hashes the baseboard serial first and the API exposes none; the BIOS-serial candidate does not match, which proves nothing',
      ],
    ];
    for (const [name, device, a, reason] of cases)
      assert.deepEqual(
        recomputeId(profile, device, ID, audit(a), salt),
        { status: 'not-recomputable', reason },
        name,
      );
  });

  it('remembers at most 1024 operating-system names', () => {
    for (let i = 0; i < 1100; i++)
      recomputeId(profile, { ...win, operatingSystem: `Windows build ${i}` }, ID, audit({}), salt);
    assert.equal(memo.macOsNames.size, 1024);
  });
});

describe('fleet checks: recomputing a vendor recipe', () => {
  const RECIPES = join(packageRoot(), 'policies', 'recipes');
  const device: FleetDevice = {
    uid: 'd1',
    hostname: 'h',
    siteUid: 's',
    siteName: 'S',
    operatingSystem: 'Windows 11',
    value: null,
  };
  const MAC = '00:1a:2b:3c:4d:5e';
  const profileOf = (recipe: Recipe) =>
    fleetProfileFromIntegration({
      vendor: 'V',
      product: 'P',
      link: {
        template: 'https://console.example/d/{ID}',
        hosts: ['console.example'],
        salt: { kind: 'none' },
        udf: { slot: 5, max: 30 },
        recipe,
      },
    });
  const ref = (recipe: Recipe, t: { mac?: string; bb?: string; sys?: string; salt?: string }) => {
    const r = referenceId(recipe, { mac: MAC, ...t });
    assert.ok('id' in r, JSON.stringify(r));
    return r.id;
  };
  let md5: Recipe;
  let sha1: Recipe;
  before(async () => {
    md5 = await loadRecipe(join(RECIPES, 'bare-mac-trim-serial-md5.yaml')); // BB, SYS, UUID
    sha1 = await loadRecipe(join(RECIPES, 'sha1-base64url-22.yaml')); // SYS, BB, UUID
  });
  const unsure = (name: string, sources: string) =>
    `the recipe ${name} takes ${sources}, and the audit does not show a usable value for every source before the one it could use (the API has no baseboard serial or UUID)`;

  it('a junk baseboard serial before the BIOS serial proves nothing (the device may have a real one)', () => {
    // Before: the export's "N/A" counted as the baseboard the endpoint saw, and a non-matching ID
    // was reported as a mismatch with a wrong expected ID.
    const a = { macs: [MAC], biosSerial: 'CZC1234XYZ', baseboardSerial: 'N/A' };
    assert.deepEqual(recomputeId(profileOf(md5), device, 'f'.repeat(32), a, { salt: '' }), {
      status: 'not-recomputable',
      reason: unsure('bare-mac-trim-serial-md5', 'BB then SYS then UUID'),
    });
    // A match still verifies.
    const viaSys = ref(md5, { sys: 'CZC1234XYZ' });
    assert.deepEqual(recomputeId(profileOf(md5), device, viaSys, a, { salt: '' }), {
      status: 'verified',
      id: viaSys,
    });
  });

  it('an absent BIOS serial before a known baseboard serial: not recomputable', () => {
    const a = { macs: [MAC], biosSerial: null, baseboardSerial: 'MB-0042-XYZ' };
    assert.deepEqual(recomputeId(profileOf(sha1), device, 'A'.repeat(22), a, { salt: '' }), {
      status: 'not-recomputable',
      reason: unsure('sha1-base64url-22', 'SYS then BB then UUID'),
    });
  });

  it('no usable serial at all: not recomputable', () => {
    const a = { macs: [MAC], biosSerial: 'N/A', baseboardSerial: null };
    assert.deepEqual(recomputeId(profileOf(sha1), device, 'A'.repeat(22), a, { salt: '' }), {
      status: 'not-recomputable',
      reason: unsure('sha1-base64url-22', 'SYS then BB then UUID'),
    });
  });

  it('the first source known: a mismatch, with the expected ID for one MAC only', () => {
    const a = { macs: [MAC], biosSerial: 'CZC1234XYZ', baseboardSerial: null };
    const good = ref(sha1, { sys: 'CZC1234XYZ', salt: '' });
    assert.deepEqual(recomputeId(profileOf(sha1), device, 'A'.repeat(22), a, { salt: '' }), {
      status: 'mismatch',
      expected: good,
      reason: `the stored ID matches none of the 1 MAC address in the audit hashed by the recipe sha1-base64url-22; expected ${good}`,
    });
    const two = { ...a, macs: [MAC, '00:1a:2b:3c:4d:5f'] };
    assert.deepEqual(recomputeId(profileOf(sha1), device, 'A'.repeat(22), two, { salt: '' }), {
      status: 'mismatch',
      expected: null,
      reason:
        'the stored ID matches none of the 2 MAC addresses in the audit hashed by the recipe sha1-base64url-22',
    });
    // The second MAC's ID verifies.
    const second = ref(sha1, { mac: '00:1a:2b:3c:4d:5f', sys: 'CZC1234XYZ', salt: '' });
    assert.equal(recomputeId(profileOf(sha1), device, second, two, { salt: '' }).status, 'verified');
  });

  it('a recipe with no serial: decided by the MAC and salt alone; a bad salt is not recomputable', () => {
    const macOnly: Recipe = {
      ...sha1,
      name: 'mac-only',
      parts: sha1.parts.filter((p) => p.kind !== 'serial'),
    };
    const a = { macs: [MAC], biosSerial: null, baseboardSerial: null };
    const r = recomputeId(profileOf(macOnly), device, 'A'.repeat(22), a, { salt: 'x' });
    assert.equal(r.status, 'mismatch');
    assert.equal((r as { expected: string }).expected, ref(macOnly, { salt: 'x' }));
    assert.deepEqual(recomputeId(profileOf(macOnly), device, 'A'.repeat(22), a, { salt: 'x\u0007' }), {
      status: 'not-recomputable',
      reason: unsure('mac-only', 'no serial'),
    });
  });
});
