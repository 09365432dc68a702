// Renders one integration component to its endpoint script (PowerShell for Windows, POSIX sh for macOS
// and Linux) from templates/integration/, and builds the Datto component model around it.
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { newComponent } from '../component/index.js';
import type { Component } from '../component/types.js';
import { ID_PLACEHOLDER } from '../devid/link.js';
import { VIRTUAL_OUIS } from '../devid/nics.js';
import { JUNK_SERIALS, JUNK_UUIDS } from '../devid/recipe.js';
import { RmmkitError } from '../errors.js';
import { packageVersion } from '../paths.js';
import { saltEnvName } from '../render/devid-script.js';
import { renderTemplate } from '../render/handlebars.js';
import { lintPs2 } from '../render/ps2-lint.js';
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
    unameName: c.os === 'macos' ? 'Darwin' : 'Linux',
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
    variables: c.variables.map((v) => ({
      name: v.name,
      type: v.type === 'selection' ? 'map' : v.type,
      direction: 'false',
      description: v.description,
      // Datto's default of a map is the option's *label*.
      defaultVal:
        v.type === 'selection' ? (v.options.find((o) => o.value === v.default)?.label ?? '') : v.default,
      options: v.options.map((o) => ({ name: o.label, value: o.value })),
    })),
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
