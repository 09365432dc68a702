// The fleet profile's refusals word for word (slot and UDF-count bounds, hosts, templates) and what
// it keeps (sorted distinct hosts, a recipe's ID shape); reading a device or an audit whose fields
// are absent, null or of the wrong type. Expected values are written out by hand.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DEVID1_RECIPE, loadRecipe, type Recipe } from '../../lib/devid/recipes.js';
import { readAudit, readDevice } from '../../lib/fleet/device.js';
import { clearFleetMemo } from '../../lib/fleet/memo.js';
import { DEVID1_SHAPE, fleetProfileFromIntegration, idShapeOf } from '../../lib/fleet/profile.js';
import type { FleetIntegration } from '../../lib/fleet/types.js';
import { packageRoot } from '../../lib/paths.js';
import { BRIGHT, profile } from './fixtures.js';

type Link = FleetIntegration['link'];
const withLink = (link: Partial<Link>): FleetIntegration => ({
  ...BRIGHT,
  link: { ...BRIGHT.link, ...link },
});
const refusal = (i: FleetIntegration): string => {
  try {
    fleetProfileFromIntegration(i);
  } catch (e) {
    assert.equal((e as { code?: string }).code, 'BAD_PROFILE');
    return (e as Error).message;
  }
  assert.fail('the profile was accepted');
};
const HEAD = 'Integration bright-antivirus.yaml cannot be used for fleet validation:\n';

describe('fleet profile, refusal by refusal', () => {
  const cases: [string, Partial<Link>, string[]][] = [
    [
      'no UDF slots',
      { udf: { slot: 1, max: 0 } },
      [
        'link.udf.max is 0; allowed: an integer from 1 to 300',
        'link.udf.slot is 1; allowed: an integer from 1 to 0',
      ],
    ],
    [
      'more slots than the API models',
      { udf: { slot: 5, max: 301 } },
      ['link.udf.max is 301; allowed: an integer from 1 to 300'],
    ],
    [
      'a fractional number of slots',
      { udf: { slot: 1, max: 1.5 } },
      ['link.udf.max is 1.5; allowed: an integer from 1 to 300'],
    ],
    ['slot 0', { udf: { slot: 0, max: 30 } }, ['link.udf.slot is 0; allowed: an integer from 1 to 30']],
    [
      'a slot past the last',
      { udf: { slot: 31, max: 30 } },
      ['link.udf.slot is 31; allowed: an integer from 1 to 30'],
    ],
    [
      'a fractional slot',
      { udf: { slot: 2.5, max: 30 } },
      ['link.udf.slot is 2.5; allowed: an integer from 1 to 30'],
    ],
    ['no hosts', { hosts: [] }, ['link.hosts is empty; name at least one host']],
    [
      'a host with a path, an unparsable one, an empty one',
      { hosts: ['evil.example/x', '[::1', ''] },
      [
        'link.hosts[0] "evil.example/x" is not a host name',
        'link.hosts[1] "[::1" is not a host name',
        'link.hosts[2] "" is not a host name',
      ],
    ],
    [
      'a host with credentials',
      { hosts: ['user@partner.bright-av.web'] },
      ['link.hosts[0] "user@partner.bright-av.web" is not a host name'],
    ],
    [
      'a template without {ID}',
      { template: 'https://partner.bright-av.web/console' },
      ['link.template must contain {ID} exactly once (found 0)'],
    ],
  ];
  for (const [name, link, problems] of cases)
    it(name, () => {
      assert.equal(refusal(withLink(link)), `${HEAD}${problems.map((p) => `  - ${p}`).join('\n')}`);
    });

  it('names the integration only when it has a file', () => {
    assert.match(
      refusal({ ...withLink({ hosts: [] }), file: '' }),
      /^Integration cannot be used for fleet validation:\n/,
    );
  });

  it('accepts the bounds: 1 and 300 slots, the first and the last slot', () => {
    assert.equal(fleetProfileFromIntegration(withLink({ udf: { slot: 1, max: 1 } })).maxSlots, 1);
    const wide = fleetProfileFromIntegration(withLink({ udf: { slot: 300, max: 300 } }));
    assert.deepEqual([wide.slot, wide.maxSlots], [300, 300]);
    const dflt = fleetProfileFromIntegration(withLink({ udf: { slot: 30 } as Link['udf'] }));
    assert.equal(dflt.maxSlots, 30);
  });

  it('keeps the hosts sorted and distinct; the template may point to any of them, not only the first', () => {
    const p = fleetProfileFromIntegration(
      withLink({ hosts: ['z.example', 'partner.bright-av.web', 'A.example', 'partner.bright-av.web'] }),
    );
    assert.deepEqual(p.hosts, ['a.example', 'partner.bright-av.web', 'z.example']);
    assert.deepEqual(
      [p.prefix, p.suffix, p.template],
      [
        'https://partner.bright-av.web/console/device?id=',
        '',
        'https://partner.bright-av.web/console/device?id={ID}',
      ],
    );
  });

  it('takes a recipe only when it is one: an object with parts and a hash', () => {
    for (const recipe of [null, undefined, 'devid1', { parts: [] }]) {
      const p = fleetProfileFromIntegration(withLink({ recipe }));
      assert.equal(p.idShape, DEVID1_SHAPE, JSON.stringify(recipe));
      assert.equal(p.recipe, undefined);
    }
  });

  it('a recipe’s shape says its length and name; DEVID1 truncated is another recipe', async () => {
    const sha1 = await loadRecipe(join(packageRoot(), 'policies', 'recipes', 'sha1-base64url-22.yaml'));
    assert.equal(idShapeOf(sha1).describe, '22 characters of the recipe sha1-base64url-22');
    const cut: Recipe = { ...(DEVID1_RECIPE as Recipe), name: 'devid1-32', truncate: 32 };
    const shape = idShapeOf(cut);
    assert.notEqual(shape, DEVID1_SHAPE);
    assert.equal(shape.describe, '32 characters of the recipe devid1-32');
  });
});

describe('fleet: reading a device or an audit with missing parts', () => {
  beforeEach(() => clearFleetMemo());
  it('a device with only its uid and site', () => {
    assert.deepEqual(readDevice({ uid: 'u', siteUid: 's' }, profile, 'x'), {
      ok: true,
      device: {
        uid: 'u',
        hostname: '',
        siteUid: 's',
        siteName: '',
        operatingSystem: '',
        value: null,
        audit: undefined,
      },
    });
  });
  it('a malformed device keeps only the text fields it had', () => {
    assert.deepEqual(readDevice({ uid: 7, siteUid: 's', hostname: ['h'] }, profile, 'x'), {
      ok: false,
      uid: '',
      hostname: '',
      siteUid: 's',
      reason: 'x: uid: must be a string; hostname: must be a string or null',
    });
  });
  it('an audit with no NIC list, no BIOS and no baseboard', () => {
    const none = { macs: [], biosSerial: null, baseboardSerial: null };
    assert.deepEqual(readAudit({}), none);
    assert.deepEqual(readAudit({ nics: null, bios: null, baseBoard: null }), none);
    assert.deepEqual(readAudit({ baseBoard: { serialNumber: 'MB-1' } }), {
      ...none,
      baseboardSerial: 'MB-1',
    });
  });
});
