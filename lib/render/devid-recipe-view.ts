// The view model of a device-ID recipe for the hash-core partials (devid-core.sh, devid-core.ps1):
// every decision is taken here, so the templates only test flags and print prepared values.
import { JUNK_SERIALS, JUNK_UUIDS } from '../devid/recipe.js';
import {
  checkRecipe,
  DEVID1_RECIPE,
  DIGEST_BYTES,
  encodedLength,
  type Recipe,
  type RecipeHash,
  type SerialPart,
} from '../devid/recipes.js';
import { RmmkitError, ValidationError } from '../errors.js';

export interface RecipePartView {
  /** The joiner goes before this part (every part but the first). */
  hasSep: boolean;
  sep: string;
  isLiteral: boolean;
  isMac: boolean;
  isSerial: boolean;
  isSalt: boolean;
  /** The literal's text ('' for other parts). */
  text: string;
  /** The literal holds $ or a backquote, which shellcheck would take for an unexpanded expression. */
  literalLooksExpanded: boolean;
}

export interface RecipeSourceView {
  name: string;
  /** Position of the source among devid_compute's arguments (sh) … */
  shArg: string;
  /** … and the parameter of Get-DevidId that carries it (PowerShell). */
  psVar: string;
}

export interface RecipeView {
  name: string;
  /** One line for script headers. */
  summary: string;
  /** What a successful run prints, e.g. "64 lower-case hex digits". */
  idDescription: string;
  /** An ID's exact length, for scripts that recognise IDs (the UDF writer's "is this our link"). */
  idLength: string;
  /** Every character an ID may contain, for a sh bracket expression (`*[!…]*`); '-' comes last. */
  idCharsSh: string;
  /** A .NET regular expression matching a whole ID, for PowerShell (`-cmatch`). */
  idPatternPs: string;
  parts: RecipePartView[];
  hasMac: boolean;
  macLower: boolean;
  macSeparator: string;
  hasSerial: boolean;
  serialSources: RecipeSourceView[];
  normDevid1: boolean;
  normTrim: boolean;
  normRaw: boolean;
  serialJunk: boolean;
  serialWithSource: boolean;
  hasSalt: boolean;
  saltHashed: boolean;
  hashSha256: boolean;
  hashSha1: boolean;
  hashMd5: boolean;
  /** The error a run reports when the recipe's hash is not available. */
  hashError: string;
  /** sh: '?' for every hex digit of the digest, to check the tool's answer. */
  hexPattern: string;
  /** PowerShell: the FIPS-safe provider and the fallback class of the hash. */
  psProvider: string;
  psAlgorithm: string;
  /** PowerShell 2.0 needs System.Core for SHA256CryptoServiceProvider. */
  psNeedsCore: boolean;
  encHex: boolean;
  encHexUpper: boolean;
  encBase64: boolean;
  encBase64url: boolean;
  hasTruncate: boolean;
  truncate: string;
  /** sh: '?' for every character kept. */
  truncatePattern: string;
  /** Which helper functions the script needs (an unused function is a shellcheck finding). */
  needCanonSerial: boolean;
  needTrim: boolean;
  needUtf8: boolean;
  needSha256: boolean;
  junkSerials: string[];
  junkUuids: string[];
}

const SH_ARG = { BB: '2', SYS: '3', UUID: '4' } as const;
const PS_VAR = { BB: '$BB', SYS: '$Sys', UUID: '$Uuid' } as const;
const PROVIDERS: Record<RecipeHash, [string, string]> = {
  sha256: ['SHA256CryptoServiceProvider', 'SHA256'],
  sha1: ['SHA1CryptoServiceProvider', 'SHA1'],
  md5: ['MD5CryptoServiceProvider', 'MD5'],
};
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const ID_CHARS = {
  hex: '0123456789abcdef',
  'hex-upper': '0123456789ABCDEF',
  base64: `${B64}+/=`,
  base64url: `${B64}_-`,
} as const;
const ENCODING_TEXT = {
  hex: 'lower-case hex digits',
  'hex-upper': 'upper-case hex digits',
  base64: 'base64 characters',
  base64url: 'base64url characters',
} as const;

/** One part for a script header comment (printable ASCII: literals and joiners are checked to be). */
function describe(p: Recipe['parts'][number]): string {
  switch (p.kind) {
    case 'literal':
      return JSON.stringify(p.text);
    case 'mac':
      return `mac(${p.case}${p.separator ? ` ${JSON.stringify(p.separator)}` : ''})`;
    case 'serial':
      return `serial(${p.normalize} ${p.sources.join('>')}${p.junk ? '' : ' no-junk-list'}${p.withSource ? ' SRC:' : ''})`;
    case 'salt':
      return `salt(${p.form})`;
  }
}

/** The view of `recipe` for the hash-core partials; refuses a recipe with any problem. */
export function recipeView(recipe: Recipe): RecipeView {
  const problems = checkRecipe(recipe);
  if (problems.length > 0) throw new ValidationError(`Recipe ${recipe.name}`, problems);
  const mac = recipe.parts.find((p) => p.kind === 'mac');
  const serial = recipe.parts.find((p): p is SerialPart => p.kind === 'serial');
  const salt = recipe.parts.find((p) => p.kind === 'salt');
  const length = recipe.truncate ?? encodedLength(recipe.hash, recipe.encoding);
  const [psProvider, psAlgorithm] = PROVIDERS[recipe.hash];
  return {
    name: recipe.name,
    summary: `${recipe.name} = ${recipe.hash} ${recipe.encoding}${recipe.truncate === null ? '' : ` first ${recipe.truncate}`} of ${recipe.parts.map(describe).join(' + ')} joined by ${JSON.stringify(recipe.joiner)}`,
    idDescription: `${length} ${ENCODING_TEXT[recipe.encoding]}`,
    idLength: String(length),
    idCharsSh: ID_CHARS[recipe.encoding],
    idPatternPs: `^[${ID_CHARS[recipe.encoding].replace('-', '\\-')}]{${length}}\\z`,
    parts: recipe.parts.map((p, i) => ({
      hasSep: i > 0,
      sep: i > 0 ? recipe.joiner : '',
      isLiteral: p.kind === 'literal',
      isMac: p.kind === 'mac',
      isSerial: p.kind === 'serial',
      isSalt: p.kind === 'salt',
      text: p.kind === 'literal' ? p.text : '',
      // Stryker disable next-line ConditionalExpression: other parts have no text, which test() reads as "undefined": no $ or backquote either way
      literalLooksExpanded: p.kind === 'literal' && /[$`]/.test(p.text),
    })),
    hasMac: mac !== undefined,
    macLower: mac?.kind === 'mac' && mac.case === 'lower',
    macSeparator: mac?.kind === 'mac' ? mac.separator : '',
    hasSerial: serial !== undefined,
    serialSources: (serial?.sources ?? []).map((s) => ({ name: s, shArg: SH_ARG[s], psVar: PS_VAR[s] })),
    normDevid1: serial?.normalize === 'devid1',
    normTrim: serial?.normalize === 'trim',
    normRaw: serial?.normalize === 'raw',
    serialJunk: serial?.junk ?? false,
    serialWithSource: serial?.withSource ?? false,
    hasSalt: salt !== undefined,
    saltHashed: salt?.kind === 'salt' && salt.form === 'sha256',
    hashSha256: recipe.hash === 'sha256',
    hashSha1: recipe.hash === 'sha1',
    hashMd5: recipe.hash === 'md5',
    hashError: `NO_${recipe.hash.toUpperCase()}_TOOL`,
    hexPattern: '?'.repeat(2 * DIGEST_BYTES[recipe.hash]),
    psProvider,
    psAlgorithm,
    psNeedsCore: recipe.hash === 'sha256',
    encHex: recipe.encoding === 'hex',
    encHexUpper: recipe.encoding === 'hex-upper',
    encBase64: recipe.encoding === 'base64',
    encBase64url: recipe.encoding === 'base64url',
    hasTruncate: recipe.truncate !== null,
    truncate: String(recipe.truncate ?? ''),
    truncatePattern: '?'.repeat(recipe.truncate ?? 0),
    needCanonSerial: serial !== undefined && (serial.normalize === 'devid1' || serial.junk),
    needTrim: salt !== undefined || serial?.normalize === 'trim',
    needUtf8: salt !== undefined || (serial !== undefined && serial.normalize !== 'devid1'),
    needSha256: recipe.hash === 'sha256' || (salt?.kind === 'salt' && salt.form === 'sha256'),
    junkSerials: [...JUNK_SERIALS],
    junkUuids: [...JUNK_UUIDS],
  };
}

let devid1View: RecipeView | undefined;

/**
 * The recipe view a template context carries in `recipe`, or DEVID1's when it carries none: views
 * built before recipes existed keep rendering DEVID1 through the same partials.
 */
export function recipeViewOf(context: unknown): RecipeView {
  const r = (context as { recipe?: unknown } | null)?.recipe;
  if (r === undefined || r === null) {
    devid1View ??= recipeView(DEVID1_RECIPE as Recipe);
    return devid1View;
  }
  if (typeof r !== 'object' || !('hexPattern' in r)) {
    throw new RmmkitError('BAD_VIEW', 'view field recipe must be built by recipeView(recipe)');
  }
  return r as RecipeView;
}
