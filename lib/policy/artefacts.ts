// The glue an integration build uses: resolve `policies:` against the components it built (by id),
// .cpt paths and {uid, name}; return every policy's .pcy and sheets as files to write.
import type { Component } from '../component/types.js';
import { ValidationError } from '../errors.js';
import { fileResolver } from './load.js';
import { PCY1, pcyEntries, writePcyEntries } from './profile.js';
import { policyFileStem, renderSheetHtml, renderSheetMarkdown } from './sheet.js';
import type { Policy } from './types.js';
import { type PathSegment, type PolicyIssue, type ResolveComponent, validatePolicies } from './validate.js';

/**
 * A resolver for an integration file: a component id of the file (`status-win`) gives the component
 * it built; a path ending in .cpt is read relative to `baseDir`; `{uid, name}` is a reference.
 */
export function integrationResolver(
  components: ReadonlyMap<string, Component>,
  baseDir: string,
): ResolveComponent {
  const files = fileResolver(baseDir);
  return (ref, where) => {
    if (typeof ref === 'string' && !/\.cpt$/i.test(ref)) {
      const c = components.get(ref);
      if (c) return { component: c };
      return {
        error: `no component with id ${JSON.stringify(ref)} in this integration file; ids are ${[...components.keys()].join(', ') || '(none)'}, or write a .cpt path or { uid, name }`,
      };
    }
    return files(ref, where);
  };
}

export interface PolicyArtefacts {
  policies: Policy[];
  /** Warnings (errors throw a ValidationError). */
  issues: PolicyIssue[];
  /** Relative path → content: `policies/<name>.pcy`, `.sheet.md`, `.sheet.html`. */
  files: Map<string, Uint8Array | string>;
}

/**
 * Validates the raw `policies:` of an integration file and builds every policy. `subject` names the
 * file in the error; `locate` maps a key path under `policies` to its line (from the YAML loader).
 */
export async function buildPolicyArtefacts(
  raw: unknown,
  options: {
    subject: string;
    components: ReadonlyMap<string, Component>;
    baseDir: string;
    locate?: (path: PathSegment[]) => { line: number; column: number } | undefined;
    sourceDateEpoch?: number;
    /** Folder of the outputs, `policies` by default. */
    dir?: string;
  },
): Promise<PolicyArtefacts> {
  const r = await validatePolicies(raw, {
    resolveComponent: integrationResolver(options.components, options.baseDir),
    ...(options.locate ? { locate: options.locate } : {}),
  });
  if (r.issues.some((i) => i.severity === 'error')) throw new ValidationError(options.subject, r.issues);
  const dir = options.dir ?? 'policies';
  const files = new Map<string, Uint8Array | string>();
  for (const p of r.policies) {
    const stem = policyFileStem(p);
    if (files.has(`${dir}/${stem}.pcy`))
      throw new ValidationError(options.subject, [
        {
          path: 'policies',
          message: `two policies would both be written as ${stem}.pcy; rename one`,
          severity: 'error',
        },
      ]);
    const entries = pcyEntries(p);
    files.set(`${dir}/${stem}.pcy`, writePcyEntries(entries, { sourceDateEpoch: options.sourceDateEpoch }));
    files.set(`${dir}/${stem}.sheet.md`, renderSheetMarkdown([p]));
    files.set(`${dir}/${stem}.sheet.html`, renderSheetHtml([p]));
    // The components the .pcy embeds are also written beside it, as `rmmkit policy build` does and as
    // the sheet says: a person entering the policy by hand imports them from there.
    for (const e of entries) if (e.name !== PCY1.policyEntry) files.set(`${dir}/${e.name}`, e.data);
  }
  return { policies: r.policies, issues: r.issues, files };
}
