// Vendor recipes: a console's own device-ID algorithm stated as data (parts, joiner, hash, encoding,
// truncation), validated once, then compiled to a TypeScript function. DEVID1 is the recipe `devid1`.
import { hash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { type Document, isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { InputError, type Issue, RmmkitError, ValidationError } from '../errors.js';
import { canonicalMac, canonicalSerial, junkReason, saltHex, trimSalt } from './recipe.js';
import type { DeviceIdInput, DevidErrorCode, SerialSource } from './types.js';

export type RecipeHash = 'sha256' | 'sha1' | 'md5';
export type RecipeEncoding = 'hex' | 'hex-upper' | 'base64' | 'base64url';

export interface LiteralPart {
  kind: 'literal';
  text: string;
}
export interface MacPart {
  kind: 'mac';
  /** Between octets: '' (001A2B3C4D5E), ':' or '-'. */
  separator: '' | ':' | '-';
  case: 'upper' | 'lower';
}
export interface SerialPart {
  kind: 'serial';
  /** devid1: keep 0-9 A-Z a-z, then upper-case; trim: strip leading/trailing space and tab; raw: as read. */
  normalize: 'devid1' | 'trim' | 'raw';
  /** Sources tried in this order; the first usable one wins. */
  sources: SerialSource[];
  /** Skip values DEVID1 calls junk (judged on their DEVID1 canonical form). */
  junk: boolean;
  /** Prefix the value with its source and a colon (`BB:…`), as DEVID1 does. */
  withSource: boolean;
}
export interface SaltPart {
  kind: 'salt';
  /** raw: the trimmed salt itself; sha256: its lower-case hex SHA-256 ('' when there is no salt). */
  form: 'raw' | 'sha256';
}
export type RecipePart = LiteralPart | MacPart | SerialPart | SaltPart;

/** A normalized recipe: every field present. */
export interface Recipe {
  name: string;
  parts: RecipePart[];
  joiner: string;
  hash: RecipeHash;
  encoding: RecipeEncoding;
  /** Keep the first N characters of the encoded digest; null keeps all. */
  truncate: number | null;
  /** The vendor accepts that two different inputs can give the same canonical string. */
  acceptAmbiguity: boolean;
}

/** DEVID1 (shared/specs/devid1.md) in the recipe model. Its IDs are frozen. */
export const DEVID1_RECIPE: Readonly<Recipe> = Object.freeze({
  name: 'devid1',
  parts: [
    { kind: 'literal', text: 'DEVID1' },
    { kind: 'mac', separator: '', case: 'upper' },
    { kind: 'serial', normalize: 'devid1', sources: ['BB', 'SYS', 'UUID'], junk: true, withSource: true },
    { kind: 'salt', form: 'sha256' },
  ],
  joiner: '|',
  hash: 'sha256',
  encoding: 'hex',
  truncate: null,
  acceptAmbiguity: false,
} satisfies Recipe);

// ---------------------------------------------------------------------------------------------
// The authored form (YAML or a TypeScript object) and its schema.

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const sourceSchema = z.enum(['BB', 'SYS', 'UUID']);
const macOptions = z
  .object({
    separator: z.enum(['', ':', '-']).default(''),
    case: z.enum(['upper', 'lower']).default('upper'),
  })
  .strict();
const serialOptions = z
  .object({
    normalize: z.enum(['devid1', 'trim', 'raw']).default('devid1'),
    sources: z.array(sourceSchema).min(1).default(['BB', 'SYS', 'UUID']),
    junk: z.boolean().default(true),
    withSource: z.boolean().default(false),
  })
  .strict();
const saltOptions = z.object({ form: z.enum(['raw', 'sha256']).default('sha256') }).strict();

/** One part as authored: `mac`, `serial`, `salt` (defaults), or a one-key object with options. */
const partSchema = z.union([
  z.enum(['mac', 'serial', 'salt']),
  z.object({ literal: z.string() }).strict(),
  z.object({ mac: macOptions.nullable() }).strict(),
  z.object({ serial: serialOptions.nullable() }).strict(),
  z.object({ salt: saltOptions.nullable() }).strict(),
]);

/** The zod 4 schema of a recipe as an author writes it (the integration file's `link.recipe`). */
export const recipeSchema = z
  .object({
    name: z
      .string()
      .regex(NAME, 'letters, digits, . _ - (up to 64), starting with a letter or digit')
      .optional()
      .describe('recipe name (default: the file name)'),
    description: z.string().optional().describe('free text for people'),
    parts: z
      .array(partSchema)
      .min(1)
      .describe('ordered parts of the canonical string: mac, serial, salt, {literal: TEXT}'),
    joiner: z.string().default('').describe('text between two parts (printable ASCII)'),
    hash: z
      .enum(['sha256', 'sha1', 'md5'])
      .describe('digest of the canonical string; sha1 and md5 are legacy'),
    encoding: z
      .enum(['hex', 'hex-upper', 'base64', 'base64url'])
      .default('hex')
      .describe('how the digest is written; base64url has no padding'),
    truncate: z
      .number()
      .int()
      .positive()
      .nullable()
      .default(null)
      .describe('keep the first N characters (at least 64 bits); null keeps all'),
    acceptAmbiguity: z
      .boolean()
      .default(false)
      .describe('accept that two devices can give the same canonical string'),
  })
  .strict();

/** The JSON Schema of a recipe file (committed as schema/recipe.schema.json, for editors). */
export function recipeJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(recipeSchema, { io: 'input' }), title: 'rmmkit device-ID recipe' };
}

/** A recipe as authored (optional fields may be left out). */
export type RecipeDefinition = z.input<typeof recipeSchema>;

function toPart(p: z.output<typeof partSchema>): RecipePart {
  if (typeof p === 'string') return toPart({ [p]: null } as z.output<typeof partSchema>);
  if ('literal' in p) return { kind: 'literal', text: p.literal };
  if ('mac' in p) return { kind: 'mac', ...macOptions.parse(p.mac ?? {}) };
  if ('serial' in p) {
    const o = serialOptions.parse(p.serial ?? {});
    return { kind: 'serial', ...o, sources: [...o.sources] };
  }
  return { kind: 'salt', ...saltOptions.parse(p.salt ?? {}) };
}

const PART_OPTIONS = {
  mac: macOptions.nullable(),
  serial: serialOptions.nullable(),
  salt: saltOptions.nullable(),
  literal: z.string(),
} as const;

/** The keys an object schema allows, for the message about an unknown key. */
function allowedKeys(object: { shape: Record<string, unknown> }): string {
  return Object.keys(object.shape).join(', ');
}

/** The option objects of the parts that have options (a literal is a plain string). */
const PART_OBJECTS = { mac: macOptions, serial: serialOptions, salt: saltOptions } as const;

/** Precise issues of one part that matched no form of the union (the union's own message is vague). */
function partIssues(raw: unknown, path: string): Issue[] {
  const issue = (p: string, message: string): Issue => ({ path: p, message, severity: 'error' });
  if (typeof raw === 'string') {
    return [issue(path, `${JSON.stringify(raw)} is not a part; use mac, serial, salt or {literal: TEXT}`)];
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return [issue(path, 'a part is mac, serial, salt, or an object with one of those keys or literal')];
  }
  const keys = Object.keys(raw);
  const key = keys[0] as keyof typeof PART_OPTIONS;
  if (keys.length !== 1 || !(key in PART_OPTIONS)) {
    return [
      issue(
        path,
        `a part has exactly one key of mac, serial, salt, literal; found ${keys.length ? keys.join(', ') : 'none'}`,
      ),
    ];
  }
  const r = PART_OPTIONS[key].safeParse((raw as Record<string, unknown>)[key]);
  // Stryker disable next-line ConditionalExpression,ArrayDeclaration,StringLiteral: unreachable: the part failed the union, and its one key's options are that union member's, so they fail too
  if (r.success) return [issue(path, 'is not a valid part')];
  return r.error.issues.map((i) =>
    i.code === 'unrecognized_keys'
      ? issue(
          `${path}.${key}`,
          // Only an options object can have unknown keys: key is mac, serial or salt here.
          `${i.keys.join(', ')}: not an option of ${key} (allowed: ${allowedKeys(PART_OBJECTS[key as keyof typeof PART_OBJECTS])})`,
        )
      : issue(`${path}.${key}${i.path.length ? `.${zodPath(i.path)}` : ''}`, i.message),
  );
}

function zodPath(path: readonly PropertyKey[]): string {
  return path.map(zodStep).join('');
}

function zodStep(k: PropertyKey, i: number): string {
  if (typeof k === 'number') return `[${k}]`;
  // Stryker disable next-line ConditionalExpression,StringLiteral: these schemas' paths have a string key only first (a recipe or option key), then indexes: no string key follows another
  return i === 0 ? String(k) : `.${String(k)}`;
}

/** Bytes of the raw digest of each hash. */
export const DIGEST_BYTES: Readonly<Record<RecipeHash, number>> = { sha256: 32, sha1: 20, md5: 16 };

/** Length of the untruncated encoded digest (base64 padded with '=', base64url unpadded). */
export function encodedLength(h: RecipeHash, encoding: RecipeEncoding): number {
  const n = DIGEST_BYTES[h];
  if (encoding === 'hex' || encoding === 'hex-upper') return 2 * n;
  if (encoding === 'base64') return 4 * Math.ceil(n / 3);
  return Math.ceil((n * 4) / 3);
}

/** Bits an encoded character carries. */
function bitsPerChar(encoding: RecipeEncoding): number {
  return encoding === 'hex' || encoding === 'hex-upper' ? 4 : 6;
}

/** The shortest truncation allowed: 64 bits, below which IDs of a large fleet start to collide. */
export function minTruncate(encoding: RecipeEncoding): number {
  return Math.ceil(64 / bitsPerChar(encoding));
}

/** Characters a part's value may contain; null = any character. */
function partAlphabet(p: RecipePart): string | null {
  switch (p.kind) {
    case 'literal':
    case 'mac':
      return ''; // fixed: its extent is known whatever it contains
    case 'serial':
      return p.normalize === 'devid1'
        ? `0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ${p.withSource ? ':' : ''}`
        : null;
    case 'salt':
      return p.form === 'sha256' ? '0123456789abcdef' : null;
  }
}

/** A part of unknown extent, for the ambiguity message: only serials and salts can be one. */
function describePart(p: SerialPart | SaltPart): string {
  return p.kind === 'serial' ? `serial (${p.normalize})` : `salt (${p.form})`;
}

/**
 * Semantic problems of a normalized recipe (structure is the schema's job): unportable literals,
 * repeated parts, an unsafe truncation, and ambiguity. A canonical string can be split back into its
 * parts when at most one variable part has an unknown end: a fixed part (literal, MAC) has a known
 * length, and a variable part ends at the next joiner when the joiner cannot occur inside it.
 */
export function checkRecipe(recipe: Recipe, at = ''): Issue[] {
  const issues: Issue[] = [];
  const err = (path: string, message: string) => issues.push({ path: at + path, message, severity: 'error' });
  const printable = /^[\x20-\x7e]*$/;
  if (!printable.test(recipe.joiner)) {
    err(
      'joiner',
      `${JSON.stringify(recipe.joiner)} holds a character outside printable ASCII; PowerShell 2.0 reads script source in the ANSI code page, so only 0x20-0x7E are portable`,
    );
  }
  const seen = new Map<string, number>();
  recipe.parts.forEach((p, i) => {
    if (p.kind === 'literal') {
      if (p.text === '') err(`parts[${i}].literal`, 'is empty; drop the part instead');
      else if (!printable.test(p.text))
        err(
          `parts[${i}].literal`,
          `${JSON.stringify(p.text)} holds a character outside printable ASCII (0x20-0x7E), which is not portable to PowerShell 2.0 script source`,
        );
      return;
    }
    const first = seen.get(p.kind);
    if (first !== undefined)
      err(`parts[${i}]`, `repeats ${p.kind} (already parts[${first}]); each may occur once`);
    else seen.set(p.kind, i);
    if (p.kind === 'serial') {
      const dup = p.sources.find((s, k) => p.sources.indexOf(s) !== k);
      if (dup) err(`parts[${i}].serial.sources`, `names ${dup} twice`);
    }
  });
  if (!seen.has('mac') && !seen.has('serial')) {
    err('parts', 'needs a mac or a serial part: without one, every device of an account gets the same ID');
  }
  if (recipe.truncate !== null) {
    const full = encodedLength(recipe.hash, recipe.encoding);
    const min = minTruncate(recipe.encoding);
    if (recipe.truncate > full)
      err(
        'truncate',
        `is ${recipe.truncate}, but ${recipe.hash} in ${recipe.encoding} has only ${full} characters`,
      );
    else if (recipe.truncate < min)
      err(
        'truncate',
        `is ${recipe.truncate}; at least ${min} ${recipe.encoding} characters (64 bits) are needed to keep IDs of a large fleet apart`,
      );
  }
  const unknownEnd = recipe.parts
    .map((p, i) => ({ p, i, alphabet: partAlphabet(p) }))
    .filter(({ alphabet }) => alphabet !== '')
    .filter(
      ({ alphabet }) =>
        alphabet === null || recipe.joiner === '' || [...recipe.joiner].some((c) => alphabet.includes(c)),
    );
  if (unknownEnd.length >= 2 && !recipe.acceptAmbiguity) {
    // Only serials and salts can lack a known end: literals and MACs have a fixed extent.
    const names = unknownEnd
      .map(({ p, i }) => `parts[${i}] ${describePart(p as SerialPart | SaltPart)}`)
      .join(' and ');
    const why =
      recipe.joiner === ''
        ? 'are joined with nothing'
        : `can contain the joiner ${JSON.stringify(recipe.joiner)}`;
    err(
      'parts',
      `${names} ${why}, so two different devices can give the same canonical string; use a joiner that cannot occur in them, the devid1 normalisation or a hashed salt, or set acceptAmbiguity: true if the vendor's console already works this way`,
    );
  }
  return issues;
}

/** Warnings that do not stop a recipe: legacy hashes. */
export function recipeWarnings(recipe: Recipe, at = ''): Issue[] {
  if (recipe.hash === 'sha256') return [];
  return [
    {
      path: `${at}hash`,
      message: `${recipe.hash} is legacy (collisions can be made on purpose${recipe.hash === 'md5' ? '; Windows in FIPS mode refuses it, and the script then reports NO_MD5_TOOL' : ''}); use it only to match an existing console`,
      severity: 'warning',
    },
  ];
}

/** Every issue of an authored recipe (schema, then semantics) and the recipe when it has no error. */
export function validateRecipe(value: unknown, at = ''): { recipe: Recipe | null; issues: Issue[] } {
  const parsed = recipeSchema.safeParse(value);
  if (!parsed.success) {
    const issues: Issue[] = [];
    for (const i of parsed.error.issues) {
      const path = at + zodPath(i.path);
      // parts is the only array of a recipe: a number second in a path is a part's index.
      const index = i.path[1];
      if (typeof index === 'number') {
        // A part that fits no form of the union: zod reports the union, or (when only unknown keys
        // are wrong) the issue of the one form it picked. Either way, one precise message per part.
        issues.push(...partIssues((value as { parts: unknown[] }).parts[index], `${at}parts[${index}]`));
      } else if (i.code === 'unrecognized_keys') {
        // Only the recipe object itself is left to report unknown keys: the part objects were handled
        // above. `at` ends with its own dot ('link.recipe.'), as checkRecipe expects.
        for (const key of i.keys) {
          issues.push({
            path: `${at}${key}`,
            message: `is not a recipe key (allowed: ${allowedKeys(recipeSchema)})`,
            severity: 'error',
          });
        }
      } else {
        issues.push({ path, message: i.message, severity: 'error' });
      }
    }
    return { recipe: null, issues };
  }
  const d = parsed.data;
  const recipe: Recipe = {
    name: d.name ?? 'recipe',
    parts: d.parts.map(toPart),
    joiner: d.joiner,
    hash: d.hash,
    encoding: d.encoding,
    truncate: d.truncate,
    acceptAmbiguity: d.acceptAmbiguity,
  };
  const issues = [...checkRecipe(recipe, at), ...recipeWarnings(recipe, at)];
  return { recipe: issues.some((i) => i.severity === 'error') ? null : recipe, issues };
}

/** The normalized recipe of an authored one; throws ValidationError naming every problem. */
export function normalizeRecipe(value: unknown, subject = 'Recipe'): Recipe {
  if (value === DEVID1_RECIPE.name) return DEVID1_RECIPE as Recipe;
  const { recipe, issues } = validateRecipe(value);
  if (!recipe) throw new ValidationError(subject, issues);
  return recipe;
}

/**
 * Loads a recipe file (YAML or JSON). `devid1` names the built-in recipe. The recipe's name defaults
 * to the file's base name.
 */
export async function loadRecipe(file: string): Promise<Recipe> {
  if (file === DEVID1_RECIPE.name) return DEVID1_RECIPE as Recipe;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(file, `cannot read the recipe (${(err as NodeJS.ErrnoException).code})`, {
      cause: err,
    });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, lineCounter });
  if (doc.errors.length > 0) {
    const e = doc.errors[0] as { message: string };
    throw new InputError(file, `not valid YAML: ${e.message}`);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (err) {
    // An alias bomb (or any other failure to build the value) is bad input, not a bug.
    throw new InputError(file, `cannot be read as YAML: ${(err as Error).message}`, { cause: err });
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && !('name' in value)) {
    // Stryker disable next-line Regex: replace() takes the first match, and a greedy .* from index 0 is it, anchored or not
    const base = file.replace(/^.*[\\/]/, '').replace(/\.(ya?ml|json)$/i, '');
    if (NAME.test(base)) (value as Record<string, unknown>).name = base;
  }
  if (value === DEVID1_RECIPE.name) return DEVID1_RECIPE as Recipe;
  const { recipe, issues } = validateRecipe(value);
  if (!recipe) {
    const located = issues.map((i) => {
      const at = locate(doc, lineCounter, i.path);
      return at ? { ...i, message: `${i.message} (line ${at.line}, column ${at.col})` } : i;
    });
    throw new ValidationError(`Recipe ${file}`, located);
  }
  return recipe;
}

/** Line and column of the deepest node of `path` (`parts[1].serial.normalize`) that exists. */
function locate(doc: Document, lc: LineCounter, path: string): { line: number; col: number } | null {
  // Digits are a number: an index of a sequence, or a map key YAML read as an integer (`10: x`).
  const keys = [...path.matchAll(/[^.[\]]+/g)].map((m) => (/^\d+$/.test(m[0]) ? Number(m[0]) : m[0]));
  for (let n = keys.length; n >= 0; n--) {
    // getIn of the empty path is the document's root node.
    const node = doc.getIn(keys.slice(0, n), true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]);
  }
  return null;
}

/**
 * The recipe of an integration file's `link.recipe`: absent → DEVID1, a string → a file (relative to
 * the integration file's folder) or `devid1`, an object → an inline recipe.
 */
export async function resolveRecipe(value: unknown, baseDir: string): Promise<Recipe> {
  if (value === undefined || value === null) return DEVID1_RECIPE as Recipe;
  if (typeof value === 'string') {
    if (value === DEVID1_RECIPE.name) return DEVID1_RECIPE as Recipe;
    return loadRecipe(isAbsolute(value) ? value : resolve(baseDir, value));
  }
  return normalizeRecipe(value, 'link.recipe');
}

/** The recipe as an author would write it (for `devid check` suggestions and docs). */
export function recipeToDefinition(recipe: Recipe): RecipeDefinition {
  return {
    name: recipe.name,
    parts: recipe.parts.map((p) => {
      switch (p.kind) {
        case 'literal':
          return { literal: p.text };
        case 'mac':
          return { mac: { separator: p.separator, case: p.case } };
        case 'serial':
          return {
            serial: {
              normalize: p.normalize,
              sources: [...p.sources],
              junk: p.junk,
              withSource: p.withSource,
            },
          };
        default:
          return { salt: { form: p.form } };
      }
    }),
    joiner: recipe.joiner,
    hash: recipe.hash,
    encoding: recipe.encoding,
    truncate: recipe.truncate,
    acceptAmbiguity: recipe.acceptAmbiguity,
  };
}

// ---------------------------------------------------------------------------------------------
// The TypeScript implementation.

export interface RecipeOk {
  id: string;
  /** The serial source used; null when the recipe has no serial part. */
  source: SerialSource | null;
  /** The exact string that was hashed (UTF-8). */
  canonical: string;
}
export type RecipeResult = RecipeOk | { error: DevidErrorCode };

const CONTROL = /[\x00-\x1f\x7f]/;
const LONE_SURROGATE = /\p{Cs}/u;

/** The checked, trimmed salt ('' for none), or null when it is BAD_SALT (spec §2). */
export function checkedSalt(raw: string | null | undefined): string | null {
  if (!raw) return '';
  const t = trimSalt(raw);
  if (CONTROL.test(t) || LONE_SURROGATE.test(t)) return null;
  return t;
}

/** A canonical MAC (12 upper-case hex digits) in the recipe's form. */
export function formatMac(mac12: string, part: MacPart): string {
  const m = part.case === 'lower' ? mac12.toLowerCase() : mac12;
  const sep = part.separator;
  // Stryker disable next-line ConditionalExpression,StringLiteral: a shortcut: joining the six octets with '' gives m itself
  if (sep === '') return m;
  return `${m.slice(0, 2)}${sep}${m.slice(2, 4)}${sep}${m.slice(4, 6)}${sep}${m.slice(6, 8)}${sep}${m.slice(8, 10)}${sep}${m.slice(10)}`;
}

/** The value a serial source contributes, or null when it is absent, junk or not well-formed. */
export function serialValue(
  raw: string | null | undefined,
  source: SerialSource,
  part: SerialPart,
): string | null {
  if (!raw) return null;
  let value: string;
  if (part.normalize === 'devid1') value = canonicalSerial(raw);
  else {
    value = part.normalize === 'trim' ? trimSalt(raw) : raw;
    if (LONE_SURROGATE.test(value)) return null;
  }
  if (value === '') return null;
  if (part.junk && junkReason(canonicalSerial(raw), source) !== null) return null;
  return value;
}

/** Encodes a digest as the recipe says, then truncates. */
export function encodeDigest(digest: Buffer, encoding: RecipeEncoding, truncate: number | null): string {
  let out: string;
  switch (encoding) {
    case 'hex':
      out = digest.toString('hex');
      break;
    case 'hex-upper':
      out = digest.toString('hex').toUpperCase();
      break;
    case 'base64':
      out = digest.toString('base64');
      break;
    case 'base64url':
      out = digest.toString('base64url');
      break;
  }
  return truncate === null ? out : out.slice(0, truncate);
}

/** What recipeCanonical needs of a recipe, found once per recipe object (recipes are never mutated). */
interface Plan {
  mac: MacPart | undefined;
  serial: SerialPart | undefined;
  salt: SaltPart | undefined;
  /** Per raw salt: the value the salt part contributes, or null for BAD_SALT (bounded cache). */
  salts: Map<string, string | null>;
}
const plans = new WeakMap<Recipe, Plan>();

function planOf(recipe: Recipe): Plan {
  let plan = plans.get(recipe);
  // Stryker disable next-line ConditionalExpression: a cache: a plan made again from the same (never mutated) recipe is the same
  if (!plan) {
    plan = {
      mac: recipe.parts.find((p): p is MacPart => p.kind === 'mac'),
      serial: recipe.parts.find((p): p is SerialPart => p.kind === 'serial'),
      salt: recipe.parts.find((p): p is SaltPart => p.kind === 'salt'),
      salts: new Map(),
    };
    plans.set(recipe, plan);
  }
  return plan;
}

/** The salt part's value for a raw salt ('' for none), or null when it is BAD_SALT. */
function saltValue(plan: Plan, part: SaltPart, raw: string | null | undefined): string | null {
  // Stryker disable next-line ConditionalExpression: a shortcut: checkedSalt gives '' for no salt, and saltHex('') is '' too
  if (!raw) return '';
  const cached = plan.salts.get(raw);
  // Stryker disable next-line ConditionalExpression: a cache: computing the value again gives the same value
  if (cached !== undefined) return cached;
  const t = checkedSalt(raw);
  const value = t === null ? null : part.form === 'sha256' ? (saltHex(t) as string) : t;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: bounds the cache's memory only: clearing it sooner, later or never changes no value
  if (plan.salts.size >= 4096) plan.salts.clear();
  plan.salts.set(raw, value);
  return value;
}

/**
 * The canonical string of one device, or the error that keeps it from having one. Errors are checked
 * in DEVID1's order (NO_NIC, NO_HW_ID, BAD_SALT), each only when the recipe has the part.
 */
export function recipeCanonical(
  recipe: Recipe,
  input: DeviceIdInput,
): { canonical: string; source: SerialSource | null } | { error: DevidErrorCode } {
  const plan = planOf(recipe);
  // Stryker disable StringLiteral: read only when the recipe has the part, and then always set below
  let mac = '';
  let source: SerialSource | null = null;
  let serial = '';
  let salt = '';
  // Stryker restore StringLiteral
  if (plan.mac) {
    const m = canonicalMac(input.mac);
    if (m === null) return { error: 'NO_NIC' };
    mac = formatMac(m, plan.mac);
  }
  if (plan.serial) {
    const p = plan.serial;
    for (const s of p.sources) {
      const v = serialValue(input.serials?.[s], s, p);
      if (v !== null) {
        source = s;
        serial = p.withSource ? `${s}:${v}` : v;
        break;
      }
    }
    if (source === null) return { error: 'NO_HW_ID' };
  }
  if (plan.salt) {
    const v = saltValue(plan, plan.salt, input.salt);
    if (v === null) return { error: 'BAD_SALT' };
    salt = v;
  }
  let canonical = '';
  const parts = recipe.parts;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as RecipePart;
    if (i > 0) canonical += recipe.joiner;
    canonical += p.kind === 'literal' ? p.text : p.kind === 'mac' ? mac : p.kind === 'serial' ? serial : salt;
  }
  return { canonical, source };
}

/** The device ID of one device under `recipe` (DEVID1's rules for MAC, junk and salt checks). */
export function recipeDeviceId(recipe: Recipe, input: DeviceIdInput): RecipeResult {
  const c = recipeCanonical(recipe, input);
  if ('error' in c) return c;
  const id = encodeDigest(hash(recipe.hash, c.canonical, 'buffer'), recipe.encoding, recipe.truncate);
  return { id, source: c.source, canonical: c.canonical };
}

/** A hasher bound to one recipe (validated once). */
export function compileRecipe(recipe: Recipe): (input: DeviceIdInput) => RecipeResult {
  const problems = checkRecipe(recipe);
  if (problems.length > 0) throw new ValidationError(`Recipe ${recipe.name}`, problems);
  return (input) => recipeDeviceId(recipe, input);
}

/** The characters an ID of `recipe` is made of, as a regular expression of the whole ID. */
export function recipeIdPattern(recipe: Recipe): RegExp {
  const len = recipe.truncate ?? encodedLength(recipe.hash, recipe.encoding);
  switch (recipe.encoding) {
    case 'hex':
      return new RegExp(`^[0-9a-f]{${len}}$`);
    case 'hex-upper':
      return new RegExp(`^[0-9A-F]{${len}}$`);
    case 'base64':
      return new RegExp(`^[A-Za-z0-9+/=]{${len}}$`);
    case 'base64url':
      return new RegExp(`^[A-Za-z0-9_-]{${len}}$`);
  }
}

/** True when `id` has the length and alphabet of an ID of `recipe`. */
export function isRecipeId(recipe: Recipe, id: string): boolean {
  return recipeIdPattern(recipe).test(id);
}

/** Refuses a recipe whose IDs cannot go into a URL as they are (base64 has + / =). */
export function assertLinkableRecipe(recipe: Recipe): void {
  if (recipe.encoding === 'base64') {
    throw new RmmkitError(
      'BAD_RECIPE',
      `Recipe ${recipe.name}: base64 IDs contain + / and =, which change meaning inside a URL; use encoding: base64url for a deep link`,
    );
  }
}

/** The link policy for IDs of `recipe` on `host` (see lib/devid/link.ts); refuses base64 IDs. */
export function recipeLinkPolicy(
  recipe: Recipe,
  host: string,
): { host: string; idLength: number; idPattern: RegExp } {
  assertLinkableRecipe(recipe);
  return {
    host,
    idLength: recipe.truncate ?? encodedLength(recipe.hash, recipe.encoding),
    idPattern: recipeIdPattern(recipe),
  };
}
