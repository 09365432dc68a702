// Loads an integration file: YAML (or JSON) → shape check (zod) → normalize → semantic checks.
// Every problem is reported at once, each with the file, YAML line and column, and the key path.
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { checkLinkTemplate } from '../devid/link.js';
import { DEVID1_RECIPE, type Recipe, recipeLinkPolicy, resolveRecipe } from '../devid/recipes.js';
import { InputError, RmmkitError, ValidationError } from '../errors.js';
import { parseSaltSource } from '../render/devid-script.js';
import { type IntegrationDefinition, IntegrationSchema } from './schema.js';
import type {
  Integration,
  IntegrationComponent,
  IntegrationIssue,
  IntegrationVariable,
  Source,
} from './types.js';

/** Integration files are small; a bigger one is a mistake (or an attack on the YAML parser). */
export const MAX_INTEGRATION_BYTES = 1024 * 1024;

/** Where macOS and Linux agents keep UDF values (spec §4, unverified on current agents: a setting). */
export const DEFAULT_UDF_STORE = {
  macos: '/var/root/.mono/registry/CurrentUser/software/centrastage/values.xml',
  linux: '/root/.mono/registry/CurrentUser/software/centrastage/values.xml',
} as const;

/** Names rmmkit gives the variables it adds itself. */
export const OVERWRITE_UDF_VARIABLE = 'OverwriteUdf';
export const DEFAULT_MAX_AGE_VARIABLE = 'MaxAgeDays';

const OS_TAG = { windows: 'WIN', macos: 'MAC', linux: 'LIN' } as const;
const KIND_WORD = { deploy: 'Deploy', status: 'Status', tasks: 'Tasks', link: 'Link' } as const;
const PATH_OF = (path: readonly PropertyKey[]) =>
  path
    .map((seg, k) => (typeof seg === 'number' ? `[${seg}]` : k === 0 ? String(seg) : `.${String(seg)}`))
    .join('');

/** The error thrown for an invalid integration file; `issues` carry file, line and column. */
export class IntegrationError extends ValidationError {
  declare readonly issues: readonly IntegrationIssue[];

  constructor(file: string, issues: readonly IntegrationIssue[]) {
    super(file, issues);
    const errors = issues.filter((i) => i.severity === 'error');
    this.message = `${file} is not a valid integration file (${errors.length} error${errors.length === 1 ? '' : 's'}):\n${errors.map((i) => `  ${formatIssue(i)}`).join('\n')}`;
  }
}

/** `file:line:column: path: message` (the form editors and CI annotations understand). */
export function formatIssue(i: IntegrationIssue): string {
  const where = i.line > 0 ? `${i.file}:${i.line}:${i.column}` : i.file;
  return `${where}: ${i.path || '(root)'}: ${i.message}`;
}

/** Result of checking a file without throwing: the normalized integration when it is valid. */
export interface CheckResult {
  file: string;
  issues: IntegrationIssue[];
  integration: Integration | null;
}

/** Reads, normalizes and validates `file`; throws IntegrationError listing every problem. */
export async function loadIntegration(file: string): Promise<Integration> {
  const r = await checkIntegration(file);
  if (!r.integration) throw new IntegrationError(file, r.issues);
  return r.integration;
}

/** Like loadIntegration, but returns every issue (warnings too) instead of throwing on errors. */
export async function checkIntegration(file: string): Promise<CheckResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new InputError(file, `cannot read the integration file (${code})`);
  }
  if (bytes.length > MAX_INTEGRATION_BYTES)
    throw new InputError(file, `is ${bytes.length} bytes; an integration file may hold at most 1 MiB`);
  const r = checkIntegrationText(file, bytes.toString('utf8'));
  if (r.integration) await resolveIntegrationRecipe(r);
  return r;
}

/** What an integration was read from: its text and parsed document (for positions in later steps). */
const SOURCES = new WeakMap<Integration, { text: string; doc: Document.Parsed; lineCounter: LineCounter }>();

/**
 * The text an integration was read from, when checkIntegrationText read it: later steps (the
 * policies of a build) locate their problems in this text, not in the file read again, which may
 * have changed since or may not exist (an integration checked from memory).
 */
export function integrationSource(integration: Integration): string | undefined {
  return SOURCES.get(integration)?.text;
}

/**
 * Resolves `link.recipe` (absent → DEVID1, a file relative to the integration file, `devid1`, or an
 * inline recipe) and checks the link template against the recipe's ID shape (length, characters).
 * Problems become issues at `link.recipe` with the line of that key.
 */
async function resolveIntegrationRecipe(r: CheckResult): Promise<void> {
  const integration = r.integration as Integration;
  // Set by checkIntegrationText for every integration it returns.
  const { doc: located, lineCounter } = SOURCES.get(integration) as {
    doc: Document.Parsed;
    lineCounter: LineCounter;
  };
  const node = located.getIn(['link', 'recipe'], true) as Node | undefined;
  if (node === undefined) return;
  const pos = node?.range ? lineCounter.linePos(node.range[0]) : { line: 0, col: 0 };
  const fail = (message: string) => {
    r.issues.push({
      file: integration.file,
      path: 'link.recipe',
      message,
      severity: 'error',
      line: pos.line,
      column: pos.col,
    });
    r.integration = null;
  };
  try {
    const plain = isScalar(node) ? node.value : (located.toJS() as { link: { recipe: unknown } }).link.recipe;
    const recipe = await resolveRecipe(plain, dirname(integration.file));
    // The template must pass for one of the declared hosts with this recipe's IDs in it.
    const results = integration.link.hosts.map((host) =>
      checkLinkTemplate(integration.link.template, recipeLinkPolicy(recipe, host)),
    );
    if (!results.some((p) => p.length === 0))
      fail(`with recipe ${recipe.name}, link.template ${(results[0] ?? []).join('; ')}`);
    integration.link.recipe = recipe;
  } catch (err) {
    if (err instanceof RmmkitError) fail(err.message);
    else throw err;
  }
}

/** Checks integration text; `file` names it in issues and anchors relative paths (icon, attachments). */
export function checkIntegrationText(file: string, source: string): CheckResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const issues: IntegrationIssue[] = [];
  const at = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  for (const e of doc.errors) {
    issues.push({
      file,
      path: '',
      message: e.message.split('\n')[0] ?? e.message,
      severity: 'error',
      ...at(e.pos[0]),
    });
  }
  if (issues.length > 0) return { file, issues, integration: null };
  const locate = (path: readonly PropertyKey[]) => at(offsetOf(doc.contents, path));
  const push = (path: readonly PropertyKey[], message: string, severity: 'error' | 'warning' = 'error') =>
    issues.push({ file, path: PATH_OF(path), message, severity, ...locate(path) });

  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  const parsed = IntegrationSchema.safeParse(data);
  if (!parsed.success) {
    for (const i of parsed.error.issues) push(i.path, describeZodIssue(i));
    return { file, issues: sortIssues(issues), integration: null };
  }
  const integration = normalize(file, parsed.data, push);
  const ok = !issues.some((i) => i.severity === 'error');
  if (ok) SOURCES.set(integration, { text: source, doc, lineCounter });
  return { file, issues: sortIssues(issues), integration: ok ? integration : null };
}

function sortIssues(issues: IntegrationIssue[]): IntegrationIssue[] {
  return issues.sort((a, b) => a.line - b.line || a.column - b.column || a.path.localeCompare(b.path));
}

function describeZodIssue(i: { code: string; message: string; keys?: string[] }): string {
  if (i.code === 'unrecognized_keys' && i.keys) {
    return `unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => JSON.stringify(k)).join(', ')} (see schema/integration.schema.json)`;
  }
  return i.message;
}

/** Offset of the node at `path` (its key, when the last step is a map key); the nearest parent else. */
function offsetOf(root: unknown, path: readonly PropertyKey[]): number {
  let node = root as Node | null;
  let offset = (node as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return offset;
      const keyRange = (pair.key as Node).range;
      offset = keyRange?.[0] ?? offset;
      node = pair.value as Node | null;
      // A value on the same line is what a reader looks at for "bad value"; the key is fine too.
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) return offset;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      return offset;
    }
  }
  if (node && !isMap(node) && !isSeq(node) && node.range) offset = node.range[0];
  return offset;
}

type Push = (path: readonly PropertyKey[], message: string, severity?: 'error' | 'warning') => void;

/** Checks that `pattern` is a plain anchored pattern both ERE (grep -E) and .NET read alike. */
export function checkPattern(pattern: string): string | null {
  if (!pattern.startsWith('^') || !pattern.endsWith('$'))
    return 'must be anchored: start with ^ and end with $ (the whole value must match)';
  // A small common subset: literals, [...] classes, ( | ) groups, ? * + {n,m} quantifiers, \. \- escapes.
  if (/\\[^.\-+*?()[\]{}|^$\\/]/.test(pattern))
    return 'may escape only punctuation (\\d, \\w, \\s … differ between grep -E and PowerShell; write [0-9], [A-Za-z0-9_])';
  if (/\(\?|\[\[:|\[:[a-z]+:\]/.test(pattern)) return 'may not use (?…) groups or [:class:] names';
  if (/[^\x20-\x7e]/.test(pattern)) return 'must be printable ASCII';
  try {
    new RegExp(pattern);
  } catch (err) {
    return `is not a regular expression: ${(err as Error).message}`;
  }
  return null;
}

function normalize(file: string, d: IntegrationDefinition & { rmmkit: 1 }, push: Push): Integration {
  const base = dirname(resolve(file));
  // Hosts: the template must be a valid link on one of them.
  const hostProblems = d.link.hosts.map((host) => checkLinkTemplate(d.link.template, { host }));
  if (hostProblems.every((p) => p.length > 0)) {
    for (const p of hostProblems[0] ?? []) push(['link', 'template'], p);
  }
  let salt: Integration['link']['salt'] = { kind: 'account' };
  try {
    salt = parseSaltSource(d.link.salt);
  } catch (err) {
    push(['link', 'salt'], (err as Error).message.replace(/^--salt /, ''));
  }
  const udfMax = d.link.udf.max ?? 30;
  const allowSlot1 = d.link.udf.allowSlot1 ?? false;
  if (d.link.udf.slot > udfMax)
    push(['link', 'udf', 'slot'], `is ${d.link.udf.slot}; the highest slot is max = ${udfMax}`);
  if (d.link.udf.slot === 1 && !allowSlot1)
    push(
      ['link', 'udf', 'slot'],
      'is 1, which Ransomware Detection overwrites when it isolates a device; choose another slot or set allowSlot1: true',
    );
  const store = d.link.udf.store ?? '';
  if (store !== '' && (!store.startsWith('/') || /[\0\n\r]/.test(store)))
    push(['link', 'udf', 'store'], 'must be an absolute path without control characters');

  const siteVariables = (d.siteVariables ?? []).map((v, k) => {
    const pattern = v.pattern ?? '';
    if (pattern) {
      const problem = checkPattern(pattern);
      if (problem) push(['siteVariables', k, 'pattern'], problem);
    }
    return { name: v.name, secret: v.secret ?? false, pattern, description: v.description ?? '' };
  });
  const siteNames = new Set(siteVariables.map((v) => v.name));
  const reserved = new Set([d.link.udf.variable, OVERWRITE_UDF_VARIABLE]);
  if (siteNames.has(d.link.udf.variable))
    push(['link', 'udf', 'variable'], `${d.link.udf.variable} is also declared as a site variable`);

  const seenIds = new Map<string, number>();
  const seenNames = new Map<string, number>();
  const components: IntegrationComponent[] = d.components.map((c, k) => {
    const here = (...rest: PropertyKey[]) => ['components', k, ...rest];
    const prev = seenIds.get(c.id);
    if (prev !== undefined) push(here('id'), `duplicate id ${c.id} (also components[${prev}])`);
    seenIds.set(c.id, k);
    const tag = OS_TAG[c.os];
    let name = c.name ?? `${d.product} ${KIND_WORD[c.kind]}`;
    if (!/\[(WIN|MAC|LIN)\]\s*$/.test(name)) name = `${name} [${tag}]`;
    else if (!name.trimEnd().endsWith(`[${tag}]`))
      push(here('name'), `ends in an OS tag other than [${tag}] for os ${c.os}`);
    if (/[\0-\x1f\x7f]/.test(name)) push(here('name'), 'must not contain control characters');
    const prevName = seenNames.get(name);
    if (prevName !== undefined)
      push(here('name'), `duplicate component name "${name}" (also components[${prevName}])`);
    seenNames.set(name, k);

    const variables: IntegrationVariable[] = [];
    const varIndex = new Map<string, number>();
    for (const [n, v] of (c.variables ?? []).entries()) {
      const vpath = (...rest: PropertyKey[]) => here('variables', n, ...rest);
      if (varIndex.has(v.name)) push(vpath('name'), `duplicate variable ${v.name}`);
      if (siteNames.has(v.name))
        push(
          vpath('name'),
          `${v.name} is a site variable; a component variable of the same name would hide it on every device (Datto passes the component's value, even when empty). Remove it from the component`,
        );
      if (c.kind === 'status' && v.name === 'Status')
        push(
          vpath('name'),
          'Status is the output variable rmmkit gives every status component; choose another name',
        );
      if (reserved.has(v.name))
        push(
          vpath('name'),
          `${v.name} is added by rmmkit (UDF slot / ${OVERWRITE_UDF_VARIABLE}); do not declare it`,
        );
      if (/^(?:CS_|UDF_|DEVID_|RMMKIT_)/.test(v.name))
        push(vpath('name'), 'names starting with CS_, UDF_, DEVID_ or RMMKIT_ belong to the agent or rmmkit');
      varIndex.set(v.name, n);
      variables.push(normalizeVariable(v, push, vpath));
    }
    const addBuiltin = (v: Omit<IntegrationVariable, 'builtin' | 'options' | 'pattern' | 'secret'>) =>
      variables.push({ ...v, options: [], pattern: '', secret: false, builtin: true });

    let link = false;
    if (c.kind === 'link' || (c.kind === 'deploy' && c.link !== false)) link = true;
    if (c.link !== undefined && c.kind !== 'deploy') push(here('link'), 'only a deploy component takes link');
    if (link) {
      addBuiltin({
        name: d.link.udf.variable,
        type: 'string',
        description: `UDF slot (${allowSlot1 ? 1 : 2}-${udfMax}) for the ${d.product} console link`,
        default: String(d.link.udf.slot),
      });
      addBuiltin({
        name: OVERWRITE_UDF_VARIABLE,
        type: 'boolean',
        description: 'replace a UDF value that is not a link of this integration',
        default: 'false',
      });
    }
    const needs = (key: 'install' | 'licence' | 'status' | 'tasks', kinds: string[]) => {
      if (c[key] !== undefined && !kinds.includes(c.kind))
        push(here(key), `only a ${kinds.join(' or ')} component takes ${key}`);
    };
    needs('install', ['deploy']);
    needs('licence', ['deploy']);
    needs('status', ['status']);
    needs('tasks', ['tasks']);
    if (c.kind !== 'link' && c.installed === undefined)
      push(
        here(),
        `a ${c.kind} component needs installed: the file that exists once the product is installed`,
      );

    const resolveSource = (
      s: { attachment: string } | { url: string; sha256: string },
      fallback: string,
    ): Source => {
      if ('attachment' in s)
        return { kind: 'attachment', path: resolve(base, s.attachment), name: basename(s.attachment) };
      let name = fallback;
      try {
        const last = new URL(s.url).pathname.split('/').pop() ?? '';
        if (/^[A-Za-z0-9._-]{1,100}$/.test(last)) name = last;
      } catch {
        // the shape check already required https://; an unparsable URL is reported below
      }
      return { kind: 'url', url: s.url, sha256: s.sha256.toLowerCase(), name };
    };

    let install: IntegrationComponent['install'] = null;
    if (c.kind === 'deploy') {
      const i = c.install;
      if (!i) push(here(), 'a deploy component needs install');
      else {
        const allowed = {
          windows: ['msi', 'exe'],
          macos: ['pkg', 'script'],
          linux: ['deb', 'rpm', 'script'],
        }[c.os];
        const types = (['msi', 'exe', 'pkg', 'deb', 'rpm', 'script'] as const).filter(
          (t) => i[t] !== undefined,
        );
        for (const t of types)
          if (!allowed.includes(t))
            push(here('install', t), `not an installer for ${c.os}; use ${allowed.join(' or ')}`);
        const linuxPkgs = types.length === 2 && types.includes('deb') && types.includes('rpm');
        if (types.length === 0) push(here('install'), `name the installer: ${allowed.join(', ')}`);
        else if (types.length > 1 && !linuxPkgs)
          push(
            here('install'),
            `name one installer (Linux may give deb and rpm together); found ${types.join(', ')}`,
          );
        for (const t of types) {
          const s = i[t];
          if (s && 'url' in s) {
            try {
              new URL(s.url);
            } catch {
              push(here('install', t, 'url'), 'is not a valid URL');
            }
          }
        }
        install = {
          type: types[0] ?? 'msi',
          sources: types.map((t) => ({ type: t, source: resolveSource(i[t] as never, `installer.${t}`) })),
          arguments: i.arguments ?? [],
          stopProcesses: i.stopProcesses ?? [],
        };
        for (const [n, a] of install.arguments.entries())
          if (/[\0\n\r"]/.test(a))
            push(here('install', 'arguments', n), 'must not contain quotes or line breaks');
      }
    }

    let licence: IntegrationComponent['licence'] = null;
    if (c.licence) {
      const l = c.licence;
      const fromComponent = varIndex.get(l.variable);
      const site = siteVariables.find((v) => v.name === l.variable);
      let pattern = l.pattern ?? '';
      let secret = true;
      if (fromComponent !== undefined) {
        const v = variables[fromComponent] as IntegrationVariable;
        pattern = pattern || v.pattern;
        secret = v.secret;
        if (v.type !== 'string') push(here('licence', 'variable'), `${l.variable} must be a string variable`);
      } else if (site) {
        pattern = pattern || site.pattern;
        secret = site.secret;
      } else
        push(
          here('licence', 'variable'),
          `${l.variable} is neither a variable of this component nor a declared site variable (siteVariables)`,
        );
      if (l.pattern) {
        const problem = checkPattern(l.pattern);
        if (problem) push(here('licence', 'pattern'), problem);
      }
      if (!pattern)
        push(
          here('licence'),
          'the licence key needs a pattern (on its variable or here): it is checked before it reaches any command',
        );
      const targets = [l.registry, l.script, l.command].filter((x) => x !== undefined).length;
      if (targets !== 1)
        push(here('licence'), 'give exactly one of registry (Windows), script or command (macOS/Linux)');
      if (l.registry && c.os !== 'windows')
        push(here('licence', 'registry'), 'registry is for Windows components');
      if ((l.script || l.command) && c.os === 'windows')
        push(here('licence'), 'Windows components write the key with registry');
      if (l.script?.runner === 'osascript' && c.os !== 'macos')
        push(here('licence', 'script', 'runner'), 'osascript exists on macOS only');
      licence = {
        variable: l.variable,
        from: fromComponent !== undefined ? 'component' : 'site',
        secret,
        pattern,
        registry: l.registry ?? null,
        script: l.script
          ? { source: resolveSource({ attachment: l.script.attachment }, 'licence'), runner: l.script.runner }
          : null,
        command: l.command ?? null,
      };
    }

    let status: IntegrationComponent['status'] = null;
    if (c.kind === 'status') {
      if (!c.status) push(here(), 'a status component needs status');
      else {
        const lu = c.status.lastUpdate;
        let lastUpdate: NonNullable<IntegrationComponent['status']>['lastUpdate'] = null;
        if (lu) {
          lastUpdate = {
            command: lu.command,
            maxAgeVariable: lu.maxAgeVariable ?? DEFAULT_MAX_AGE_VARIABLE,
            maxAgeDays: lu.maxAgeDays ?? 7,
          };
          if (varIndex.has(lastUpdate.maxAgeVariable))
            push(
              here('status', 'lastUpdate', 'maxAgeVariable'),
              `${lastUpdate.maxAgeVariable} is added by rmmkit; do not declare it`,
            );
          addBuiltin({
            name: lastUpdate.maxAgeVariable,
            type: 'string',
            description: 'days since the last update before the product counts as out of date',
            default: String(lastUpdate.maxAgeDays),
          });
        }
        status = { process: c.status.process, lastUpdate };
      }
    }

    let tasks: IntegrationComponent['tasks'] = null;
    if (c.kind === 'tasks') {
      if (!c.tasks) push(here(), 'a tasks component needs tasks');
      else {
        const t = c.tasks;
        const n = varIndex.get(t.variable);
        const v = n === undefined ? undefined : variables[n];
        if (v?.type !== 'selection')
          push(here('tasks', 'variable'), `${t.variable} must be a selection variable of this component`);
        else {
          const values = new Set(v.options.map((o) => o.value));
          for (const value of Object.keys(t.actions))
            if (!values.has(value))
              push(here('tasks', 'actions', value), `no option of ${t.variable} has the value ${value}`);
          for (const o of v.options)
            if (!(o.value in t.actions))
              push(
                here('variables', n as number, 'options', o.label),
                `value ${o.value} has no action in tasks.actions`,
              );
        }
        for (const [value, a] of Object.entries(t.actions)) {
          if (/[^A-Za-z0-9._-]/.test(value))
            push(here('tasks', 'actions', value), 'action values may use letters, digits, . _ - only');
          if ('registry' in a && c.os !== 'windows')
            push(here('tasks', 'actions', value), 'registry actions are for Windows');
        }
        tasks = {
          variable: t.variable,
          actions: Object.entries(t.actions).map(([value, a]) => ({ value, ...a })),
        };
      }
    }
    const category = c.kind === 'status' ? 'monitors' : c.kind === 'deploy' ? 'applications' : 'scripts';
    return {
      id: c.id,
      kind: c.kind,
      os: c.os,
      name,
      description: c.description ?? `${KIND_WORD[c.kind]} ${d.product} (${d.vendor}); built by rmmkit.`,
      category,
      timeout: c.timeout ?? (c.kind === 'deploy' ? 3600 : c.kind === 'status' ? 120 : 600),
      installed: c.installed ?? '',
      variables,
      install,
      licence,
      status,
      tasks,
      link,
    } satisfies IntegrationComponent;
  });

  return {
    rmmkit: 1,
    vendor: d.vendor,
    product: d.product,
    ...(d.icon !== undefined ? { icon: resolve(base, d.icon) } : {}),
    file: resolve(file),
    link: {
      template: d.link.template,
      hosts: d.link.hosts,
      salt,
      udf: { slot: d.link.udf.slot, variable: d.link.udf.variable, max: udfMax, allowSlot1, store },
      recipe: DEVID1_RECIPE as Recipe,
    },
    siteVariables,
    components,
    policies: d.policies ?? [],
    ...(d.datto !== undefined ? { datto: d.datto } : {}),
  };
}

function normalizeVariable(
  v: NonNullable<IntegrationDefinition['components'][number]['variables']>[number],
  push: Push,
  vpath: (...rest: PropertyKey[]) => PropertyKey[],
): IntegrationVariable {
  const options = Object.entries(v.options ?? {}).map(([label, value]) => ({ label, value }));
  if (v.type === 'selection' && options.length === 0)
    push(vpath('options'), 'a selection needs at least one option');
  if (v.type !== 'selection' && v.options !== undefined)
    push(vpath('options'), 'only a selection takes options');
  let def = '';
  if (v.default !== undefined) {
    if (v.type === 'boolean') {
      if (typeof v.default !== 'boolean') push(vpath('default'), 'a boolean default is true or false');
      def = String(v.default);
    } else if (v.type === 'selection') {
      // Authors name the option by its label (as Datto's UI shows it) or by its value.
      const hit = options.find((o) => o.label === v.default || o.value === v.default);
      if (!hit)
        push(vpath('default'), `must be one of the option labels: ${options.map((o) => o.label).join(', ')}`);
      def = hit?.value ?? '';
    } else def = String(v.default);
  }
  const pattern = v.pattern ?? '';
  if (pattern) {
    const problem = checkPattern(pattern);
    if (problem) push(vpath('pattern'), problem);
    else if (def && !new RegExp(pattern).test(def))
      push(vpath('default'), `does not match the pattern ${pattern}`);
  }
  if (v.pattern !== undefined && v.type !== 'string')
    push(vpath('pattern'), 'only a string variable takes a pattern');
  if (v.secret && def)
    push(vpath('default'), 'a secret variable may not have a default (it would be in the component)');
  if (/[\0\r\n]/.test(def)) push(vpath('default'), 'must not contain line breaks');
  return {
    name: v.name,
    type: v.type,
    description: v.description ?? '',
    default: def,
    options,
    secret: v.secret ?? false,
    pattern,
    builtin: false,
  };
}
