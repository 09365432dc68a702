// Validation and normalization of `policies:` (from a policy-only file or passed raw by an integration
// file): every problem is reported with its key path and, when the source is YAML, its line.
import { z } from 'zod';
import { readCpt, writeCpt } from '../component/cpt.js';
import type { Component } from '../component/types.js';
import type { Issue } from '../errors.js';
import { MONITOR_TYPE_KEYS, MONITOR_TYPES, monitorType } from './monitor-types.js';
import {
  type ComponentRef,
  type Monitor,
  type Policy,
  PRIORITIES,
  type Priority,
  type Responses,
  SCOPES,
} from './types.js';

/** Defaults of every optional field, in one place. */
export const POLICY_DEFAULTS = {
  description: '',
  scope: 'global',
  enabled: true,
  priority: 'Moderate' as Priority,
  triggerCount: 1,
  ticket: false,
} as const;

/** An issue with the source position of its key, when known. */
export interface PolicyIssue extends Issue {
  line?: number;
  column?: number;
}

export type PathSegment = string | number;

/** What a resolver gives back for a component reference. */
export type ResolvedComponent = { component: Component } | { uid: string; name: string } | { error: string };

/**
 * Resolves what an author wrote for a component (an integration component id, a path to a .cpt, or
 * `{uid, name}`). `role` says whether a component monitor runs it or a response starts it.
 */
export type ResolveComponent = (
  ref: string | { uid: string; name: string },
  where: { path: string; role: 'monitor' | 'response' },
) => ResolvedComponent | Promise<ResolvedComponent>;

export interface ValidateOptions {
  resolveComponent?: ResolveComponent;
  /** Source position of a key path (relative to the `policies` value), for messages. */
  locate?: (path: PathSegment[]) => { line: number; column: number } | undefined;
  /** Path prefix in messages, `policies` by default. */
  prefix?: string;
}

export interface ValidateResult {
  policies: Policy[];
  issues: PolicyIssue[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The default resolver: `{uid, name}` only; ids and paths need an integration file or a file loader. */
export const uidOnlyResolver: ResolveComponent = (ref) =>
  typeof ref === 'string'
    ? {
        error: `cannot resolve ${JSON.stringify(ref)}: point at a component by { uid, name }, or load the policy from a file (then a .cpt path works) or from an integration file (then a component id works)`,
      }
    : { uid: ref.uid, name: ref.name };

const ref = z.union([
  z.string().trim().min(1, { error: 'may not be empty' }),
  z.strictObject({ uid: z.string().trim().min(1), name: z.string().trim().min(1) }),
]);

const responsesSchema = z.strictObject({
  email: z.union([z.string(), z.array(z.string())]).optional(),
  ticket: z.boolean().optional(),
  component: ref.optional(),
  webhook: z.string().optional(),
});

const commonShape = {
  type: z.string(),
  priority: z.enum(PRIORITIES).optional(),
  autoResolveMins: z.int().min(1).optional(),
  responses: responsesSchema.optional(),
};

const policySchema = z.strictObject({
  name: z.string().trim().min(1, { error: 'may not be empty' }),
  description: z.string().optional(),
  scope: z.enum(SCOPES).optional(),
  enabled: z.boolean().optional(),
  monitors: z.array(z.unknown()).min(1, { error: 'a policy needs at least one monitor' }),
});

/**
 * The JSON Schema of a policy-only file, from the same zod shapes the validator uses (for editors:
 * `# yaml-language-server: $schema=…`). Semantic checks (component categories, variables,
 * duplicates, e-mail and webhook rules) are the validator's alone.
 */
export function policyFileJsonSchema(): Record<string, unknown> {
  const monitor = z.discriminatedUnion(
    'type',
    MONITOR_TYPES.map((row) =>
      z.strictObject({ ...commonShape, ...row.shape, type: z.literal(row.type) }),
    ) as never,
  );
  const policy = policySchema.extend({ monitors: z.array(monitor).min(1) });
  const file = z.strictObject({ rmmkit: z.literal(1).optional(), policies: z.array(policy) });
  const schema = z.toJSONSchema(file, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, title: 'rmmkit policy file (policies:)' };
}

const typeName = (v: unknown) =>
  v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : typeof v;

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const k of path)
    v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** A zod issue in words: what was found, what is allowed. */
function describeZodIssue(iss: z.core.$ZodIssue, raw: unknown): string {
  const found = valueAt(raw, iss.path);
  switch (iss.code) {
    case 'invalid_value':
      return `${JSON.stringify(found)} is not allowed; use one of ${iss.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown key${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    case 'invalid_type':
      if (found === undefined) return 'is required';
      return `expected ${iss.expected === 'int' ? 'a whole number' : iss.expected}, found ${typeName(found)} ${JSON.stringify(found)}`;
    case 'too_small':
      if (!iss.message.startsWith('Too small')) return iss.message;
      if (iss.origin === 'array') return `needs at least ${iss.minimum} item${iss.minimum === 1 ? '' : 's'}`;
      if (iss.origin === 'string')
        return iss.message.startsWith('Too small') ? 'may not be empty' : iss.message;
      return `${JSON.stringify(found)} is too small; the least allowed is ${iss.minimum}`;
    case 'too_big':
      return `${JSON.stringify(found)} is too large; the most allowed is ${iss.maximum}`;
    case 'invalid_union':
      return `${JSON.stringify(found)} is not allowed here (${typeName(found)})`;
    case 'invalid_format':
      if (!iss.message.startsWith('Invalid')) return `${JSON.stringify(found)} ${iss.message}`;
      return `${JSON.stringify(found)} is not a valid ${iss.format}`;
    default:
      return iss.message;
  }
}

const pathText = (prefix: string, path: readonly PathSegment[]) =>
  path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${k}` : k), prefix);

/** Checks an e-mail address: one `@`, a dotted domain, no spaces or angle brackets. */
export function isEmail(s: string): boolean {
  return z.email().safeParse(s).success;
}

/** A webhook URL: parsed, https, a host, no credentials. Returns a problem or undefined. */
export function webhookProblem(s: string): string | undefined {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return `${JSON.stringify(s)} is not a URL; write https://host/path`;
  }
  if (u.protocol !== 'https:')
    return `${JSON.stringify(s)} uses ${u.protocol.replace(':', '')}; a webhook must use https`;
  if (!u.hostname) return `${JSON.stringify(s)} has no host`;
  if (u.username || u.password)
    return `${JSON.stringify(s)} carries a user name or password; Datto would show it to every console user`;
  return undefined;
}

/** Normalizes a component into the exact form a .cpt read gives back (pinned timestamp). */
export function embedForm(c: Component): Component {
  return readCpt('component', writeCpt(c));
}

/**
 * Validates and normalizes the raw `policies` value. Never throws on bad input: returns every issue
 * (the caller turns errors into one ValidationError) and the policies that normalized cleanly.
 */
export async function validatePolicies(raw: unknown, options: ValidateOptions = {}): Promise<ValidateResult> {
  const prefix = options.prefix ?? 'policies';
  const resolve = options.resolveComponent ?? uidOnlyResolver;
  const issues: PolicyIssue[] = [];
  const push = (path: PathSegment[], message: string, severity: Issue['severity'] = 'error') => {
    const at = options.locate?.(path);
    issues.push({
      path: pathText(prefix, path),
      message: at ? `${message} (line ${at.line}, column ${at.column})` : message,
      severity,
      ...(at ? { line: at.line, column: at.column } : {}),
    });
  };
  const zodIssues = (base: PathSegment[], value: unknown, error: z.ZodError) => {
    for (const iss of error.issues)
      push([...base, ...(iss.path as PathSegment[])], describeZodIssue(iss, value));
  };
  if (!Array.isArray(raw)) {
    push([], `expected a list of policies, found ${typeName(raw)}`);
    return { policies: [], issues };
  }
  const policies: Policy[] = [];
  const names = new Map<string, number>();
  for (const [p, rawPolicy] of raw.entries()) {
    const parsed = policySchema.safeParse(rawPolicy);
    if (!parsed.success) {
      zodIssues([p], rawPolicy, parsed.error);
      // still check the monitors, so one run reports everything
    }
    const pol = (parsed.success ? parsed.data : rawPolicy) as Record<string, unknown> | undefined;
    if (parsed.success) {
      const key = parsed.data.name.toLowerCase();
      const other = names.get(key);
      if (other !== undefined)
        push(
          [p, 'name'],
          `policy name ${JSON.stringify(parsed.data.name)} is also used by ${prefix}[${other}]`,
        );
      else names.set(key, p);
    }
    const rawMonitors = pol && typeof pol === 'object' && Array.isArray(pol.monitors) ? pol.monitors : [];
    const monitors: Monitor[] = [];
    const seen = new Map<string, number>();
    let ok = parsed.success;
    for (const [k, rm] of rawMonitors.entries()) {
      const m = await normalizeMonitor(rm, [p, 'monitors', k], push, zodIssues, resolve, prefix);
      if (!m) {
        ok = false;
        continue;
      }
      const id = `${m.type}:${monitorType(m.type)!.identity(m)}`;
      const dup = seen.get(id);
      if (dup !== undefined)
        push(
          [p, 'monitors', k],
          `duplicate monitor: the same ${monitorType(m.type)!.title} as ${pathText(prefix, [p, 'monitors', dup])}`,
        );
      else seen.set(id, k);
      monitors.push(m);
    }
    if (ok && parsed.success)
      policies.push({
        name: parsed.data.name.trim(),
        description: parsed.data.description ?? POLICY_DEFAULTS.description,
        scope: parsed.data.scope ?? POLICY_DEFAULTS.scope,
        enabled: parsed.data.enabled ?? POLICY_DEFAULTS.enabled,
        monitors,
      });
  }
  return { policies: issues.some((i) => i.severity === 'error') ? [] : policies, issues };
}

type Push = (path: PathSegment[], message: string, severity?: Issue['severity']) => void;

async function resolveRef(
  value: string | { uid: string; name: string },
  path: PathSegment[],
  role: 'monitor' | 'response',
  resolve: ResolveComponent,
  push: Push,
  prefix: string,
): Promise<ComponentRef | undefined> {
  const r = await resolve(value, { path: pathText(prefix, path), role });
  if ('error' in r) {
    push(path, r.error);
    return undefined;
  }
  if ('component' in r) {
    const c = embedForm(r.component);
    return { strategy: 'embed', uid: c.general.uid ?? '', name: c.general.name ?? '', component: c };
  }
  if (!UUID.test(r.uid)) {
    push(
      typeof value === 'object' ? [...path, 'uid'] : path,
      `${JSON.stringify(r.uid)} is not a component UID; Datto UIDs look like 8-4-4-4-12 hex digits`,
    );
    return undefined;
  }
  return { strategy: 'uid', uid: r.uid.toLowerCase(), name: r.name.trim() };
}

async function normalizeMonitor(
  rm: unknown,
  path: PathSegment[],
  push: Push,
  zodIssues: (base: PathSegment[], value: unknown, error: z.ZodError) => void,
  resolve: ResolveComponent,
  prefix: string,
): Promise<Monitor | undefined> {
  if (rm === null || typeof rm !== 'object' || Array.isArray(rm)) {
    push(path, `expected a monitor (a mapping with a type), found ${typeName(rm)}`);
    return undefined;
  }
  const type = (rm as Record<string, unknown>).type;
  const row = typeof type === 'string' ? monitorType(type) : undefined;
  if (!row) {
    push(
      [...path, 'type'],
      type === undefined
        ? `is required; use one of ${MONITOR_TYPE_KEYS.join(', ')}`
        : `${JSON.stringify(type)} is not a monitor type; use one of ${MONITOR_TYPE_KEYS.join(', ')}`,
    );
    return undefined;
  }
  const schema = z.strictObject({ ...commonShape, ...row.shape });
  const parsed = schema.safeParse(rm);
  let ok = parsed.success;
  if (!parsed.success) zodIssues(path, rm, parsed.error);
  const d = (parsed.success ? parsed.data : {}) as Record<string, unknown>;
  const rawObj = rm as Record<string, unknown>;

  // responses: checked even when another field failed, so every problem is reported
  const responses: Responses = { email: [], ticket: POLICY_DEFAULTS.ticket };
  const rr = rawObj.responses;
  if (rr && typeof rr === 'object' && !Array.isArray(rr)) {
    const r = rr as Record<string, unknown>;
    const emails = typeof r.email === 'string' ? [r.email] : Array.isArray(r.email) ? r.email : [];
    emails.forEach((e, k) => {
      const at = [...path, 'responses', 'email', ...(typeof r.email === 'string' ? [] : [k])];
      if (typeof e !== 'string') return;
      if (!isEmail(e.trim())) {
        push(at, `${JSON.stringify(e)} is not an e-mail address`);
        ok = false;
      } else if (responses.email.includes(e.trim()))
        push(at, `${JSON.stringify(e)} is listed twice`, 'warning');
      else responses.email.push(e.trim());
    });
    if (typeof r.ticket === 'boolean') responses.ticket = r.ticket;
    if (typeof r.webhook === 'string') {
      const problem = webhookProblem(r.webhook.trim());
      if (problem) {
        push([...path, 'responses', 'webhook'], problem);
        ok = false;
      } else responses.webhook = new URL(r.webhook.trim()).href;
    }
    if (r.component !== undefined && (typeof r.component === 'string' || typeof r.component === 'object')) {
      const c = await resolveRef(
        r.component as string,
        [...path, 'responses', 'component'],
        'response',
        resolve,
        push,
        prefix,
      );
      if (c) responses.component = c;
      else ok = false;
    }
  }

  const trigger = rawObj.trigger as Record<string, unknown> | undefined;
  if (
    row.type === 'eventlog' &&
    trigger &&
    typeof trigger === 'object' &&
    trigger.windowMins !== undefined &&
    trigger.count === undefined
  ) {
    push(
      [...path, 'trigger', 'count'],
      'windowMins is set without count: say how many events within that window raise the alert (count: 1 or more)',
    );
    ok = false;
  }
  if (row.type === 'eventlog' && parsed.success) {
    const codes = d.codes as number[];
    const dupCodes = codes.filter((c, i) => codes.indexOf(c) !== i);
    if (dupCodes.length) push([...path, 'codes'], `event ID ${dupCodes[0]} is listed twice`, 'warning');
    const types = d.eventTypes as string[];
    const dupTypes = types.filter((c, i) => types.indexOf(c) !== i);
    if (dupTypes.length)
      push([...path, 'eventTypes'], `event type ${dupTypes[0]} is listed twice`, 'warning');
  }

  let component: ComponentRef | undefined;
  let variables: { name: string; value: string }[] = [];
  // resolved even when another field failed, so a bad reference is reported in the same run
  if (row.type === 'component' && rawObj.component !== undefined) {
    const cv = rawObj.component;
    if (typeof cv === 'string' || (cv && typeof cv === 'object' && !Array.isArray(cv))) {
      const shapeOk = ref.safeParse(cv).success;
      if (shapeOk)
        component = await resolveRef(cv as string, [...path, 'component'], 'monitor', resolve, push, prefix);
      if (!component) ok = false;
    }
    if (component?.strategy === 'embed') {
      const cat = component.component.general.category;
      if (cat !== 'monitors') {
        push(
          [...path, 'component'],
          `component ${JSON.stringify(component.name)} is of category ${JSON.stringify(cat ?? '(none)')}; a component monitor runs a component of category "monitors"`,
        );
        ok = false;
      }
    }
    const rv = rawObj.variables;
    if (component && rv && typeof rv === 'object' && !Array.isArray(rv)) {
      const checked = checkVariables(component, rv as Record<string, unknown>, [...path, 'variables'], push);
      if (checked) variables = checked;
      else ok = false;
    }
  }

  if (!ok) return undefined;
  const common = {
    priority: (d.priority as Priority | undefined) ?? POLICY_DEFAULTS.priority,
    ...(d.autoResolveMins !== undefined ? { autoResolveMins: d.autoResolveMins as number } : {}),
    responses,
  };
  switch (row.type) {
    case 'eventlog': {
      const t = (d.trigger ?? {}) as { count?: number; windowMins?: number };
      return {
        type: 'eventlog',
        log: (d.log as string).trim(),
        source: (d.source as string).trim(),
        codes: d.codes as number[],
        eventTypes: d.eventTypes as never,
        ...(d.match !== undefined ? { match: d.match as string } : {}),
        trigger: {
          count: t.count ?? POLICY_DEFAULTS.triggerCount,
          ...(t.windowMins !== undefined ? { windowMins: t.windowMins } : {}),
        },
        ...common,
      };
    }
    case 'component':
      return {
        type: 'component',
        component: component!,
        variables,
        intervalMins: d.intervalMins as number,
        ...common,
      };
    case 'process':
      return { type: 'process', process: (d.process as string).trim(), state: d.state as never, ...common };
    case 'service':
      return { type: 'service', service: (d.service as string).trim(), state: d.state as never, ...common };
  }
}

/** Checks monitor variable values against the component's input variables; returns them in its order. */
function checkVariables(
  ref: ComponentRef,
  values: Record<string, unknown>,
  path: PathSegment[],
  push: Push,
): { name: string; value: string }[] | undefined {
  let ok = true;
  const scalar = (name: string, v: unknown): string | undefined => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    if (typeof v === 'boolean') return String(v);
    push([...path, name], `expected text, a number or true/false, found ${typeName(v)}`);
    ok = false;
    return undefined;
  };
  if (ref.strategy === 'uid') {
    const out: { name: string; value: string }[] = [];
    for (const [name, v] of Object.entries(values)) {
      const s = scalar(name, v);
      if (s !== undefined) out.push({ name, value: s });
    }
    return ok ? out : undefined;
  }
  const defined = ref.component.variables.filter((v) => v.direction !== 'true' && v.name);
  const out: { name: string; value: string }[] = [];
  for (const [name, v] of Object.entries(values)) {
    const def = defined.find((x) => x.name === name);
    if (!def) {
      push(
        [...path, name],
        `component ${JSON.stringify(ref.name)} defines no input variable ${JSON.stringify(name)}; it defines ${defined.length ? defined.map((x) => x.name).join(', ') : 'none'}`,
      );
      ok = false;
      continue;
    }
    const s = scalar(name, v);
    if (s === undefined) continue;
    if (def.type === 'boolean' && s !== 'true' && s !== 'false') {
      push([...path, name], `${JSON.stringify(v)} is not a boolean; variable ${name} takes true or false`);
      ok = false;
    } else if (def.type === 'map' && !def.options.some((o) => o.name === s || o.value === s)) {
      push(
        [...path, name],
        `${JSON.stringify(s)} is not among the options of ${name}: ${def.options.map((o) => JSON.stringify(o.name)).join(', ')}`,
      );
      ok = false;
    } else if (def.type === 'string' && typeof v === 'boolean') {
      push([...path, name], `variable ${name} is text; write "${v}" in quotes if that is meant`);
      ok = false;
    }
  }
  if (!ok) return undefined;
  for (const def of defined) {
    if (def.name && Object.hasOwn(values, def.name))
      out.push({ name: def.name, value: scalar(def.name, values[def.name])! });
  }
  return out;
}
