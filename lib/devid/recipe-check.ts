// Checks a recipe against reference pairs a vendor supplies (inputs → the ID its console shows), and
// when the recipe misses, looks for the one small change (case, separator, order, hash, encoding,
// truncation …) that would make every pair match.
import { parse } from 'csv-parse/sync';
import { InputError } from '../errors.js';
import {
  encodedLength,
  type Recipe,
  type RecipeEncoding,
  type RecipeHash,
  type RecipePart,
  recipeDeviceId,
} from './recipes.js';
import type { DeviceIdInput, SerialSource } from './types.js';

/** One reference pair: a device's inputs and the ID the vendor's console shows for it. */
export interface ReferencePair {
  /** Line of the CSV file (the header is line 1). */
  line: number;
  input: DeviceIdInput;
  id: string;
}

/** The columns of a reference file, in the order the docs give them. */
export const EXPECT_COLUMNS = ['mac', 'bb', 'sys', 'uuid', 'salt', 'id'] as const;

/**
 * Reads a reference CSV (header `mac,bb,sys,uuid,salt,id`, any column order, UTF-8 with or without
 * BOM); an empty cell is an absent input. Throws InputError naming the file and line.
 */
export function parseReferenceCsv(text: string, file: string): ReferencePair[] {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false }) as string[][];
  } catch (err) {
    throw new InputError(file, `not valid CSV: ${(err as Error).message}`, { cause: err });
  }
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const missing = EXPECT_COLUMNS.filter((c) => !header.includes(c));
  const extra = header.filter((h) => !(EXPECT_COLUMNS as readonly string[]).includes(h));
  // An unknown column makes the header longer than six unless a documented one is missing: the two
  // tests below catch every wrong header (repeats included); `extra` only words the message.
  if (missing.length > 0 || header.length !== EXPECT_COLUMNS.length) {
    throw new InputError(
      file,
      `line 1: the header must name the columns ${EXPECT_COLUMNS.join(',')} (found ${JSON.stringify(header.join(','))}${missing.length ? `; missing ${missing.join(', ')}` : ''}${extra.length ? `; unknown ${extra.join(', ')}` : ''})`,
    );
  }
  if (rows.length < 2) throw new InputError(file, 'has a header but no reference pairs');
  // Every row has the header's six cells (csv-parse refuses another count): the ?? only satisfies types.
  // Stryker disable next-line StringLiteral: no cell is ever missing (see above)
  const col = (row: string[], name: (typeof EXPECT_COLUMNS)[number]) => row[header.indexOf(name)] ?? '';
  return rows.slice(1).map((row, i) => {
    const id = col(row, 'id').trim();
    if (id === '')
      throw new InputError(file, `line ${i + 2}: the id column is empty; every pair needs the console's ID`);
    return {
      line: i + 2,
      input: {
        mac: col(row, 'mac'),
        serials: { BB: col(row, 'bb'), SYS: col(row, 'sys'), UUID: col(row, 'uuid') },
        salt: col(row, 'salt'),
      },
      id,
    };
  });
}

export interface PairMismatch {
  line: number;
  input: DeviceIdInput;
  expected: string;
  /** The recipe's ID, or its error code. */
  got: string;
  /** The string that was hashed; null when the recipe gave an error. */
  canonical: string | null;
}

export interface RecipeCheckReport {
  recipe: string;
  pairs: number;
  matched: number;
  /** The first mismatch in file order, or null when every pair matches. */
  firstMismatch: PairMismatch | null;
  /** Single changes to the recipe that would make every pair match ([] when none or nothing to fix). */
  suggestions: string[];
}

function matches(recipe: Recipe, pairs: readonly ReferencePair[]): boolean {
  for (const p of pairs) {
    const r = recipeDeviceId(recipe, p.input);
    if (!('id' in r) || r.id !== p.id) return false;
  }
  return true;
}

function permutations<T>(xs: readonly T[]): T[][] {
  // Stryker disable next-line EqualityOperator: one element or none: the general case gives [[x]] too
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) =>
    permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]),
  );
}

const partName = (p: RecipePart) => (p.kind === 'literal' ? JSON.stringify(p.text) : p.kind);

/** Every recipe one small change away from `recipe`, with a description of the change. */
export function recipeVariants(
  recipe: Recipe,
  expectedIds: readonly string[],
): { change: string; recipe: Recipe }[] {
  const out: { change: string; recipe: Recipe }[] = [];
  const withPart = (i: number, part: RecipePart, change: string) => {
    const parts = [...recipe.parts];
    parts[i] = part;
    out.push({ change, recipe: { ...recipe, parts } });
  };
  recipe.parts.forEach((p, i) => {
    if (p.kind === 'mac') {
      const other = p.case === 'upper' ? 'lower' : 'upper';
      withPart(i, { ...p, case: other }, `MAC case: ${p.case} → ${other} (parts[${i}].mac.case: ${other})`);
      for (const sep of ['', ':', '-'] as const) {
        if (sep !== p.separator)
          withPart(
            i,
            { ...p, separator: sep },
            `MAC separator: ${JSON.stringify(p.separator)} → ${JSON.stringify(sep)}`,
          );
      }
    } else if (p.kind === 'serial') {
      for (const n of ['devid1', 'trim', 'raw'] as const) {
        if (n !== p.normalize)
          withPart(i, { ...p, normalize: n }, `serial normalisation: ${p.normalize} → ${n}`);
      }
      withPart(
        i,
        { ...p, withSource: !p.withSource },
        `serial source prefix (SRC:): ${p.withSource ? 'drop it' : 'add it'}`,
      );
      withPart(i, { ...p, junk: !p.junk }, `serial junk list: ${p.junk ? 'off' : 'on'}`);
      const all: SerialSource[] = ['BB', 'SYS', 'UUID'];
      const candidates = [...permutations(p.sources), ...permutations(all)];
      const seen = new Set([p.sources.join('>')]);
      for (const sources of candidates) {
        const key = sources.join('>');
        if (seen.has(key)) continue;
        seen.add(key);
        withPart(i, { ...p, sources }, `serial sources: ${p.sources.join(' > ')} → ${sources.join(' > ')}`);
      }
    } else if (p.kind === 'salt') {
      const other = p.form === 'raw' ? 'sha256' : 'raw';
      withPart(i, { ...p, form: other }, `salt form: ${p.form} → ${other}`);
    }
  });
  for (const order of permutations(recipe.parts.map((_, i) => i)).slice(1)) {
    const parts = order.map((i) => recipe.parts[i] as RecipePart);
    out.push({
      change: `part order: ${recipe.parts.map(partName).join(', ')} → ${parts.map(partName).join(', ')}`,
      recipe: { ...recipe, parts },
    });
  }
  for (const joiner of ['', '|', '-', ':', ';', ',', '_', '.', '/', ' ', '#', '+']) {
    if (joiner !== recipe.joiner)
      out.push({
        change: `joiner: ${JSON.stringify(recipe.joiner)} → ${JSON.stringify(joiner)}`,
        recipe: { ...recipe, joiner },
      });
  }
  for (const hash of ['sha256', 'sha1', 'md5'] as RecipeHash[]) {
    if (hash !== recipe.hash)
      out.push({ change: `hash: ${recipe.hash} → ${hash}`, recipe: { ...recipe, hash } });
  }
  for (const encoding of ['hex', 'hex-upper', 'base64', 'base64url'] as RecipeEncoding[]) {
    if (encoding !== recipe.encoding)
      out.push({ change: `encoding: ${recipe.encoding} → ${encoding}`, recipe: { ...recipe, encoding } });
  }
  const lengths = new Set(expectedIds.map((id) => id.length));
  const only = lengths.size === 1 ? [...lengths][0] : undefined;
  if (only !== undefined && only !== recipe.truncate) {
    out.push({
      change: `truncation: ${recipe.truncate ?? 'none'} → ${only} (truncate: ${only})`,
      recipe: { ...recipe, truncate: only },
    });
  }
  if (recipe.truncate !== null) {
    out.push({ change: `truncation: ${recipe.truncate} → none`, recipe: { ...recipe, truncate: null } });
  }
  // A console that also cuts its IDs: every change above, cut to the length all its IDs share.
  // Stryker disable next-line ConditionalExpression: without a shared length `only < full` below is false for every variant, so the loop adds nothing
  if (only !== undefined) {
    for (const v of [...out]) {
      const full = encodedLength(v.recipe.hash, v.recipe.encoding);
      if (v.recipe.truncate === null && only < full && !v.change.startsWith('truncation')) {
        out.push({
          change: `${v.change}, and cut to ${only} characters (truncate: ${only})`,
          recipe: { ...v.recipe, truncate: only },
        });
      }
    }
  }
  return out;
}

/** Checks `recipe` against every pair; on a miss, names the single changes that fix every pair. */
export function checkRecipeAgainst(recipe: Recipe, pairs: readonly ReferencePair[]): RecipeCheckReport {
  let matched = 0;
  let firstMismatch: PairMismatch | null = null;
  for (const p of pairs) {
    const r = recipeDeviceId(recipe, p.input);
    if ('id' in r && r.id === p.id) {
      matched++;
      continue;
    }
    firstMismatch ??= {
      line: p.line,
      input: p.input,
      expected: p.id,
      got: 'id' in r ? r.id : r.error,
      canonical: 'id' in r ? r.canonical : null,
    };
  }
  const suggestions =
    firstMismatch === null
      ? []
      : recipeVariants(
          recipe,
          pairs.map((p) => p.id),
        )
          .filter((v) => matches(v.recipe, pairs))
          .map((v) => v.change);
  return { recipe: recipe.name, pairs: pairs.length, matched, firstMismatch, suggestions };
}
