// The fleet profile: what every device's UDF is checked against, built once from the integration
// file (link template, allowed hosts, slot, salt, ID shape). Refuses a profile that could not pass.
import { checkLinkTemplate, ID_PLACEHOLDER, UDF_MAX_LENGTH } from '../devid/link.js';
import { RECIPE } from '../devid/recipe.js';
import { DEVID1_RECIPE, type Recipe, recipeIdPattern, recipeLinkPolicy } from '../devid/recipes.js';
import { RmmkitError } from '../errors.js';
import type { FleetIntegration, FleetProfile, IdShape } from './types.js';

/** DEVID1's ID: a lower-case hex SHA-256. */
export const DEVID1_SHAPE: IdShape = {
  name: RECIPE,
  describe: '64 lower-case hex digits',
  pattern: /^[0-9a-f]{64}$/,
  recomputable: true,
};

/** A resolved recipe (lib/devid/recipes.ts), as lib/integration puts it in `link.recipe`. */
function isRecipe(v: unknown): v is Recipe {
  // Only an object has an array of parts.
  return Array.isArray((v as { parts?: unknown } | null | undefined)?.parts) && 'hash' in (v as object);
}

/**
 * The ID shape of a recipe. A recipe that is DEVID1 in substance (whatever its name) gets DEVID1's
 * shape and recomputation; any other is recomputed by the recipe itself (lib/fleet/checks.ts).
 */
export function idShapeOf(recipe: Recipe): IdShape {
  // (An absent truncate is written as null inside the array.)
  const same = (r: Recipe) => JSON.stringify([r.parts, r.joiner, r.hash, r.encoding, r.truncate]);
  const devid1 = same(recipe) === same(DEVID1_RECIPE as Recipe);
  if (devid1) return DEVID1_SHAPE;
  // Stryker disable next-line StringLiteral: only the ID length is read, and the host plays no part in it
  const policy = recipeLinkPolicy(recipe, 'x');
  return {
    name: recipe.name,
    describe: `${policy.idLength} characters of the recipe ${recipe.name}`,
    pattern: recipeIdPattern(recipe),
    recomputable: true,
  };
}

/** Datto's default number of UDF slots; the API models up to 300. */
export const DEFAULT_MAX_SLOTS = 30;
export const MAX_SLOTS_CEILING = 300;

function normalizeHost(host: string): string | null {
  if (!host || /[^\x21-\x7e]|[/?#@\\]/.test(host)) return null;
  try {
    return new URL(`https://${host}/`).host;
  } catch {
    return null;
  }
}

/**
 * Builds the profile from the normalized integration (or any object of that shape). The ID shape
 * is DEVID1's unless `idShape` is given (a recipe may define another). Throws BAD_PROFILE naming
 * every problem: an unusable template or host, a slot out of range.
 */
export function fleetProfileFromIntegration(
  integration: FleetIntegration,
  options: { idShape?: IdShape } = {},
): FleetProfile {
  const where = integration.file ? `Integration ${integration.file}` : 'Integration';
  const { link } = integration;
  const recipe = isRecipe(link.recipe) ? link.recipe : undefined;
  const recipeShape = recipe ? idShapeOf(recipe) : undefined;
  const problems: string[] = [];
  const maxSlots = link.udf.max ?? DEFAULT_MAX_SLOTS;
  if (!Number.isInteger(maxSlots) || maxSlots < 1 || maxSlots > MAX_SLOTS_CEILING)
    problems.push(`link.udf.max is ${maxSlots}; allowed: an integer from 1 to ${MAX_SLOTS_CEILING}`);
  if (!Number.isInteger(link.udf.slot) || link.udf.slot < 1 || link.udf.slot > maxSlots)
    problems.push(`link.udf.slot is ${link.udf.slot}; allowed: an integer from 1 to ${maxSlots}`);
  const hosts: string[] = [];
  for (const [i, h] of link.hosts.entries()) {
    const n = normalizeHost(h);
    if (n === null) problems.push(`link.hosts[${i}] ${JSON.stringify(h)} is not a host name`);
    else hosts.push(n);
  }
  if (link.hosts.length === 0) problems.push('link.hosts is empty; name at least one host');
  const at = link.template.indexOf(ID_PLACEHOLDER);
  if (hosts.length > 0) {
    // Every host gets its own check; the template must pass for the host it points to.
    const results = hosts.map((host) =>
      checkLinkTemplate(link.template, recipe ? recipeLinkPolicy(recipe, host) : { host }),
    );
    // None passes: the first host's problems say why (a template on another host is one of them).
    if (!results.some((r) => r.length === 0))
      for (const p of results[0] as string[]) problems.push(`link.template ${p}`);
  }
  // (A template without exactly one {ID} is a problem above, or the hosts are.)
  if (problems.length > 0) {
    throw new RmmkitError(
      'BAD_PROFILE',
      `${where} cannot be used for fleet validation:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  return {
    vendor: integration.vendor,
    product: integration.product,
    template: link.template,
    prefix: link.template.slice(0, at),
    suffix: link.template.slice(at + ID_PLACEHOLDER.length),
    hosts: [...new Set(hosts)].sort(),
    slot: link.udf.slot,
    maxSlots,
    maxLength: UDF_MAX_LENGTH,
    salt: link.salt,
    idShape: options.idShape ?? recipeShape ?? DEVID1_SHAPE,
    // DEVID1 under any name keeps DEVID1's own recomputation; another recipe recomputes itself.
    ...(recipeShape && recipeShape !== DEVID1_SHAPE ? { recipe } : {}),
    accountUid: integration.datto?.accountUid,
  };
}

/** The link a device with `id` should carry. */
export function linkFor(profile: FleetProfile, id: string): string {
  return profile.prefix + id + profile.suffix;
}

/** Whether `value` is exactly the link for `id` (without building that link). */
export function isLinkFor(profile: FleetProfile, value: string | null, id: string): boolean {
  const { prefix, suffix } = profile;
  return (
    value !== null &&
    value.length === prefix.length + id.length + suffix.length &&
    value.startsWith(prefix) &&
    value.startsWith(id, prefix.length) &&
    value.endsWith(suffix)
  );
}
