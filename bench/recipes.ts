// Benchmark of vendor recipes in TypeScript: the same inputs through deviceId() (DEVID1's hand-tuned
// path) and through recipeDeviceId() with each example recipe, to show what the general path costs.
import { deviceId } from '../lib/devid/recipe.js';
import { loadRecipe, recipeDeviceId } from '../lib/devid/recipes.js';
import { generateInputs } from './devid.js';

const N = Number(process.env.BENCH_RECIPES_N ?? 200_000);
const RECIPES = ['devid1', 'colon-mac-raw-serial-sha256', 'bare-mac-trim-serial-md5', 'sha1-base64url-22'];

function time(fn: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

export async function benchRecipes(): Promise<void> {
  const inputs = generateInputs(N);
  let sink = 0;
  const base = time(() => {
    for (const input of inputs) sink += 'id' in deviceId(input) ? 1 : 0;
  });
  console.log(
    `recipes   deviceId (DEVID1 fast path)      ${Math.round((N / base) * 1000)} IDs/s (best of 3, ${N} inputs)`,
  );
  for (const name of RECIPES) {
    const recipe = await loadRecipe(`policies/recipes/${name}.yaml`);
    const ms = time(() => {
      for (const input of inputs) sink += 'id' in recipeDeviceId(recipe, input) ? 1 : 0;
    });
    console.log(
      `recipes   ${name.padEnd(32)} ${Math.round((N / ms) * 1000)} IDs/s (${(ms / base).toFixed(2)}x the fast path)`,
    );
  }
  if (sink < 0) console.log(sink);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchRecipes();
