// The example recipes render their reviewed scripts (test/golden/devid/recipe-*.sh|ps1), in process:
// the same golden files as test/devid/recipe-parity.test.ts, without shellcheck or any shell, so the
// mutation run (stryker.mocharc.json) sees what the recipe view does to the rendered scripts.
import assert from 'node:assert/strict';
import { loadRecipe } from '../../lib/devid/recipes.js';
import { renderDevidScript } from '../../lib/render/devid-script.js';
import { assertGolden } from '../helpers/golden.js';

const VENDOR_RECIPES = ['colon-mac-raw-serial-sha256', 'bare-mac-trim-serial-md5', 'sha1-base64url-22'];

describe('recipe scripts: golden files, rendered in process', () => {
  for (const name of VENDOR_RECIPES) {
    it(`${name}: renders the reviewed sh and PowerShell`, async () => {
      const recipe = await loadRecipe(`policies/recipes/${name}.yaml`);
      assertGolden(
        `devid/recipe-${name}.sh`,
        renderDevidScript({ target: 'sh', recipe, salt: { kind: 'site' } }),
      );
      assertGolden(
        `devid/recipe-${name}.ps1`,
        renderDevidScript({ target: 'powershell', recipe, salt: { kind: 'site' } }),
      );
    });
  }

  it('devid1.yaml renders exactly the built-in DEVID1 scripts (pinned by test/golden/devid/devid.*)', async () => {
    const recipe = await loadRecipe('policies/recipes/devid1.yaml');
    assert.notEqual(
      recipe,
      (await import('../../lib/devid/recipes.js')).DEVID1_RECIPE,
      'a recipe read from the file',
    );
    assertGolden('devid/devid.sh', renderDevidScript({ target: 'sh', recipe }));
    assertGolden('devid/devid.ps1', renderDevidScript({ target: 'powershell', recipe }));
  });
});
