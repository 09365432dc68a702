// Deep links from a device ID to the vendor console (spec §7), checked on the parsed URL.
// A link goes into a UDF that every console user can click, so the checks are strict by design.
import { RmmkitError } from '../errors.js';
import { isDeviceId } from './recipe.js';

/** The UDF limit of Datto RMM: a value longer than this is cut by the platform. */
export const UDF_MAX_LENGTH = 255;

/** The placeholder a link template carries exactly once. */
export const ID_PLACEHOLDER = '{ID}';

export interface LinkPolicy {
  /**
   * The vendor's declared host (`partner.example.com`, optionally with `:port`). Default: the host
   * of the link or template itself, which still enforces https, no credentials, the length limit
   * and no controls, but not which host; declare it whenever you know it.
   */
  host?: string;
  /** Maximum length of the final link; default and ceiling 255 (the UDF limit). */
  maxLength?: number;
  /** Length of the IDs that go into the link (a recipe's; default 64, DEVID1's). */
  idLength?: number;
  /** The shape of those IDs (a recipe's; default DEVID1's 64 lower-case hex digits). */
  idPattern?: RegExp;
}

const NOT_PRINTABLE_ASCII = /[^\x21-\x7e]/;
/** A percent-encoded C0 control or DEL: invisible in the parsed URL, but sent to the server. */
const ENCODED_CONTROL = /%(?:[01][0-9A-Fa-f]|7[Ff])/;

/** Normalizes a declared host the way the URL parser does, so both sides compare alike. */
function normalizeHost(host: string): string | null {
  // Stryker disable next-line ConditionalExpression,LogicalOperator: an empty host fails the URL parse below (https:/// has no host) and gives null anyway
  if (!host || NOT_PRINTABLE_ASCII.test(host) || /[/?#@\\]/.test(host)) return null;
  try {
    return new URL(`https://${host}/`).host;
  } catch {
    return null;
  }
}

/**
 * Every reason `link` may not be written to a UDF; empty when it is fine.
 * Checks the raw text (printable ASCII only: tabs and controls are silently dropped by URL parsers,
 * which is how `java\tscript:` tricks pass a naive check), then the parsed URL.
 */
export function checkDeepLink(link: string, policy: LinkPolicy = {}): string[] {
  const problems: string[] = [];
  // A caller may ask for shorter links, never for longer ones than a UDF holds.
  const max = Math.min(policy.maxLength ?? UDF_MAX_LENGTH, UDF_MAX_LENGTH);
  if (link.length > max) problems.push(`is ${link.length} characters long; at most ${max} fit in a UDF`);
  const bad = NOT_PRINTABLE_ASCII.exec(link);
  if (bad) {
    const cp = bad[0].codePointAt(0) ?? 0;
    problems.push(
      `contains U+${cp.toString(16).toUpperCase().padStart(4, '0')} at offset ${bad.index}; only printable ASCII is allowed (write IDN hosts as xn--…, percent-encode the rest)`,
    );
  }
  const encoded = ENCODED_CONTROL.exec(link);
  if (encoded)
    problems.push(`contains the percent-encoded control character ${encoded[0]} at offset ${encoded.index}`);
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    if (policy.host !== undefined && normalizeHost(policy.host) === null)
      problems.push(`declared host ${JSON.stringify(policy.host)} is not a host name`);
    problems.push('is not an absolute URL');
    return problems;
  }
  // Without a declared host the link's own (already normalized) host is the one it must keep.
  const host = policy.host === undefined ? url.host : normalizeHost(policy.host);
  if (host === null) problems.push(`declared host ${JSON.stringify(policy.host)} is not a host name`);
  if (url.protocol !== 'https:')
    problems.push(`uses scheme ${JSON.stringify(url.protocol)}; only https: is allowed`);
  if (url.username !== '' || url.password !== '')
    problems.push('carries credentials (user:password@); none are allowed');
  if (host !== null && url.host !== host)
    problems.push(`points to host ${JSON.stringify(url.host)}; the declared host is ${JSON.stringify(host)}`);
  if (problems.length === 0 && url.href !== link) {
    problems.push(`is not in canonical form; the parser reads it as ${JSON.stringify(url.href)}`);
  }
  return problems;
}

/** Problems of the placeholder itself: exactly one `{ID}`, and no '%' that would swallow its digits. */
function placeholderProblems(template: string): string[] {
  const count = template.split(ID_PLACEHOLDER).length - 1;
  if (count !== 1) return [`must contain ${ID_PLACEHOLDER} exactly once (found ${count})`];
  // A '%' right before the ID would turn its first hex digits into an escape (%0a is a line feed).
  const at = template.indexOf(ID_PLACEHOLDER);
  if (template.slice(Math.max(0, at - 2), at).includes('%')) {
    return [`has a '%' right before ${ID_PLACEHOLDER}: the ID's first digits would become a percent-escape`];
  }
  return [];
}

/** Checks a link template once, before any ID goes into it: one `{ID}`, and a valid link around it. */
export function checkLinkTemplate(template: string, policy: LinkPolicy = {}): string[] {
  const problems = placeholderProblems(template);
  if (problems.length > 0) return problems;
  // Any DEVID1 ID has the same length and alphabet, so one stand-in checks the shape of them all.
  return checkDeepLink(template.replace(ID_PLACEHOLDER, '0'.repeat(policy.idLength ?? 64)), policy);
}

function badLink(template: string, problems: readonly string[]): RmmkitError {
  return new RmmkitError(
    'BAD_LINK',
    `Link template ${JSON.stringify(template)} cannot be used:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
  );
}

/** Throws RmmkitError BAD_LINK naming every problem of `template` (see checkLinkTemplate). */
export function assertLinkTemplate(template: string, policy: LinkPolicy = {}): void {
  const problems = checkLinkTemplate(template, policy);
  if (problems.length > 0) throw badLink(template, problems);
}

/**
 * Builds the checked deep link for one ID; throws RmmkitError BAD_LINK naming every problem.
 * Without a declared host the template's own host is the one the link must keep.
 * The URL checks run once, on the real link (an ID has the same length and alphabet as the
 * stand-in checkLinkTemplate uses, so the findings are the same).
 */
export function buildDeepLink(template: string, id: string, policy: LinkPolicy = {}): string {
  if (policy.idPattern ? !policy.idPattern.test(id) : !isDeviceId(id)) {
    throw new RmmkitError(
      'BAD_ID',
      `Device ID ${JSON.stringify(id)} is not ${policy.idPattern ? `of the recipe's form ${policy.idPattern.source}` : '64 lower-case hex digits'}`,
    );
  }
  const placeholder = placeholderProblems(template);
  if (placeholder.length > 0) throw badLink(template, placeholder);
  const link = template.replace(ID_PLACEHOLDER, id);
  const problems = checkDeepLink(link, policy);
  if (problems.length > 0) throw badLink(template, problems);
  return link;
}

/** The host of a template, for callers that declare the host by the template itself. */
export function templateHost(template: string): string | null {
  try {
    // Stryker disable next-line StringLiteral: the stand-in only matters when {ID} is inside the host, and such a template is refused by the host check anyway
    return new URL(template.replace(ID_PLACEHOLDER, '0')).host || null;
  } catch {
    return null;
  }
}
