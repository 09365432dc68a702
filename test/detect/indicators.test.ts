// Tests of the Datto RMM indicator model (lib/detect/indicators.ts): host match semantics, platform
// classification, provenance, the sanctioned profile (lib/detect/profile.ts) and UUIDv5 ids.
import assert from 'node:assert/strict';
import {
  classifyHost,
  HOSTS,
  hostMatches,
  INDICATORS,
  isDattoHost,
  normalizeHost,
  SIGNERS,
} from '../../lib/detect/indicators.js';
import { sanctionedProfileFrom } from '../../lib/detect/profile.js';
import { uuidV5 } from '../../lib/detect/uuid.js';
import { ValidationError } from '../../lib/errors.js';

const pattern = (value: string) => HOSTS.find((h) => h.value === value)!;

describe('detect: indicators', () => {
  it('every indicator names its source and an ISO date', () => {
    for (const i of INDICATORS) {
      assert.ok(i.source.length > 10, `${i.kind} ${i.value} has no source`);
      assert.match(i.date, /^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('knows the current signer "Datto, LLC" and the legacy "Datto Inc"', () => {
    assert.deepEqual(
      SIGNERS.map((s) => [s.value, s.status]),
      [
        ['Datto, LLC', 'current'],
        ['Datto Inc', 'legacy'],
      ],
    );
  });

  const cases: [string, string, string, string | undefined, boolean][] = [
    // name, pattern, host, platform filter, expected
    ['exact matches itself', 'update.centrastage.net', 'update.centrastage.net', undefined, true],
    [
      'exact ignores case and trailing dot',
      'update.centrastage.net',
      'UPDATE.centrastage.net.',
      undefined,
      true,
    ],
    ['exact is not a suffix', 'update.centrastage.net', 'x.update.centrastage.net', undefined, false],
    ['dot-suffix matches a subdomain', 'rmm.datto.com', 'merlot.rmm.datto.com', undefined, true],
    ['dot-suffix matches the apex', 'rmm.datto.com', 'rmm.datto.com', undefined, true],
    ['dot-suffix needs the dot', 'rmm.datto.com', 'evilrmm.datto.com', undefined, false],
    ['dot-suffix is not a prefix', 'rmm.datto.com', 'rmm.datto.com.evil.example', undefined, false],
    ['platform cc host', '<platform>cc.centrastage.net', 'merlotcc.centrastage.net', undefined, true],
    ['numbered cc host', '<platform>cc.centrastage.net', 'merlotcc12.centrastage.net', undefined, true],
    [
      'cc host of the named platform',
      '<platform>cc.centrastage.net',
      'merlotcc3.centrastage.net',
      'merlot',
      true,
    ],
    [
      'cc host of another platform',
      '<platform>cc.centrastage.net',
      'concordcc.centrastage.net',
      'merlot',
      false,
    ],
    ['cc digits only after cc', '<platform>cc.centrastage.net', 'merlot2cc.centrastage.net', 'merlot', false],
    ['agent host', '<platform>-agent.centrastage.net', 'vidal-agent.centrastage.net', 'vidal', true],
    [
      'agent host is not agent-comms',
      '<platform>-agent.centrastage.net',
      'vidal-agent-comms.centrastage.net',
      undefined,
      false,
    ],
    [
      'templated host needs the domain',
      '<platform>-agent.centrastage.net',
      'vidal-agent.centrastage.net.example',
      undefined,
      false,
    ],
    [
      'portal template does not take shared hosts',
      '<platform>.centrastage.net',
      'update.centrastage.net',
      undefined,
      false,
    ],
    [
      'URL is reduced to its host',
      '<platform>-audit.centrastage.net',
      'https://syrah-audit.centrastage.net/x?y',
      'syrah',
      true,
    ],
  ];
  for (const [name, p, host, platform, expected] of cases) {
    it(`host match: ${name}`, () => assert.equal(hostMatches(pattern(p), host, platform), expected));
  }

  it('classifies hosts to their platform, most specific template first', () => {
    assert.equal(classifyHost('merlotcc2.centrastage.net')?.platform, 'merlot');
    assert.equal(classifyHost('merlotcc2.centrastage.net')?.indicator.role, 'control-channel');
    assert.equal(classifyHost('pinotage-agent-notifications.centrastage.net')?.platform, 'pinotage');
    assert.equal(classifyHost('zinfandel.rmm.datto.com')?.platform, 'zinfandel');
    assert.equal(classifyHost('update.centrastage.net'), null);
    assert.equal(classifyHost('example.com'), null);
  });

  it('tells Datto hosts from others', () => {
    assert.equal(isDattoHost('concordcc.centrastage.net'), true);
    assert.equal(isDattoHost('www.rmm.datto.com'), true);
    assert.equal(isDattoHost('centrastage.net.evil.example'), false);
    assert.equal(normalizeHost('https://[bad'), '');
  });
});

describe('detect: sanctioned profile', () => {
  const site = '0D3A7C2E-1B4F-4C55-9A0E-5B8E2F1C9D77';
  it('normalizes the datto section (lower case, sorted, unique)', () => {
    const p = sanctionedProfileFrom({
      platform: ' Merlot ',
      accountUid: '7f1d2c3b-aaaa-4bbb-8ccc-123456789abc',
      siteUids: [site, site.toLowerCase(), 'ffffffff-1b4f-4c55-9a0e-5b8e2f1c9d77'],
      devices: ['PC-2', 'pc-1'],
    });
    assert.deepEqual(p, {
      platform: 'merlot',
      accountUid: '7f1d2c3b-aaaa-4bbb-8ccc-123456789abc',
      siteUids: ['0d3a7c2e-1b4f-4c55-9a0e-5b8e2f1c9d77', 'ffffffff-1b4f-4c55-9a0e-5b8e2f1c9d77'],
      devices: ['pc-1', 'pc-2'],
    });
  });

  it('reports every problem with its path', () => {
    try {
      sanctionedProfileFrom({
        platform: 'mer lot"',
        accountUid: 'x',
        siteUids: ['ok', 3],
        devices: 'pc',
        extra: 1,
      });
      assert.fail('expected a ValidationError');
    } catch (err) {
      assert.ok(err instanceof ValidationError);
      assert.deepEqual(
        err.issues.map((i) => i.path),
        [
          'datto.extra',
          'datto.platform',
          'datto.accountUid',
          'datto.siteUids[0]',
          'datto.siteUids[1]',
          'datto.devices',
        ],
      );
    }
  });

  it('needs a platform, and a mapping', () => {
    assert.throws(() => sanctionedProfileFrom({}), /datto.platform: is required/);
    assert.throws(() => sanctionedProfileFrom(['merlot']), /must be a mapping/);
  });
});

describe('detect: UUIDv5', () => {
  it('matches the RFC 9562 example (DNS namespace, www.example.com)', () => {
    assert.equal(
      uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'),
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });
  it('matches Python uuid.uuid5 for a URL-namespace name', () => {
    // python3 -c "import uuid; print(uuid.uuid5(uuid.NAMESPACE_URL, 'https://rmmkit.invalid/detect'))"
    assert.equal(
      uuidV5('https://rmmkit.invalid/detect', '6ba7b811-9dad-11d1-80b4-00c04fd430c8'),
      '6eb4fbf2-3a1d-5239-ba86-adb8add865f1',
    );
  });
});
