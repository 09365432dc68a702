// `rmmkit devid vectors` and `rmmkit devid check`: parity vectors of any recipe, and a recipe checked
// against the reference IDs a vendor's console shows. Parses flags, calls lib/devid, prints.
import type { Argv } from 'yargs';
import type { Recipe } from '../../lib/devid/recipes.js';
import type { CommandContext } from '../context.js';

/** The --recipe flag: a recipe file, or `devid1` (the default). */
export const RECIPE_DESCRIPTION = 'device-ID recipe: a YAML file (see policies/recipes/) or devid1 (default)';

/** Loads the recipe a --recipe flag names (DEVID1 when absent), printing legacy-hash warnings. */
export async function recipeFromFlag(ctx: CommandContext, file: string | undefined): Promise<Recipe> {
  const { DEVID1_RECIPE, loadRecipe, recipeWarnings } = await import('../../lib/devid/recipes.js');
  if (file === undefined) return DEVID1_RECIPE as Recipe;
  const recipe = await loadRecipe(file);
  for (const w of recipeWarnings(recipe)) ctx.err(`rmmkit: warning: ${file}: ${w.path}: ${w.message}`);
  return recipe;
}

export function devidVectorsCommand(ctx: CommandContext) {
  return {
    command: 'vectors',
    describe: 'Write parity vectors of a recipe: one JSON object per line, {input, expected}',
    builder: (y: Argv) =>
      y
        .option('recipe', { type: 'string', describe: RECIPE_DESCRIPTION })
        .option('count', {
          type: 'number',
          default: 1000,
          describe: 'generated tuples after the 5 worked examples',
        })
        .option('seed', { type: 'number', default: 0xdec1d, describe: 'seed of the tuple generator' })
        .option('out', { type: 'string', describe: 'write to FILE (atomically) instead of stdout' }),
    handler: (a: { recipe?: string; count: number; seed: number; out?: string }) => {
      ctx.action = async () => {
        const { UsageError } = await import('../../lib/errors.js');
        if (!Number.isInteger(a.count) || a.count < 0 || a.count > 1_000_000)
          throw new UsageError(`--count ${a.count}: use a whole number from 0 to 1000000`);
        if (!Number.isInteger(a.seed) || a.seed < 1 || a.seed > 0xffffffff)
          throw new UsageError(`--seed ${a.seed}: use a whole number from 1 to 4294967295`);
        const recipe = await recipeFromFlag(ctx, a.recipe);
        const { recipeVectors } = await import('../../lib/devid/vectors.js');
        const lines: string[] = [];
        for (const line of recipeVectors(recipe, a.count, a.seed)) lines.push(line);
        const text = `${lines.join('\n')}\n`;
        if (a.out === undefined) {
          ctx.io.stdout.write(text);
          return 0;
        }
        const { writeFileAtomic } = await import('../../lib/io/files.js');
        await writeFileAtomic(a.out, text, { createParent: false });
        return 0;
      };
    },
  };
}

export function devidCheckCommand(ctx: CommandContext) {
  return {
    command: 'check',
    describe: "Check a recipe against the vendor console's reference IDs (CSV: mac,bb,sys,uuid,salt,id)",
    builder: (y: Argv) =>
      y
        .option('recipe', { type: 'string', describe: RECIPE_DESCRIPTION })
        .option('expect', {
          type: 'string',
          demandOption: true,
          describe: 'CSV of reference pairs with the header mac,bb,sys,uuid,salt,id',
        })
        .option('json', { type: 'boolean', default: false, describe: 'print the report as JSON' }),
    handler: (a: { recipe?: string; expect: string; json: boolean }) => {
      ctx.action = async () => {
        const { readFile } = await import('node:fs/promises');
        const { InputError } = await import('../../lib/errors.js');
        const recipe = await recipeFromFlag(ctx, a.recipe);
        let text: string;
        try {
          text = await readFile(a.expect, 'utf8');
        } catch (err) {
          throw new InputError(a.expect, `cannot read (${(err as NodeJS.ErrnoException).code})`, {
            cause: err,
          });
        }
        const { checkRecipeAgainst, parseReferenceCsv } = await import('../../lib/devid/recipe-check.js');
        const report = checkRecipeAgainst(recipe, parseReferenceCsv(text, a.expect));
        if (a.json) {
          ctx.out(JSON.stringify(report, null, 2));
          return report.firstMismatch ? 1 : 0;
        }
        ctx.out(`recipe ${report.recipe}: ${report.matched} of ${report.pairs} reference pairs match`);
        const m = report.firstMismatch;
        if (!m) return 0;
        const s = m.input.serials ?? {};
        ctx.out(`first mismatch: ${a.expect} line ${m.line}`);
        ctx.out(
          `  inputs    mac ${JSON.stringify(m.input.mac ?? '')}, bb ${JSON.stringify(s.BB ?? '')}, sys ${JSON.stringify(s.SYS ?? '')}, uuid ${JSON.stringify(s.UUID ?? '')}, salt ${JSON.stringify(m.input.salt ?? '')}`,
        );
        ctx.out(`  hashed    ${m.canonical === null ? `nothing (${m.got})` : JSON.stringify(m.canonical)}`);
        ctx.out(`  recipe    ${m.got}`);
        ctx.out(`  console   ${m.expected}`);
        if (report.suggestions.length > 0) {
          ctx.out('one change makes every pair match:');
          for (const change of report.suggestions) ctx.out(`  - ${change}`);
        } else {
          ctx.out(
            'no single change (case, separator, part order, normalisation, hash, encoding, truncation) makes every pair match',
          );
        }
        return 1;
      };
    },
  };
}
