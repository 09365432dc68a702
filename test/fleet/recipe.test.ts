// Fleet validation follows the integration's recipe: a link holding an ID of the recipe's shape is
// ours, a DEVID1-shaped one is not; only a recipe that is DEVID1 in substance is recomputed.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DEVID1_RECIPE, loadRecipe, type Recipe } from '../../lib/devid/recipes.js';
import { recomputeId } from '../../lib/fleet/checks.js';
import { DEVID1_SHAPE, fleetProfileFromIntegration, idShapeOf } from '../../lib/fleet/profile.js';
import { packageRoot } from '../../lib/paths.js';
import { referenceId } from '../helpers/recipe-reference.js';

const RECIPES = join(packageRoot(), 'policies', 'recipes');

describe('fleet profile with a recipe', () => {
  it('takes the ID shape from link.recipe; DEVID1 by another name stays recomputable', async () => {
    const sha1 = await loadRecipe(join(RECIPES, 'sha1-base64url-22.yaml'));
    const shape = idShapeOf(sha1);
    assert.equal(shape.recomputable, true);
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
    assert.equal(plain.recipe, undefined);
    assert.equal(profile.recipe, sha1);
  });

  it('recomputes a recipe ID from audit data only when the recipe source order makes it certain', async () => {
    const sha1 = await loadRecipe(join(RECIPES, 'sha1-base64url-22.yaml')); // sources SYS, BB, UUID
    const md5 = await loadRecipe(join(RECIPES, 'bare-mac-trim-serial-md5.yaml')); // sources BB, SYS, UUID
    const link = (recipe: Recipe) =>
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
    const device = { uid: 'd1', hostname: 'h', siteUid: 's', siteName: 'S', operatingSystem: 'Windows 11' };
    const audit = { macs: ['00:1a:2b:3c:4d:5e'], biosSerial: 'CZC1234XYZ', baseboardSerial: null };
    const ref = (recipe: Recipe, t: { bb?: string; sys?: string }) => {
      const r = referenceId(recipe, { mac: '00:1a:2b:3c:4d:5e', ...t });
      assert.ok('id' in r);
      return r.id;
    };
    const salt = { salt: '' };
    // SYS first: the BIOS serial decides, so a match verifies and anything else is a mismatch.
    const good = ref(sha1, { sys: 'CZC1234XYZ' });
    assert.deepEqual(recomputeId(link(sha1), device as never, good, audit, salt), {
      status: 'verified',
      id: good,
    });
    const wrong = recomputeId(link(sha1), device as never, 'A'.repeat(22), audit, salt);
    assert.equal(wrong.status, 'mismatch');
    assert.equal((wrong as { expected: string }).expected, good);
    // BB first and the API has no baseboard serial: a non-matching ID proves nothing ...
    const unsure = recomputeId(link(md5), device as never, 'f'.repeat(32), audit, salt);
    assert.equal(unsure.status, 'not-recomputable');
    // ... but the BIOS-serial candidate matching does verify it, and a known baseboard decides.
    const viaSys = ref(md5, { sys: 'CZC1234XYZ' });
    assert.equal(recomputeId(link(md5), device as never, viaSys, audit, salt).status, 'verified');
    const withBb = { ...audit, baseboardSerial: 'MB-0042-XYZ' };
    assert.equal(recomputeId(link(md5), device as never, viaSys, withBb, salt).status, 'mismatch');
    const viaBb = ref(md5, { bb: 'MB-0042-XYZ', sys: 'CZC1234XYZ' });
    assert.equal(recomputeId(link(md5), device as never, viaBb, withBb, salt).status, 'verified');
  });
});
