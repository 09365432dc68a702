// Fleet validation follows the integration's recipe: a link holding an ID of the recipe's shape is
// ours, a DEVID1-shaped one is not; only a recipe that is DEVID1 in substance is recomputed.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DEVID1_RECIPE, loadRecipe, type Recipe } from '../../lib/devid/recipes.js';
import { DEVID1_SHAPE, fleetProfileFromIntegration, idShapeOf } from '../../lib/fleet/profile.js';
import { packageRoot } from '../../lib/paths.js';

const RECIPES = join(packageRoot(), 'policies', 'recipes');

describe('fleet profile with a recipe', () => {
  it('takes the ID shape from link.recipe; DEVID1 by another name stays recomputable', async () => {
    const sha1 = await loadRecipe(join(RECIPES, 'sha1-base64url-22.yaml'));
    const shape = idShapeOf(sha1);
    assert.equal(shape.recomputable, false);
    assert.ok(shape.pattern.test('AbCdEfGhIjKlMnOpQr_-12'));
    assert.ok(!shape.pattern.test('AbCdEfGhIjKlMnOpQr_-1'), '21 characters');
    assert.ok(!shape.pattern.test('a'.repeat(64)), 'a DEVID1 ID is not this recipe');
    assert.ok(!shape.pattern.test('AbCdEfGhIjKlMnOpQr+/12'), 'base64 characters');
    const renamed = { ...(DEVID1_RECIPE as Recipe), name: 'our-devid1' };
    assert.equal(idShapeOf(renamed), DEVID1_SHAPE);
    const profile = fleetProfileFromIntegration({
      vendor: 'V',
      product: 'P',
      link: {
        template: 'https://console.example/d/{ID}',
        hosts: ['console.example'],
        salt: { kind: 'none' },
        udf: { slot: 5, max: 30 },
        recipe: sha1,
      },
    });
    assert.equal(profile.idShape.name, 'sha1-base64url-22');
    const plain = fleetProfileFromIntegration({
      vendor: 'V',
      product: 'P',
      link: {
        template: 'https://console.example/d/{ID}',
        hosts: ['console.example'],
        salt: { kind: 'none' },
        udf: { slot: 5, max: 30 },
      },
    });
    assert.equal(plain.idShape, DEVID1_SHAPE);
  });
});
