// The private Handlebars environment of rmmkit: strict, no HTML escaping, partials from templates/.
// Templates stay dumb; callers pass a view model in which every field exists.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { RmmkitError } from '../errors.js';
import { packageRoot } from '../paths.js';
import { recipeViewOf } from './devid-recipe-view.js';
import { ENV_NAME, quotePowerShell, quoteSh } from './quote.js';

export type TemplateEnv = ReturnType<typeof Handlebars.create>;

let env: TemplateEnv | undefined;
const compiled = new Map<string, Handlebars.TemplateDelegate>();

/**
 * Forgets the environment and the compiled templates. For tests only: a mutation-testing run reuses
 * one process for many variants of this code, and a cached environment would hide the variant.
 */
export function clearTemplateCache(): void {
  env = undefined;
  compiled.clear();
}

/** The templates/ directory that ships with the package. */
export function templatesDir(): string {
  return join(packageRoot(), 'templates');
}

/** Builds the environment once: helpers, and every file of templates/partials as a partial. */
export function templateEnv(): TemplateEnv {
  if (env) return env;
  const hb = Handlebars.create();
  // The quoting helpers: the only way a value reaches script source as a literal.
  hb.registerHelper('sh', (value: unknown) => quoteSh(asString(value, 'sh')));
  hb.registerHelper('ps', (value: unknown) => quotePowerShell(asString(value, 'ps')));
  // An environment variable name, re-validated here so a template cannot emit anything else.
  hb.registerHelper('envName', (value: unknown) => {
    const name = asString(value, 'envName');
    if (!ENV_NAME.test(name))
      throw new RmmkitError(
        'BAD_TEMPLATE_VALUE',
        `not an environment variable name: ${JSON.stringify(name)}`,
      );
    return name;
  });
  // The device-ID recipe of a view (its `recipe` field, DEVID1 when absent) for the hash-core partials.
  hb.registerHelper('devidRecipe', (context: unknown) => recipeViewOf(context));
  const partialsDir = join(templatesDir(), 'partials');
  // Stryker disable next-line MethodExpression: registration order of partials does not matter
  for (const file of readdirSync(partialsDir).sort()) {
    // Stryker disable next-line ConditionalExpression,StringLiteral: every file of templates/partials is a .hbs today
    if (!file.endsWith('.hbs')) continue;
    hb.registerPartial(file.slice(0, -'.hbs'.length), readFileSync(join(partialsDir, file), 'utf8'));
  }
  env = hb;
  return hb;
}

function asString(value: unknown, helper: string): string {
  if (typeof value !== 'string') {
    throw new RmmkitError('BAD_TEMPLATE_VALUE', `helper ${helper} expects a string, got ${typeof value}`);
  }
  return value;
}

/** Renders templates/<name> with `view`; strict mode makes a missing view field an error, not ''. */
export function renderTemplate(name: string, view: object): string {
  // Strict mode checks {{field}} but not block-helper parameters ({{#each field}}): refuse holes here.
  for (const [key, value] of Object.entries(view)) {
    if (value === undefined) throw new RmmkitError('BAD_VIEW', `view field ${key} of ${name} is undefined`);
  }
  const hb = templateEnv();
  let template = compiled.get(name);
  // Stryker disable next-line ConditionalExpression: `true` (compile on every call) only costs time; `false` fails every render
  if (!template) {
    const source = readFileSync(join(templatesDir(), name), 'utf8');
    template = hb.compile(source, { strict: true, noEscape: true });
    compiled.set(name, template);
  }
  return template(view);
}
