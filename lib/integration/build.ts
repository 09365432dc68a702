// Builds everything one integration file describes, as a tree of files in memory: components/*.cpt
// (lint-clean, deterministic), endpoint/ standalone hashers, and BUILD.md. The CLI writes the tree.
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeCpt } from '../component/cpt.js';
import { lintComponent } from '../component/lint.js';
import type { Component } from '../component/types.js';
import { InputError, RmmkitError } from '../errors.js';
import { renderDevidScript } from '../render/devid-script.js';
import { integrationSource } from './load.js';
import { buildComponentModel, componentAttachments } from './render.js';
import type { Integration, IntegrationComponent, IntegrationIssue } from './types.js';

/** Attachments and icons above this are refused (a .cpt is sent to every device). */
export const MAX_ATTACHMENT_BYTES = 512 * 1024 * 1024;

export interface BuildOptions {
  /** Unix seconds for the zip timestamps (SOURCE_DATE_EPOCH); default: the pinned DOS epoch. */
  sourceDateEpoch?: number;
}

export interface BuiltComponent {
  component: IntegrationComponent;
  file: string;
  model: Component;
  bytes: Uint8Array;
}

export interface BuildResult {
  files: Map<string, Uint8Array | string>;
  components: BuiltComponent[];
  /** Each monitoring policy built (from the file's `policies:`): `<name> → policies/<file>.pcy`. */
  policies: string[];
}

async function readInput(path: string, what: string): Promise<Uint8Array> {
  try {
    const b = await readFile(path);
    if (b.length > MAX_ATTACHMENT_BYTES) throw new InputError(path, `${what} is larger than 512 MiB`);
    return b;
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new InputError(path, `cannot read ${what} (${code}); paths are relative to the integration file`);
  }
}

/** Builds every artefact of `integration`; throws naming the component and the problem. */
export async function buildIntegration(
  integration: Integration,
  options: BuildOptions = {},
): Promise<BuildResult> {
  const files = new Map<string, Uint8Array | string>();
  const icon = integration.icon ? await readInput(integration.icon, 'the icon (icon:)') : undefined;
  const built: BuiltComponent[] = [];
  for (const [k, c] of integration.components.entries()) {
    const attachments = [];
    for (const a of componentAttachments(c))
      attachments.push({
        name: a.name,
        data: await readInput(a.path, `the attachment of components[${k}] (${c.id})`),
      });
    const model = buildComponentModel(integration, c, { icon, attachments });
    // Warnings are fine (an author may accept them); errors mean a template or model bug.
    const errors = lintComponent(model).filter((f) => f.severity === 'error');
    if (errors.length > 0)
      throw new RmmkitError(
        'LINT',
        `component ${c.id} (components[${k}]) fails component lint:\n${errors.map((f) => `  ${f.rule}: ${f.message}`).join('\n')}`,
      );
    const bytes = writeCpt(model, { sourceDateEpoch: options.sourceDateEpoch });
    const file = `components/${c.id}.cpt`;
    files.set(file, bytes);
    built.push({ component: c, file, model, bytes });
  }
  const link = integration.link.template;
  const recipe = integration.link.recipe;
  const host = integration.link.hosts.find((h) => {
    try {
      renderDevidScript({ target: 'sh', salt: integration.link.salt, link, host: h, recipe });
      return true;
    } catch {
      return false;
    }
  });
  files.set(
    'endpoint/devid.ps1',
    renderDevidScript({ target: 'powershell', salt: integration.link.salt, link, host, recipe }),
  );
  files.set(
    'endpoint/devid.sh',
    renderDevidScript({ target: 'sh', salt: integration.link.salt, link, host, recipe }),
  );
  const policies = await buildIntegrationPolicies(
    integration,
    new Map(built.map((b) => [b.component.id, b.model])),
    options.sourceDateEpoch,
  );
  for (const [k, v] of policies.files) files.set(k, v);
  files.set('BUILD.md', buildReport(integration, built, policies.names));
  return { files, components: built, policies: policies.names };
}

/** Maps a key path under `policies:` to its line and column in the integration file. */
async function locatePolicies(integration: Integration) {
  const { parseSource } = await import('../policy/load.js');
  // The text the integration was read from (not the file again: it may have changed, or not exist).
  const text = integrationSource(integration) ?? (await readFile(integration.file, 'utf8'));
  const { locate } = parseSource(integration.file, text);
  return (path: (string | number)[]) => locate(['policies', ...path]);
}

/**
 * The `policies:` of an integration file, validated against the components it builds (a component
 * monitor names one by id) and built into `policies/<name>.pcy` with its Markdown and HTML sheets.
 * Problems are reported with their line in the integration file.
 */
async function buildIntegrationPolicies(
  integration: Integration,
  components: ReadonlyMap<string, Component>,
  sourceDateEpoch: number | undefined,
): Promise<{ files: Map<string, Uint8Array | string>; names: string[] }> {
  if (integration.policies.length === 0) return { files: new Map(), names: [] };
  const { buildPolicyArtefacts } = await import('../policy/artefacts.js');
  const art = await buildPolicyArtefacts(integration.policies, {
    subject: integration.file,
    components,
    baseDir: dirname(integration.file),
    locate: await locatePolicies(integration),
    sourceDateEpoch,
  });
  return {
    files: art.files,
    names: art.policies.map(
      (p, i) => `${p.name} → ${[...art.files.keys()].filter((k) => k.endsWith('.pcy'))[i]}`,
    ),
  };
}

const OS_WORD = { windows: 'Windows', macos: 'macOS', linux: 'Linux' } as const;

/** BUILD.md: what was built, each component's variables, the UDF slot, and the Datto import steps. */
export function buildReport(
  integration: Integration,
  built: readonly BuiltComponent[],
  policies: readonly string[] = [],
): string {
  const udf = integration.link.udf;
  const salt = integration.link.salt;
  const saltText =
    salt.kind === 'env'
      ? `the site/account variable ${salt.name}`
      : salt.kind === 'none'
        ? 'none'
        : salt.kind === 'site'
          ? 'the site UID (CS_PROFILE_UID)'
          : 'the account UID (CS_ACCOUNT_UID)';
  const cell = (s: string) => s.replaceAll('|', '\\|').replace(/[\r\n]+/g, ' ');
  const lines: string[] = [
    `# ${integration.product} (${integration.vendor}): Datto RMM build`,
    '',
    'Built by `rmmkit build` from the integration file; rebuild rather than edit these files.',
    '',
    '## Components',
    '',
    '| file | name | kind | category | script |',
    '|---|---|---|---|---|',
  ];
  for (const b of built) {
    const c = b.component;
    lines.push(
      `| \`${b.file}\` | ${cell(c.name)} | ${c.kind} | ${c.category} | ${c.os === 'windows' ? 'PowerShell 2.0+' : 'POSIX sh'} (${OS_WORD[c.os]}) |`,
    );
  }
  lines.push('', '## Variables', '');
  for (const b of built) {
    const c = b.component;
    lines.push(`### ${cell(c.name)}`, '');
    if (c.variables.length === 0 && !c.licence) {
      lines.push('No variables.', '');
      continue;
    }
    lines.push('| variable | type | default | notes |', '|---|---|---|---|');
    for (const v of c.variables) {
      const notes = [
        v.secret ? 'secret: never logged' : '',
        v.pattern ? `must match \`${cell(v.pattern)}\`` : '',
        v.options.length > 0
          ? `options: ${v.options.map((o) => `${cell(o.label)} = \`${cell(o.value)}\``).join(', ')}`
          : '',
        v.builtin ? 'added by rmmkit' : '',
        cell(v.description),
      ].filter(Boolean);
      lines.push(
        `| ${v.name} | ${v.type} | ${v.default ? `\`${cell(v.default)}\`` : ''} | ${notes.join('; ')} |`,
      );
    }
    if (c.licence?.from === 'site')
      lines.push(
        `| ${c.licence.variable} | site variable | | set it per site in Datto (Sites → Settings → Variables); no component defines it |`,
      );
    lines.push('');
  }
  lines.push(
    '## Device link',
    '',
    `- Link: \`${integration.link.template}\` with \`{ID}\` = the device ID by the recipe \`${integration.link.recipe.name}\`, salt: ${saltText}.`,
    `- UDF: slot ${udf.slot} by default (variable \`${udf.variable}\`, 1-${udf.max}${udf.allowSlot1 ? '' : ', slot 1 refused'}).`,
    '- Windows: `Custom<N>` (REG_SZ) under `HKLM\\SOFTWARE\\CentraStage`.',
    `- macOS / Linux: the agent's values.xml store (${udf.store ? `\`${udf.store}\`` : "default: the legacy Mono registry path under root's home"}); the environment variable \`RMMKIT_UDF_STORE\` overrides it.`,
    "- A UDF holding a value that is not this product's link is left alone (exit 3) unless `OverwriteUdf` is true.",
    '',
    '## Exit codes',
    '',
    '| code | deploy / link / tasks | status (monitor) |',
    '|---|---|---|',
    '| 0 | done, or nothing to change | healthy (`Status=OK`) |',
    '| 1 | unsupported system, or a variable value refused | alert: any other status |',
    '| 2 | install, licence or action failed; product missing (tasks) | |',
    '| 3 | the UDF holds a foreign value, left alone | |',
    '| 4 | no device ID, or the UDF could not be written | |',
    '',
    '## Endpoint scripts',
    '',
    "`endpoint/devid.ps1` and `endpoint/devid.sh` print this device's link (the standalone hashers, for",
    'support and for vendors with their own installer).',
    '',
    '## Import into Datto RMM',
    '',
    '1. Components → New Component → Import (or the ComStore import), and choose each `.cpt` in `components/`.',
    '2. Open each imported component, check its variables and save it.',
    `3. Label UDF ${udf.slot} (Setup → Account Settings → User-Defined Fields), e.g. "${cell(integration.product)} console".`,
    '4. Run the deploy component as a quick job on one test device; check StdOut, then the UDF on the device page.',
    '5. Status components are monitors: add them to a monitoring policy (Component Monitor) with the output variable `Status`.',
    '',
  );
  if (policies.length > 0) {
    lines.push(
      '## Monitoring policies',
      '',
      "Datto has not published the `.pcy` layout: each `.pcy` here is rmmkit's documented profile",
      '(`rmmkit-pcy/1`). The route certain to work today is the build sheet: open the `.sheet.html`',
      '(or `.sheet.md`) beside it and enter the policy in the Datto UI step by step, after importing',
      'the components it names.',
      '',
    );
    for (const name of policies) lines.push(`- ${cell(name)}`);
    lines.push('');
  }
  return lines.join('\n');
}

/**
 * The lint of every component as it would be built, without writing anything (for rmmkit check):
 * renders each script and runs the component lint; attachments are checked for presence, not read.
 * Findings are issues at `components[k]` (no line: they concern the generated component).
 */
export async function lintIntegration(integration: Integration): Promise<IntegrationIssue[]> {
  const issues: IntegrationIssue[] = [];
  const models = new Map<string, Component>();
  const at = (path: string, message: string, severity: IntegrationIssue['severity']) =>
    issues.push({ file: integration.file, line: 0, column: 0, path, message, severity });
  let icon: Uint8Array | undefined;
  if (integration.icon) {
    try {
      icon = await readInput(integration.icon, 'the icon');
    } catch (err) {
      at('icon', (err as Error).message, 'error');
    }
  }
  for (const [k, c] of integration.components.entries()) {
    for (const a of componentAttachments(c)) {
      try {
        await stat(a.path);
      } catch {
        // A warning: the file is valid, but build will stop until the attachment is there.
        at(
          `components[${k}]`,
          `${c.id}: attachment ${a.path} does not exist yet; build needs it (paths are relative to the file)`,
          'warning',
        );
      }
    }
    const model = buildComponentModel(integration, c, { icon, attachments: [] });
    models.set(c.id, model);
    for (const f of lintComponent(model))
      at(
        `components[${k}]`,
        `${c.id}: [${f.rule}] ${f.message}`,
        f.severity === 'info' ? 'warning' : f.severity,
      );
  }
  if (integration.policies.length > 0) {
    // The policies are validated as build would, against the components above, with their lines.
    const [{ validatePolicies }, { integrationResolver }] = await Promise.all([
      import('../policy/validate.js'),
      import('../policy/artefacts.js'),
    ]);
    const r = await validatePolicies(integration.policies, {
      resolveComponent: integrationResolver(models, dirname(integration.file)),
      locate: await locatePolicies(integration),
    });
    for (const i of r.issues) {
      const suffix = i.line === undefined ? '' : ` (line ${i.line}, column ${i.column})`;
      issues.push({
        file: integration.file,
        line: i.line ?? 0,
        column: i.column ?? 0,
        path: i.path,
        message: suffix && i.message.endsWith(suffix) ? i.message.slice(0, -suffix.length) : i.message,
        severity: i.severity === 'info' ? 'warning' : i.severity,
      });
    }
  }
  return issues;
}
