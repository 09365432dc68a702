// Tests of the Linux collector (lib/devid/collect-linux.ts) on fake sysfs trees built from fixtures.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { collectLinux } from '../../lib/devid/collect-linux.js';
import { deviceId } from '../../lib/devid/recipe.js';
import { loadSysfsFixtures, withSysfs } from '../helpers/sysfs.js';

describe('collectLinux', () => {
  for (const { name, fixture } of loadSysfsFixtures()) {
    it(`${name}: ${fixture.description}`, () =>
      withSysfs(fixture, async (root) => {
        const c = await collectLinux({ sysRoot: root });
        assert.equal(c.nics[0]?.name ?? null, fixture.expect.chosen);
        if (fixture.expect.mac) assert.equal(c.nics[0]?.canonicalMac, fixture.expect.mac);
        assert.ok(!c.nics.some((n) => n.name === 'lo'));
        if (fixture.expect.candidates)
          assert.deepEqual(
            c.nics.map((n) => n.name),
            fixture.expect.candidates,
          );
        const r = deviceId({ mac: c.nics[0]?.mac, serials: c.serials });
        assert.equal('error' in r ? r.error : null, fixture.expect.error);
        assert.equal('source' in r ? r.source : null, fixture.expect.source);
      }));
  }

  it('reads serials without the trailing newline and in chain order', () =>
    withSysfs('physical-with-docker', async (root) => {
      const c = await collectLinux({ sysRoot: root });
      assert.deepEqual(c.serials, {
        BB: 'PF2ABCDE',
        SYS: 'MJ0XYZ12',
        UUID: '4c4c4544-0051-3410-8053-b4c04f4a3132',
      });
      // SHA-256 of DEVID1|3CECEF123456|BB:PF2ABCDE| (no salt), computed with Python's hashlib.
      assert.deepEqual(deviceId({ mac: c.nics[0]?.mac, serials: c.serials }), {
        id: '052ced28cce4a5926a64d2fa2408a553c3db27467f03d143aa3b4e945101dcf9',
        source: 'BB',
        canonical: 'DEVID1|3CECEF123456|BB:PF2ABCDE|',
      });
    }));

  it('says NOT_ROOT instead of falling back when board_serial is unreadable', () =>
    withSysfs('physical-with-docker', async (root) => {
      const c = await collectLinux({
        sysRoot: root,
        readText: async (p) => {
          if (p.includes('/dmi/')) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
          return readFile(p, 'utf8');
        },
      });
      assert.equal(c.error, 'NOT_ROOT');
      assert.deepEqual(c.serials, {});
      assert.match(c.notes.join('\n'), /board_serial: permission denied/);
    }));

  it('copes with a missing sysfs', async () => {
    const c = await collectLinux({ sysRoot: '/nonexistent-rmmkit' });
    assert.deepEqual(c.nics, []);
    assert.match(c.notes.join('\n'), /not readable/);
  });
});
