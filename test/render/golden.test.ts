// Golden files of the rendered endpoint scripts: any change to a template shows up as a diff here.
// Regenerate on purpose with UPDATE_GOLDEN=1 npm test, then review the diff (helpers/golden.ts).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { type DevidScriptOptions, renderDevidScript } from '../../lib/render/devid-script.js';
import { assertGolden, GOLDEN_ROOT, updatingGolden } from '../helpers/golden.js';

const LINK = 'https://partner.bright-av.web/console/device?id={ID}';

const CASES: [string, DevidScriptOptions][] = [
  ['devid.sh', { target: 'sh' }],
  ['devid.ps1', { target: 'powershell' }],
  ['devid-site-link.sh', { target: 'sh', salt: { kind: 'site' }, link: LINK }],
  ['devid-env-link.ps1', { target: 'powershell', salt: { kind: 'env', name: 'VENDOR_SALT' }, link: LINK }],
];

describe('endpoint script golden files', () => {
  for (const [file, options] of CASES) {
    it(file, () => {
      assertGolden(join('devid', file), renderDevidScript(options));
    });
  }
});

describe('golden file helper', () => {
  it('fails on a missing golden file instead of writing it', () => {
    const name = `devid/no-such-golden-${process.pid}.txt`;
    assert.throws(() => assertGolden(name, 'x', {}), /is missing/);
    assert.equal(existsSync(join(GOLDEN_ROOT, name)), false);
  });

  it('fails on a difference, and refuses UPDATE_GOLDEN=1 in CI', () => {
    assert.throws(() => assertGolden('devid/devid.sh', 'not the script', {}), /differs/);
    assert.throws(() => updatingGolden({ UPDATE_GOLDEN: '1', CI: 'true' }), /refused in CI/);
    assert.equal(updatingGolden({}), false);
  });

  it('rewrites on purpose with UPDATE_GOLDEN=1 outside CI', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rmmkit-golden-'));
    try {
      const rel = relative(GOLDEN_ROOT, join(dir, 'g.txt'));
      // A path outside test/golden (through ..) keeps the repository untouched.
      assertGolden(rel, 'fresh', { UPDATE_GOLDEN: '1' });
      assert.equal(readFileSync(join(dir, 'g.txt'), 'utf8'), 'fresh');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
