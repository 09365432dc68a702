// Semantic comparison of policies: both sides become a plain view (components by identity and content
// digest), compared key by key; each difference names its path (`monitors[1].priority`).
import { createHash } from 'node:crypto';
import { writeCpt } from '../component/cpt.js';
import type { ComponentRef, Policy } from './types.js';

export interface PolicyDifference {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  /** The value on the first side (absent when added). */
  a?: unknown;
  /** The value on the second side (absent when removed). */
  b?: unknown;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function refView(r: ComponentRef): Record<string, unknown> {
  if (r.strategy === 'uid') return { strategy: 'uid', uid: r.uid, name: r.name };
  const c = r.component;
  return {
    strategy: 'embed',
    uid: r.uid,
    name: r.name,
    category: c.general.category ?? null,
    variables: c.variables.map((v) => v.name ?? ''),
    sha256: sha256(writeCpt(c)),
  };
}

/** The policy as plain data: what diff, inspect --json and tests compare. Deterministic key order. */
export function policyView(p: Policy): Record<string, unknown> {
  return {
    name: p.name,
    description: p.description,
    scope: p.scope,
    enabled: p.enabled,
    monitors: p.monitors.map((m) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(m)) {
        if (k === 'component') out[k] = refView(v as ComponentRef);
        else if (k === 'responses') {
          const r = m.responses;
          out.responses = {
            email: r.email,
            ticket: r.ticket,
            ...(r.component ? { component: refView(r.component) } : {}),
            ...(r.webhook !== undefined ? { webhook: r.webhook } : {}),
          };
        } else out[k] = v;
      }
      return out;
    }),
    ...(p.extras
      ? {
          extras: {
            ...(p.extras.format ? { format: p.extras.format } : {}),
            ...(p.extras.elements ? { elements: p.extras.elements } : {}),
            ...(p.extras.entries
              ? { entries: p.extras.entries.map((e) => ({ name: e.name, sha256: sha256(e.data) })) }
              : {}),
          },
        }
      : {}),
  };
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function walk(a: unknown, b: unknown, path: string, out: PolicyDifference[]): void {
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const p = `${path}[${i}]`;
      if (i >= a.length) out.push({ path: p, kind: 'added', b: b[i] });
      else if (i >= b.length) out.push({ path: p, kind: 'removed', a: a[i] });
      else walk(a[i], b[i], p, out);
    }
    return;
  }
  if (isObj(a) && isObj(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !Object.hasOwn(a, k))];
    for (const k of keys) {
      const p = path ? `${path}.${k}` : k;
      if (!Object.hasOwn(b, k)) out.push({ path: p, kind: 'removed', a: a[k] });
      else if (!Object.hasOwn(a, k)) out.push({ path: p, kind: 'added', b: b[k] });
      else walk(a[k], b[k], p, out);
    }
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, kind: 'changed', a, b });
}

/** Every semantic difference between two policies, by path; empty when they are the same policy. */
export function diffPolicies(a: Policy, b: Policy): PolicyDifference[] {
  const out: PolicyDifference[] = [];
  walk(policyView(a), policyView(b), '', out);
  return out;
}

/** Compares two sets of policies matched by name; paths start with the policy's name in quotes. */
export function diffPolicySets(a: readonly Policy[], b: readonly Policy[]): PolicyDifference[] {
  if (a.length === 1 && b.length === 1) return diffPolicies(a[0]!, b[0]!);
  const out: PolicyDifference[] = [];
  const label = (p: Policy) => JSON.stringify(p.name);
  for (const p of a) {
    const q = b.find((x) => x.name === p.name);
    if (!q) out.push({ path: label(p), kind: 'removed', a: policyView(p) });
    else for (const d of diffPolicies(p, q)) out.push({ ...d, path: `${label(p)}.${d.path}` });
  }
  for (const q of b)
    if (!a.some((p) => p.name === q.name)) out.push({ path: label(q), kind: 'added', b: policyView(q) });
  return out;
}

/** One line per difference, for the terminal. */
export function formatDifference(d: PolicyDifference): string {
  const v = (x: unknown) => JSON.stringify(x);
  if (d.kind === 'added') return `+ ${d.path}: ${v(d.b)}`;
  if (d.kind === 'removed') return `- ${d.path}: ${v(d.a)}`;
  return `~ ${d.path}: ${v(d.a)} → ${v(d.b)}`;
}
