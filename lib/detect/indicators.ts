// The Datto RMM indicator catalogue (hosts, signers, processes, services, paths, registry, company
// names), each with its source and date, and the host-matching semantics the rules are built from.
import type {
  CompanyIndicator,
  HostIndicator,
  Indicator,
  PathIndicator,
  ProcessIndicator,
  RegistryIndicator,
  ServiceIndicator,
  SignerIndicator,
} from './types.js';

/** The Datto RMM platforms known when the catalogue was written; a profile may name another. */
export const DATTO_PLATFORMS = ['concord', 'merlot', 'pinotage', 'syrah', 'vidal', 'zinfandel'] as const;

const READ = '2026-11-29';
const AGENT_PAGE = 'Datto RMM help: Datto RMM Agent (service, process and install locations)';
const INFRA = 'Datto RMM help: Infrastructure and security (control channel, web service)';
const COMMUNITY =
  'community Datto RMM hunting rules (T1219), host and company lists, as reviewed in issue 13';
const UDF_PAGE =
  'Datto RMM help: User-defined fields (on Windows the agent keeps Custom1-Custom30 as values of this key)';
const ISSUE = 'rmmkit issue 13: current agent code-signing certificate';
const ISSUE_HOSTS =
  'rmmkit issue 13: hosts the community rules miss (<platform>cc and numbered cc hosts, *.rmm.datto.com); exact per-platform names not confirmed against Datto documentation';
const PLATFORMS =
  'Datto RMM platform names and per-platform hosts (<platform>.centrastage.net portal, <platform>-api API)';
const CC_DOMAIN =
  'Datto RMM help (Autotask-era allowlist page): keep TCP connections to cc.centrastage.net addresses open';

const host = (
  value: string,
  match: HostIndicator['match'],
  role: HostIndicator['role'],
  source: string,
  numbered = false,
): HostIndicator => ({
  kind: 'host',
  value,
  match,
  role,
  source,
  date: READ,
  ...(numbered ? { numbered } : {}),
});

export const HOSTS: readonly HostIndicator[] = [
  host('<platform>.centrastage.net', 'platform', 'portal', PLATFORMS),
  host('<platform>.rmm.datto.com', 'platform', 'portal', ISSUE_HOSTS),
  host('<platform>-agent.centrastage.net', 'platform', 'agent', COMMUNITY),
  host('<platform>-audit.centrastage.net', 'platform', 'agent', COMMUNITY),
  host('<platform>-monitoring.centrastage.net', 'platform', 'agent', COMMUNITY),
  host('<platform>-agent-notifications.centrastage.net', 'platform', 'agent', COMMUNITY),
  host('<platform>-agent-comms.centrastage.net', 'platform', 'agent', COMMUNITY),
  host('<platform>-api.centrastage.net', 'platform', 'api', PLATFORMS),
  host('<platform>cc.centrastage.net', 'platform', 'control-channel', ISSUE_HOSTS, true),
  host('cc.centrastage.net', 'suffix', 'control-channel', CC_DOMAIN),
  host('update.centrastage.net', 'exact', 'update', COMMUNITY),
  host('realtime.centrastage.net', 'exact', 'relay', COMMUNITY),
  host('ts.centrastage.net', 'exact', 'relay', COMMUNITY),
  host('rmm.datto.com', 'suffix', 'portal', ISSUE_HOSTS),
  host('centrastage.net', 'suffix', 'agent', COMMUNITY),
];

export const SIGNERS: readonly SignerIndicator[] = [
  { kind: 'signer', value: 'Datto, LLC', status: 'current', source: ISSUE, date: READ },
  { kind: 'signer', value: 'Datto Inc', status: 'legacy', source: COMMUNITY, date: READ },
];

export const PROCESSES: readonly ProcessIndicator[] = [
  { kind: 'process', value: 'CagService.exe', os: 'windows', source: AGENT_PAGE, date: READ },
  { kind: 'process', value: 'AEMAgent.exe', os: 'windows', source: AGENT_PAGE, date: READ },
  { kind: 'process', value: 'RMM.WebRemote.exe', os: 'windows', source: INFRA, date: READ },
];

export const SERVICES: readonly ServiceIndicator[] = [
  { kind: 'service', value: 'CagService', source: AGENT_PAGE, date: READ },
];

export const PATHS: readonly PathIndicator[] = [
  {
    kind: 'path',
    value: 'C:\\Program Files (x86)\\CentraStage\\',
    os: 'windows',
    source: AGENT_PAGE,
    date: READ,
  },
  { kind: 'path', value: 'C:\\Program Files\\CentraStage\\', os: 'windows', source: AGENT_PAGE, date: READ },
  { kind: 'path', value: 'C:\\ProgramData\\CentraStage\\', os: 'windows', source: AGENT_PAGE, date: READ },
  { kind: 'path', value: '/Applications/AEM Agent.app/', os: 'macos', source: AGENT_PAGE, date: READ },
  { kind: 'path', value: '/usr/local/share/CentraStage/', os: 'macos', source: AGENT_PAGE, date: READ },
  { kind: 'path', value: '/opt/CentraStage/', os: 'linux', source: AGENT_PAGE, date: READ },
];

export const REGISTRY: readonly RegistryIndicator[] = [
  { kind: 'registry', value: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\CentraStage', source: UDF_PAGE, date: READ },
];

export const COMPANIES: readonly CompanyIndicator[] = [
  { kind: 'company', value: 'CentraStage', source: COMMUNITY, date: READ },
  { kind: 'company', value: 'Datto', source: COMMUNITY, date: READ },
  { kind: 'company', value: 'Kaseya', source: COMMUNITY, date: READ },
];

/** Every indicator, in catalogue order. */
export const INDICATORS: readonly Indicator[] = [
  ...HOSTS,
  ...SIGNERS,
  ...PROCESSES,
  ...SERVICES,
  ...PATHS,
  ...REGISTRY,
  ...COMPANIES,
];

/** A platform name as the rules accept it: a lower-case DNS label without hyphens. */
export const PLATFORM_PATTERN = /^[a-z][a-z0-9]{1,30}$/;

/** Lower-cases a host and drops one trailing dot; a URL is reduced to its host. */
export function normalizeHost(value: string): string {
  let h = value.trim().toLowerCase();
  if (h.includes('://')) {
    try {
      h = new URL(h).hostname;
    } catch {
      return '';
    }
  }
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

/** The concrete host of a platform-templated indicator (`<platform>cc.centrastage.net` → `merlotcc…`). */
export function expandHost(indicator: HostIndicator, platform: string): string {
  return indicator.value.replace('<platform>', platform);
}

function hostMatchesFixed(indicator: HostIndicator, h: string): boolean {
  return indicator.match === 'exact'
    ? h === indicator.value
    : h === indicator.value || h.endsWith(`.${indicator.value}`);
}

/** Does `host` match `indicator`? For `platform` patterns, `platform` limits the match to one platform. */
export function hostMatches(indicator: HostIndicator, hostName: string, platform?: string): boolean {
  const h = normalizeHost(hostName);
  if (indicator.match !== 'platform') return hostMatchesFixed(indicator, h);
  const owner = platformOf(indicator, h);
  return owner !== null && (platform === undefined || owner === platform);
}

/** Which platform a host belongs to under a platform-templated indicator, or null. */
export function platformOf(indicator: HostIndicator, hostName: string): string | null {
  if (indicator.match !== 'platform') return null;
  const h = normalizeHost(hostName);
  // Shared hosts (update, relays, the cc domain) are not a platform even where a template fits them.
  if (
    HOSTS.some(
      (i) =>
        i.match !== 'platform' &&
        i.role !== 'portal' &&
        i.value !== 'centrastage.net' &&
        hostMatchesFixed(i, h),
    )
  )
    return null;
  const [before, after] = indicator.value.split('<platform>') as [string, string];
  // The platform is the part of the first label the template leaves open; numbered hosts may end in digits.
  const firstDot = after.indexOf('.');
  const labelRest = firstDot < 0 ? after : after.slice(0, firstDot);
  const domain = firstDot < 0 ? '' : after.slice(firstDot);
  if (!h.startsWith(before) || !h.endsWith(domain)) return null;
  const label = h.slice(before.length, h.length - domain.length);
  if (label.includes('.')) return null;
  const digits = indicator.numbered ? '\\d*' : '';
  const m = new RegExp(`^([a-z][a-z0-9]*?)${escapeRegExp(labelRest)}${digits}$`).exec(label);
  if (!m?.[1] || !PLATFORM_PATTERN.test(m[1])) return null;
  return m[1];
}

/** Is `host` Datto RMM traffic at all (any catalogue host)? */
export function isDattoHost(hostName: string): boolean {
  return HOSTS.some((i) => hostMatches(i, hostName));
}

/** The sanctioned platform's own hosts: every platform template expanded (numbered cc hosts aside). */
export function sanctionedHostList(platform: string): string[] {
  return HOSTS.filter((i) => i.match === 'platform').map((i) => expandHost(i, platform));
}

/**
 * The platform a Datto host belongs to, trying the most specific templates first (so
 * `merlotcc2.centrastage.net` is merlot's control channel, not a portal of "merlotcc2"); null for
 * shared and non-Datto hosts.
 */
export function classifyHost(hostName: string): { platform: string; indicator: HostIndicator } | null {
  const templates = HOSTS.filter((i) => i.match === 'platform').sort(
    (a, b) => b.value.length - a.value.length || a.value.localeCompare(b.value),
  );
  for (const indicator of templates) {
    const platform = platformOf(indicator, hostName);
    if (platform) return { platform, indicator };
  }
  return null;
}

/** Shared Datto hosts every platform's agent uses (update, relays, the control-channel domain). */
export function sharedHostList(): string[] {
  return HOSTS.filter((i) => i.match === 'exact').map((i) => i.value);
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
