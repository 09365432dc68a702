// Renders the standalone DEVID1 endpoint hasher (PowerShell or POSIX sh) from templates/devid/.
// Builds the view model from the TypeScript recipe so junk lists and OUIs have one source of truth.

import { assertLinkTemplate, ID_PLACEHOLDER, templateHost } from '../devid/link.js';
import { VIRTUAL_OUIS } from '../devid/nics.js';
import { JUNK_SERIALS, JUNK_UUIDS } from '../devid/recipe.js';
import { DEVID1_RECIPE, type Recipe, recipeLinkPolicy } from '../devid/recipes.js';
import { RmmkitError, UsageError } from '../errors.js';
import { packageVersion } from '../paths.js';
import { type RecipeView, recipeView } from './devid-recipe-view.js';
import { renderTemplate } from './handlebars.js';
import { lintPs2 } from './ps2-lint.js';
import { ENV_NAME } from './quote.js';

export type ScriptTarget = 'powershell' | 'sh';

/** Where the salt comes from on the endpoint: a Datto variable, any env var, or no salt. */
export type SaltSource =
  | { kind: 'account' }
  | { kind: 'site' }
  | { kind: 'none' }
  | { kind: 'env'; name: string };

export interface DevidScriptOptions {
  target: ScriptTarget;
  salt?: SaltSource;
  /** Deep-link template with {ID}; the script then prints the link instead of the bare ID. */
  link?: string;
  /** The vendor's declared host for the link check; default: the template's own host. */
  host?: string;
  /** The device-ID recipe the script computes; default DEVID1. */
  recipe?: Recipe;
}

/** The view model of templates/devid/*: every field exists, even when unused. */
export interface DevidScriptView {
  version: string;
  saltEnv: string;
  saltDescription: string;
  hasLink: boolean;
  linkPrefix: string;
  linkSuffix: string;
  junkSerials: string[];
  junkUuids: string[];
  virtualOuis: string[];
  /** The recipe the hash-core partials compile (lib/render/devid-recipe-view.ts). */
  recipe: RecipeView;
}

/**
 * Names a salt may not be read from: the shell owns or sets them (PPID, PWD, IFS, LC_ALL, which
 * the script itself sets to C, …), so sh and PowerShell would read different values; and the
 * script's own DEVID_ override inputs and devid_ variables.
 */
/**
 * Variables a supported shell or PowerShell sets, changes or treats specially on start or while the
 * script runs (dash, bash incl. --posix, busybox ash, zsh in sh emulation, pwsh): a salt read from
 * one would differ between shells. Compared case-insensitively, because Windows (where the agent
 * passes site variables) treats `Path` and `PATH` as one variable. test/devid/salt-names.test.ts
 * checks this list against what the installed shells really set.
 */
const RESERVED_SALT_NAMES = new Set(
  `PPID PWD OLDPWD OPTIND OPTARG OPTERR IFS PS1 PS2 PS3 PS4 LINENO SECONDS RANDOM SRANDOM HOME PATH
  SHELL ENV CDPATH MAIL MAILCHECK MAILPATH HISTFILE HISTSIZE HISTCMD HISTFILESIZE HISTCONTROL HISTIGNORE
  HISTTIMEFORMAT FCEDIT LANG LANGUAGE TERM USER LOGNAME HOSTNAME HOSTTYPE MACHTYPE OSTYPE SHLVL UID EUID
  GID EGID GROUPS DIRSTACK FUNCNAME PIPESTATUS COLUMNS LINES EPOCHSECONDS EPOCHREALTIME SHELLOPTS
  POSIXLY_CORRECT COMP_WORDBREAKS COMP_CWORD COMP_LINE COMP_POINT COMP_WORDS COMPREPLY READLINE_LINE
  READLINE_POINT REPLY TIMEFORMAT TMOUT TMPDIR PROMPT_COMMAND PROMPT_DIRTRIM INPUTRC GLOBIGNORE
  CPUTYPE FIGNORE FPATH FUNCNEST HOST KEYBOARD_HACK KEYTIMEOUT LISTMAX MANPATH MODULE_PATH NULLCMD
  PROMPT PROMPT2 PROMPT3 PROMPT4 PSVAR READNULLCMD SAVEHIST SPROMPT TIMEFMT TMPPREFIX TRY_BLOCK_ERROR
  TRY_BLOCK_INTERRUPT TTY TTYIDLE USERNAME VENDOR WATCH WATCHFMT WORDCHARS LOGCHECK HISTCHARS ERRNO
  ARGC ARGV0 ZDOTDIR STTY NUMERIC LASTWIDGET KEYS TERMINFO TERMINFO_DIRS
  aliases argv builtins cdpath commands dirstack dis_aliases dis_builtins dis_functions
  dis_functions_source dis_galiases dis_patchars dis_reswords dis_saliases fignore fpath funcfiletrace
  funcsourcetrace funcstack functions functions_source functrace galiases histchars history
  historywords jobdirs jobstates jobtexts keymaps mailpath manpath module_path modules nameddirs options
  parameters patchars path pipestatus prompt psvar reswords saliases signals status termcap terminfo
  userdirs usergroups watch widgets zsh_eval_context zsh_scheduled_events match mbegin mend
  PSModulePath PSExecutionPolicyPreference POWERSHELL_DISTRIBUTION_CHANNEL POWERSHELL_TELEMETRY_OPTOUT
  ComSpec PATHEXT SystemRoot windir _`
    .split(/\s+/)
    .map((n) => n.toUpperCase()),
);
/** Name prefixes a shell or this script owns, compared case-insensitively. */
const RESERVED_SALT_PREFIXES = /^(?:LC_|BASH|ZSH|DEVID_|HIST|COMP_|READLINE_|PS[0-9]|PROMPT)/i;

/** Why `name` cannot carry a salt, or null when it can. */
export function checkSaltEnvName(name: string): string | null {
  if (!ENV_NAME.test(name)) {
    return `${JSON.stringify(name)} is not an environment variable name (letters, digits, _; not starting with a digit)`;
  }
  if (RESERVED_SALT_NAMES.has(name.toUpperCase()) || RESERVED_SALT_PREFIXES.test(name)) {
    return `${name} is set or changed by a shell or by the script itself (names are compared without case, as Windows does), so it cannot carry a salt; use a Datto site or account variable of your own`;
  }
  return null;
}

/** Parses the --salt flag: account | site | none | env:NAME. Throws UsageError on anything else. */
export function parseSaltSource(text: string): SaltSource {
  if (text === 'account' || text === 'site' || text === 'none') return { kind: text };
  if (text.startsWith('env:')) {
    const name = text.slice(4);
    const problem = checkSaltEnvName(name);
    if (problem) throw new UsageError(`--salt env:${name}: ${problem}`);
    return { kind: 'env', name };
  }
  throw new UsageError(`--salt ${JSON.stringify(text)}: use account, site, none or env:NAME`);
}

/** The environment variable a salt source reads on the endpoint ('' for none). */
export function saltEnvName(salt: SaltSource): string {
  switch (salt.kind) {
    case 'account':
      return 'CS_ACCOUNT_UID';
    case 'site':
      return 'CS_PROFILE_UID';
    case 'none':
      return '';
    case 'env': {
      // Checked here too, not only in parseSaltSource: library callers pass SaltSource directly,
      // and the name reaches script source (a header comment, the sh parameter expansion).
      const problem = checkSaltEnvName(salt.name);
      if (problem) throw new RmmkitError('BAD_SALT_SOURCE', `Salt source env:${salt.name}: ${problem}`);
      return salt.name;
    }
  }
}

/** Builds the view model; checks the link template once, here, since every ID has the same shape. */
export function devidScriptView(options: DevidScriptOptions): DevidScriptView {
  const salt = options.salt ?? { kind: 'account' };
  const saltEnv = saltEnvName(salt);
  let linkPrefix = '';
  let linkSuffix = '';
  if (options.link !== undefined) {
    // Stryker disable next-line StringLiteral: a template that is no URL is refused whatever host stands in
    const host = options.host ?? templateHost(options.link) ?? '';
    assertLinkTemplate(options.link, recipeLinkPolicy(options.recipe ?? DEVID1_RECIPE, host));
    const at = options.link.indexOf(ID_PLACEHOLDER);
    linkPrefix = options.link.slice(0, at);
    linkSuffix = options.link.slice(at + ID_PLACEHOLDER.length);
  }
  return {
    version: packageVersion(),
    saltEnv,
    saltDescription: saltEnv ? `environment variable ${saltEnv} (empty or unset = no salt)` : 'none',
    hasLink: options.link !== undefined,
    linkPrefix,
    linkSuffix,
    junkSerials: [...JUNK_SERIALS],
    junkUuids: [...JUNK_UUIDS],
    virtualOuis: Object.keys(VIRTUAL_OUIS),
    recipe: recipeView(options.recipe ?? DEVID1_RECIPE),
  };
}

/**
 * The standalone hasher for `target`, as text (LF line ends, ASCII). The PowerShell script is checked
 * by the PowerShell 2.0 lint before it is returned: a finding is a bug in the templates.
 */
export function renderDevidScript(options: DevidScriptOptions): string {
  const view = devidScriptView(options);
  if (options.target === 'sh') return renderTemplate('devid/devid.sh.hbs', view);
  const text = renderTemplate('devid/devid.ps1.hbs', view);
  const findings = lintPs2(text);
  // Stryker disable all: reached only by a template bug; test/render/ps2-lint.test.ts lints every rendered variant
  if (findings.length > 0) {
    throw new RmmkitError(
      'PS2_LINT',
      `the rendered PowerShell script is not PowerShell 2.0 safe (template bug):\n${findings.map((f) => `  line ${f.line}: ${f.message}`).join('\n')}`,
    );
  }
  // Stryker restore all
  return text;
}
