// Renders one integration component to its endpoint script (PowerShell for Windows, POSIX sh for macOS
// and Linux) from templates/integration/, and builds the Datto component model around it.

import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { newComponent } from '../component/index.js';
import type { Component } from '../component/types.js';
import { assertLinkTemplate, ID_PLACEHOLDER, templateHost } from '../devid/link.js';
import { VIRTUAL_OUIS } from '../devid/nics.js';
import { JUNK_SERIALS, JUNK_UUIDS } from '../devid/recipe.js';
import { DEVID1_RECIPE, type Recipe, recipeLinkPolicy } from '../devid/recipes.js';
import { RmmkitError, UsageError } from '../errors.js';
import { packageVersion } from '../paths.js';
import { recipeView } from '../render/devid-recipe-view.js';
import { type SaltSource, saltEnvName } from '../render/devid-script.js';
import { renderTemplate } from '../render/handlebars.js';
import { lintPs2 } from '../render/ps2-lint.js';
import { ENV_NAME, quoteSh } from '../render/quote.js';
import { DEFAULT_UDF_STORE, OVERWRITE_UDF_VARIABLE } from './load.js';
import type { Integration, IntegrationComponent, Source } from './types.js';

/** Printable ASCII for comments (a newline would end a comment; PowerShell 2.0 needs ASCII source). */
const commentText = (s: string) => s.replace(/[^\x20-\x7e]/g, '?');

const sourceView = (s: Source) => ({
  kind: s.kind,
  name: s.name,
  url: s.kind === 'url' ? s.url : '',
  sha256: s.kind === 'url' ? s.sha256 : '',
  isAttachment: s.kind === 'attachment',
});

const EMPTY_SOURCE = { kind: 'attachment', name: '', url: '', sha256: '', isAttachment: true };

/** The view model of templates/integration/*: every field exists whatever the kind. */
export function componentView(integration: Integration, c: IntegrationComponent): Record<string, unknown> {
  const t = integration.link.template;
  const at = t.indexOf(ID_PLACEHOLDER);
  const install = c.install;
  const deb = install?.sources.find((s) => s.type === 'deb');
  const rpm = install?.sources.find((s) => s.type === 'rpm');
  const l = c.licence;
  const st = c.status;
  return {
    version: packageVersion(),
    // The device-ID recipe the hash core compiles and the UDF writer recognises its links by.
    recipe: recipeView(integration.link.recipe),
    id: c.id,
    name: c.name,
    nameText: commentText(c.name),
    product: integration.product,
    productText: commentText(integration.product),
    vendorText: commentText(integration.vendor),
    sourceFile: commentText(basename(integration.file)),
    installed: c.installed,
    isMonitor: c.kind === 'status',
    isMacos: c.os === 'macos',
    osWord: c.os === 'macos' ? 'macOS' : c.os === 'linux' ? 'Linux' : 'Windows',
    unamePattern: c.os === 'macos' ? 'Darwin' : 'Linux',
    isAnyUnix: false,
    udfFromEnv: true,
    variableNames: c.variables.map((v) => v.name),
    link: c.link,
    linkPrefix: t.slice(0, at),
    linkSuffix: t.slice(at + ID_PLACEHOLDER.length),
    udfVariable: integration.link.udf.variable,
    udfDefault: String(integration.link.udf.slot),
    udfMax: integration.link.udf.max,
    udfMin: integration.link.udf.allowSlot1 ? 1 : 2,
    udfAllowSlot1: integration.link.udf.allowSlot1,
    udfStore:
      integration.link.udf.store || (c.os === 'macos' ? DEFAULT_UDF_STORE.macos : DEFAULT_UDF_STORE.linux),
    overwriteVariable: OVERWRITE_UDF_VARIABLE,
    saltEnv: saltEnvName(integration.link.salt),
    junkSerials: [...JUNK_SERIALS],
    junkUuids: [...JUNK_UUIDS],
    virtualOuis: Object.keys(VIRTUAL_OUIS),
    tempName: `rmmkit-${c.id}`,
    install: {
      isMsi: install?.type === 'msi',
      isPkg: install?.type === 'pkg',
      isScript: install?.type === 'script',
      isPackages: install?.type === 'deb' || install?.type === 'rpm',
      hasDeb: deb !== undefined,
      hasRpm: rpm !== undefined,
      needMessage: `this component needs ${[deb && 'dpkg', rpm && 'rpm'].filter(Boolean).join(' or ')}`,
      sources: (install?.sources ?? []).map((s) => sourceView(s.source)),
      deb: deb ? sourceView(deb.source) : EMPTY_SOURCE,
      rpm: rpm ? sourceView(rpm.source) : EMPTY_SOURCE,
      arguments: install?.arguments ?? [],
      stopProcesses: install?.stopProcesses ?? [],
    },
    hasLicence: l !== null,
    licence: {
      variable: l?.variable ?? '',
      fromSite: l?.from === 'site',
      pattern: l?.pattern ?? '',
      registry: l?.registry ?? { key: '', value: '', view: 64 },
      hasScript: l?.script != null,
      scriptName: l?.script?.source.name ?? '',
      scriptPath: l?.script ? `./${l.script.source.name}` : '',
      runner: l?.script?.runner ?? 'sh',
      hasCommand: l?.command != null,
      command: l?.command ?? [],
    },
    status: {
      process: st?.process ?? '',
      processMessage: `${st?.process ?? ''} is not running`,
      hasLastUpdate: st?.lastUpdate != null,
      command: st?.lastUpdate?.command ?? [],
      maxAgeVariable: st?.lastUpdate?.maxAgeVariable ?? 'MaxAgeDays',
      maxAgeDefault: String(st?.lastUpdate?.maxAgeDays ?? 7),
    },
    tasks: {
      variable: c.tasks?.variable ?? '',
      actionList: (c.tasks?.actions ?? []).map((a) => a.value).join(', '),
      actions: (c.tasks?.actions ?? []).map((a) => ({
        value: a.value,
        isCommand: 'command' in a,
        command: 'command' in a ? a.command : [],
        registry: 'registry' in a ? a.registry : { key: '', value: '', view: 64 },
      })),
    },
  };
}

/** The script of component `c`: PowerShell for Windows (PowerShell 2.0 lint-clean), sh elsewhere. */
export function renderComponentScript(integration: Integration, c: IntegrationComponent): string {
  const view = componentView(integration, c);
  if (c.os !== 'windows') return renderTemplate(`integration/${c.kind}.sh.hbs`, view);
  const text = renderTemplate(`integration/${c.kind}.ps1.hbs`, view);
  const findings = lintPs2(text);
  if (findings.length > 0) {
    throw new RmmkitError(
      'PS2_LINT',
      `the rendered script of ${c.id} is not PowerShell 2.0 safe (template bug):\n${findings.map((f) => `  line ${f.line}: ${f.message}`).join('\n')}`,
    );
  }
  if (/[^\x09\x0a\x20-\x7e]/.test(text))
    throw new RmmkitError('NOT_ASCII', `the rendered script of ${c.id} is not ASCII (template bug)`);
  return text;
}

/** Files a component carries: what the build must read (attachments), by name inside the .cpt. */
export function componentAttachments(c: IntegrationComponent): Array<{ name: string; path: string }> {
  const out: Array<{ name: string; path: string }> = [];
  for (const s of c.install?.sources ?? [])
    if (s.source.kind === 'attachment') out.push({ name: s.source.name, path: s.source.path });
  if (c.licence?.script?.source.kind === 'attachment')
    out.push({ name: c.licence.script.source.name, path: c.licence.script.source.path });
  return out;
}

/** The Datto component model: resource.xml fields, the body, the icon and the attachments. */
export function buildComponentModel(
  integration: Integration,
  c: IntegrationComponent,
  files: { icon?: Uint8Array; attachments: Array<{ name: string; data: Uint8Array }> },
): Component {
  const body = renderComponentScript(integration, c);
  return newComponent({
    general: {
      name: c.name,
      category: c.category,
      description: c.description,
      uid: componentUid(integration, c),
      hash: '',
      version: '1',
      timeout: String(c.timeout),
      securityLevel: '1',
      installType: c.os === 'windows' ? 'powershell' : 'unix',
    },
    variables: c.variables
      .map((v) => ({
        name: v.name,
        type: v.type === 'selection' ? 'map' : v.type,
        direction: 'false',
        description: v.description,
        // Datto's default of a map is the option's *label*.
        defaultVal:
          v.type === 'selection' ? (v.options.find((o) => o.value === v.default)?.label ?? '') : v.default,
        options: v.options.map((o) => ({ name: o.label, value: o.value })),
      }))
      .concat(
        // A monitor reports through its output variable (direction true), as Datto's own exports do.
        c.kind === 'status'
          ? [
              {
                name: 'Status',
                type: 'string',
                direction: 'true',
                description: 'monitor result (Status=...)',
                defaultVal: '',
                options: [],
              },
            ]
          : [],
      ),
    postConditions: [],
    body,
    icon: files.icon,
    attachments: files.attachments,
  });
}

/**
 * A stable UUID per vendor, product and component id (name-based, SHA-1, RFC 4122 version 5 layout),
 * so a rebuild imports as the same component and the build stays deterministic.
 */
export function componentUid(integration: Integration, c: IntegrationComponent): string {
  const h = createHash('sha1')
    .update(`rmmkit\n${integration.vendor}\n${integration.product}\n${c.id}`)
    .digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x50;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** Where the standalone hasher takes its UDF slot: a fixed number, or an environment variable. */
export type UdfSlotSource = { kind: 'slot'; slot: number } | { kind: 'env'; name: string };

export interface DevidUdfScriptOptions {
  target: 'powershell' | 'sh';
  salt: SaltSource;
  /** Deep-link template with {ID} (required: the UDF receives the link). */
  link: string;
  host?: string;
  udf: UdfSlotSource;
  /** macOS/Linux values.xml path baked in; default: the documented legacy agent path for the OS found. */
  store?: string;
  /** Highest slot (default 30); slot 1 is refused unless allowSlot1. */
  max?: number;
  allowSlot1?: boolean;
  /** The device-ID recipe; default DEVID1. */
  recipe?: Recipe;
}

/** Parses `--udf SLOT|env:NAME`; throws UsageError naming what is allowed. */
export function parseUdfSlotSource(text: string, max = 30, allowSlot1 = false): UdfSlotSource {
  if (text.startsWith('env:')) {
    const name = text.slice(4);
    if (!ENV_NAME.test(name) || /^(?:DEVID_|RMMKIT_|devid_|rmmkit_)/.test(name))
      throw new UsageError(
        `--udf env:${name}: not a usable environment variable name (letters, digits, _; not DEVID_/RMMKIT_)`,
      );
    return { kind: 'env', name };
  }
  if (!/^[1-9][0-9]{0,2}$/.test(text) || Number(text) > max || (text === '1' && !allowSlot1))
    throw new UsageError(
      `--udf ${JSON.stringify(text)}: use a slot number from 2 to ${max} (slot 1 belongs to Ransomware Detection) or env:NAME`,
    );
  return { kind: 'slot', slot: Number(text) };
}

/** The standalone DEVID1 hasher that also writes the link into a UDF (rmmkit devid script --udf). */
export function renderDevidUdfScript(o: DevidUdfScriptOptions): string {
  const host = o.host ?? templateHost(o.link) ?? '';
  const recipe = o.recipe ?? (DEVID1_RECIPE as Recipe);
  assertLinkTemplate(o.link, recipeLinkPolicy(recipe, host));
  const max = o.max ?? 30;
  const allowSlot1 = o.allowSlot1 ?? false;
  if (o.store !== undefined && (!o.store.startsWith('/') || /[\0-\x1f\x7f]/.test(o.store)))
    throw new UsageError(
      `--udf-store ${JSON.stringify(o.store)}: give an absolute path without control characters`,
    );
  const at = o.link.indexOf(ID_PLACEHOLDER);
  const fixed = o.udf.kind === 'slot' ? o.udf.slot : 0;
  const view = {
    version: packageVersion(),
    recipe: recipeView(recipe),
    product: 'vendor',
    installed: '',
    isMonitor: false,
    isMacos: false,
    isAnyUnix: true,
    osWord: 'macOS and Linux',
    unamePattern: 'Darwin | Linux',
    linkPrefix: o.link.slice(0, at),
    linkSuffix: o.link.slice(at + ID_PLACEHOLDER.length),
    udfFromEnv: o.udf.kind === 'env',
    udfVariable: o.udf.kind === 'env' ? o.udf.name : 'UNUSED',
    // With env:NAME an unset or empty variable is refused: there is no default slot.
    udfDefault: fixed ? String(fixed) : '',
    udfDescription:
      o.udf.kind === 'env'
        ? `from the environment variable ${o.udf.name} (set it per site or component)`
        : `${fixed}`,
    udfMax: max,
    udfMin: allowSlot1 ? 1 : 2,
    udfAllowSlot1: allowSlot1,
    udfStore: o.store ?? '',
    overwriteVariable: OVERWRITE_UDF_VARIABLE,
    saltEnv: saltEnvName(o.salt),
    junkSerials: [...JUNK_SERIALS],
    junkUuids: [...JUNK_UUIDS],
    virtualOuis: Object.keys(VIRTUAL_OUIS),
  };
  if (o.target === 'sh') {
    const text = renderTemplate('integration/devid-udf.sh.hbs', view);
    if (o.store !== undefined) return text;
    // No store given: the documented default of the OS the script finds itself on.
    return text.replace(
      "rmmkit_store_default=''\n",
      `case $(uname -s 2>/dev/null) in\n  Darwin) rmmkit_store_default=${quoteSh(DEFAULT_UDF_STORE.macos)} ;;\n  *) rmmkit_store_default=${quoteSh(DEFAULT_UDF_STORE.linux)} ;;\nesac\n`,
    );
  }
  const text = renderTemplate('integration/devid-udf.ps1.hbs', view);
  const findings = lintPs2(text);
  if (findings.length > 0)
    throw new RmmkitError(
      'PS2_LINT',
      `the --udf script is not PowerShell 2.0 safe (template bug): ${findings[0]?.message}`,
    );
  return text;
}
