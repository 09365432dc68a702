// The Linux collector takes interface names in byte order (the order of rankNics' tie-break), also
// for names beyond U+FFFF, where UTF-16 order differs: U+FF21 is EF BC A1, U+1F600 is F0 9F 98 80.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectLinuxNics } from '../../lib/devid/collect-linux.js';

describe('collectLinux: name order', () => {
  it('notes skipped interfaces in byte order, not UTF-16 order', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rmmkit-sysfs-order-'));
    try {
      for (const name of ['\u{1F600}', '\uff21', 'b'])
        mkdirSync(join(root, 'class', 'net', name), { recursive: true });
      const { nics, notes } = await collectLinuxNics({ sysRoot: root });
      assert.deepEqual(nics, []);
      assert.deepEqual(notes, [
        'b: virtual (no device link), skipped',
        '\uff21: virtual (no device link), skipped',
        '\u{1F600}: virtual (no device link), skipped',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
