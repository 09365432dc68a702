// Loads a policy-only YAML/JSON file (`policies:` at the top): parse with line positions, resolve
// component references (.cpt paths relative to the file, or {uid, name}), validate, normalize.
import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isMap, LineCounter, parseDocument } from 'yaml';
import { readCpt } from '../component/cpt.js';
import { InputError, ValidationError } from '../errors.js';
import type { Policy } from './types.js';
import {
  type PathSegment,
  type PolicyIssue,
  type ResolveComponent,
  type ResolvedComponent,
  validatePolicies,
} from './validate.js';

/** A policy file larger than this is refused before parsing (real ones are a few KB). */
export const MAX_POLICY_SOURCE = 4 * 1024 * 1024;
/** A .cpt a policy embeds may be at most this large. */
const MAX_CPT = 64 * 1024 * 1024;
const TOP_KEYS = ['rmmkit', 'policies'];

export interface LoadedPolicies {
  file: string;
  policies: Policy[];
  /** Warnings (errors throw). */
  issues: PolicyIssue[];
}

/** A resolver for policy-only files: `{uid, name}`, or a path ending in .cpt relative to `baseDir`. */
export function fileResolver(baseDir: string): ResolveComponent {
  return async (ref): Promise<ResolvedComponent> => {
    if (typeof ref === 'object') return { uid: ref.uid, name: ref.name };
    if (!/\.cpt$/i.test(ref))
      return {
        error: `${JSON.stringify(ref)} is not a .cpt path, and a policy-only file has no components to name by id; write a path ending in .cpt or { uid, name }`,
      };
    const path = isAbsolute(ref) ? ref : resolve(baseDir, ref);
    try {
      const s = await stat(path);
      if (s.size > MAX_CPT)
        return { error: `${ref}: ${s.size} bytes; a monitor component may be at most ${MAX_CPT}` };
      return { component: readCpt(ref, new Uint8Array(await readFile(path))) };
    } catch (err) {
      if (err instanceof InputError) return { error: err.message };
      return { error: `cannot read ${JSON.stringify(ref)} (${(err as NodeJS.ErrnoException).code ?? err})` };
    }
  };
}

/** Parses YAML (or JSON) text; returns the value and a locator from key paths to line/column. */
export function parseSource(
  file: string,
  text: string,
): { value: unknown; locate: (path: PathSegment[]) => { line: number; column: number } | undefined } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const at = lineCounter.linePos(e.pos[0]);
    throw new InputError(
      file,
      `invalid YAML at line ${at.line}, column ${at.col}: ${e.message.split('\n')[0]}`,
      {
        code: 'BAD_YAML',
      },
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // the yaml library's guard against alias expansion ("billion laughs") is bad input
    throw new InputError(file, `cannot be read: ${(err as Error).message}`, { code: 'BAD_YAML' });
  }
  const locate = (path: PathSegment[]) => {
    // the deepest node that exists on the path: a missing key points at its parent
    for (let n = path.length; n >= 0; n--) {
      const node = (n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true)) as
        | { range?: [number, number, number] }
        | undefined;
      if (node && typeof node === 'object' && node.range) {
        // a key of a mapping: point at the key, not the value
        const pos = lineCounter.linePos(keyOffset(doc, path.slice(0, n)) ?? node.range[0]);
        return { line: pos.line, column: pos.col };
      }
    }
    return undefined;
  };
  return { value, locate };
}

function keyOffset(doc: ReturnType<typeof parseDocument>, path: PathSegment[]): number | undefined {
  const last = path[path.length - 1];
  if (typeof last !== 'string') return undefined;
  const parent = doc.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === last);
  return (pair?.key as { range?: [number, number, number] } | null)?.range?.[0];
}

/**
 * Loads a policy-only file: a mapping with `policies:` (and optionally `rmmkit: 1`). Throws
 * ValidationError listing every problem with its path and line.
 */
export async function loadPolicyFile(file: string): Promise<LoadedPolicies> {
  let text: string;
  try {
    const s = await stat(file);
    if (s.isDirectory()) throw new InputError(file, 'is a directory; expected a policy YAML file');
    if (s.size > MAX_POLICY_SOURCE)
      throw new InputError(file, `${s.size} bytes; a policy file may be at most ${MAX_POLICY_SOURCE} bytes`, {
        code: 'TOO_LARGE',
      });
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(
      file,
      `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      {
        cause: err,
      },
    );
  }
  return loadPolicySource(file, text, fileResolver(dirname(resolve(file))));
}

/** Like loadPolicyFile, from text already read; `file` names it in messages. */
export async function loadPolicySource(
  file: string,
  text: string,
  resolveComponent: ResolveComponent,
): Promise<LoadedPolicies> {
  const { value, locate } = parseSource(file, text);
  const issues: PolicyIssue[] = [];
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new InputError(file, 'expected a mapping with a `policies:` list at the top');
  const top = value as Record<string, unknown>;
  for (const k of Object.keys(top)) {
    if (!TOP_KEYS.includes(k)) {
      const at = locate([k]);
      issues.push({
        path: k,
        message: `unknown top-level key ${JSON.stringify(k)}; a policy-only file has ${TOP_KEYS.join(' and ')}${k === 'components' || k === 'vendor' ? ' (an integration file is loaded by lib/integration)' : ''}${at ? ` (line ${at.line}, column ${at.column})` : ''}`,
        severity: 'error',
      });
    }
  }
  if (top.rmmkit !== undefined && top.rmmkit !== 1)
    issues.push({
      path: 'rmmkit',
      message: `${JSON.stringify(top.rmmkit)} is not a known version; write rmmkit: 1`,
      severity: 'error',
    });
  if (!('policies' in top))
    issues.push({ path: 'policies', message: 'is required: a list of policies', severity: 'error' });
  const r = await validatePolicies(top.policies ?? [], {
    resolveComponent,
    locate: (p) => locate(['policies', ...p]),
  });
  issues.push(...r.issues);
  if (issues.some((i) => i.severity === 'error')) throw new ValidationError(file, issues);
  return { file, policies: r.policies, issues };
}
