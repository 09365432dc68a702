// The Datto RMM rules as vendor-neutral specs: each query is built from the indicator catalogue and
// the sanctioned profile, with {{TIME}} where the time column goes (TimeGenerated or Timestamp).
import {
  COMPANIES,
  escapeRegExp,
  HOSTS,
  PATHS,
  PROCESSES,
  REGISTRY,
  SIGNERS,
  sanctionedHostList,
  sharedHostList,
} from './indicators.js';
import type { EntityMapping, RuleSpec, SanctionedProfile } from './types.js';

/** Browsers whose visits to a Datto portal are people, not agents (matched with in~). */
export const BROWSERS = [
  'brave.exe',
  'chrome.exe',
  'firefox.exe',
  'iexplore.exe',
  'msedge.exe',
  'opera.exe',
  'Safari',
  'Google Chrome',
  'firefox',
] as const;

/** A KQL string literal: verbatim (@"…") unless the text holds a double quote. */

/**
 * The entity mappings every rule carries: the device (Host), the account, the file hash (SHA-256),
 * and the URL where the rule has one. Column names are checked by the lint against the query.
 */
function entities(c: { account: string; hash: string; url?: string }): EntityMapping[] {
  const url: EntityMapping[] = c.url
    ? [{ entityType: 'URL', fieldMappings: [{ identifier: 'Url', columnName: c.url }] }]
    : [];
  return [
    { entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'DeviceName' }] },
    ...url,
    { entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: c.account }] },
    {
      entityType: 'FileHash',
      fieldMappings: [
        { identifier: 'Algorithm', columnName: 'HashAlgorithm' },
        { identifier: 'Value', columnName: c.hash },
      ],
    },
  ];
}

export function kqlString(text: string): string {
  if (/[\r\n]/.test(text))
    throw new TypeError(`a KQL literal cannot hold a line break: ${JSON.stringify(text)}`);
  return text.includes('"') ? `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : `@"${text}"`;
}

const list = (xs: readonly string[]) => `dynamic([${xs.map((x) => JSON.stringify(x)).join(', ')}])`;

/** `(Col startswith @"a" or Col startswith @"b")`: KQL has no startswith_any. */
function startsWithAny(column: string, prefixes: readonly string[]): string {
  return `(${prefixes.map((p) => `${column} startswith ${kqlString(p)}`).join(' or ')})`;
}

function dattoDomains(): string[] {
  return HOSTS.filter((h) => h.match === 'suffix' && h.value !== 'cc.centrastage.net').map((h) => h.value);
}

/** Regex for the numbered control-channel hosts of a platform (`merlotcc2.centrastage.net`). */
function numberedCcRegex(platform: string): string {
  const cc = HOSTS.find((h) => h.numbered)!;
  const [label, ...rest] = cc.value.replace('<platform>', platform).split('.');
  return `(?i)(^|[^a-z0-9-])${escapeRegExp(label!)}\\d+\\.${rest.map(escapeRegExp).join('\\.')}`;
}

function profileLines(p: SanctionedProfile): string {
  const lines = [`Sanctioned platform: ${p.platform}.`];
  if (p.accountUid)
    lines.push(`Sanctioned account UID: ${p.accountUid} (for triage; endpoint telemetry does not carry it).`);
  if (p.siteUids.length > 0) lines.push(`Sanctioned site UIDs: ${p.siteUids.join(', ')}.`);
  if (p.devices) lines.push(`Devices allowed to run the sanctioned agent: ${p.devices.length}.`);
  return lines.join('\n');
}

const MDE = 'MicrosoftThreatProtection';

/** Every rule for a profile, sorted by slug. */
export function buildRuleSpecs(p: SanctionedProfile): RuleSpec[] {
  const sanctioned = [...sanctionedHostList(p.platform), ...sharedHostList()];
  const agentPaths = PATHS.map((x) => x.value);
  const devices = p.devices ? `\nlet SanctionedDevices = ${list(p.devices)};` : '';
  const deviceCheck = p.devices ? ' and DeviceName in~ (SanctionedDevices)' : '';

  const network: RuleSpec = {
    slug: 'datto-rmm-unsanctioned-platform',
    name: 'Datto RMM traffic outside the sanctioned platform',
    description:
      'Datto RMM agent traffic (MITRE T1219) to a Datto platform other than the sanctioned one, or to the ' +
      'sanctioned platform from a process outside the agent install folders' +
      (p.devices ? ' or from a device not on the sanctioned list' : '') +
      '. Browsers visiting a Datto portal are left out (a Datto binary renamed as a browser is not). Covers the control channel ' +
      '(<platform>cc and numbered cc hosts) and *.rmm.datto.com.\n' +
      profileLines(p),
    severity: 'High',
    tactics: ['CommandAndControl'],
    techniques: ['T1219'],
    tables: ['DeviceNetworkEvents'],
    connector: { connectorId: MDE, dataTypes: ['DeviceNetworkEvents'] },
    queryFrequency: '1h',
    queryPeriod: '1h',
    query: `let DattoDomains = ${list(dattoDomains())};
let AgentCompanies = ${list(COMPANIES.map((c) => c.value))};
let Browsers = ${list(BROWSERS)};
let SanctionedHosts = ${list(sanctioned)};${devices}
DeviceNetworkEvents
| where {{TIME}} > ago({{LOOKBACK}})
| where RemoteUrl has_any (DattoDomains)
| where isempty(InitiatingProcessVersionInfoCompanyName) or InitiatingProcessVersionInfoCompanyName has_any (AgentCompanies)
| where not(InitiatingProcessFileName in~ (Browsers) and isempty(InitiatingProcessVersionInfoCompanyName))
| extend SanctionedHost = RemoteUrl has_any (SanctionedHosts) or RemoteUrl matches regex ${kqlString(numberedCcRegex(p.platform))}
| extend ExpectedPath = ${startsWithAny('InitiatingProcessFolderPath', agentPaths)}
| where not(SanctionedHost and ExpectedPath${deviceCheck})
| summarize FirstSeen = min({{TIME}}), LastSeen = max({{TIME}}), Connections = count(), RemoteUrls = make_set(RemoteUrl, 20) by DeviceName, InitiatingProcessAccountUpn, InitiatingProcessFileName, InitiatingProcessFolderPath, InitiatingProcessSHA256
| extend RemoteUrl = tostring(RemoteUrls[0]), HashAlgorithm = "SHA256"`,
    entityMappings: entities({
      account: 'InitiatingProcessAccountUpn',
      hash: 'InitiatingProcessSHA256',
      url: 'RemoteUrl',
    }),
  };

  const signer: RuleSpec = {
    slug: 'datto-rmm-unexpected-signer-or-path',
    name: 'Datto RMM agent with unexpected signer or path',
    description:
      'A Datto RMM agent process (CagService, AEMAgent, Web Remote, or a binary whose company is Datto or ' +
      'CentraStage) that is not signed by Datto (current signer "Datto, LLC"; older builds "Datto Inc") or ' +
      'runs outside the agent install folders: a renamed, repackaged or planted agent (MITRE T1219, T1036).\n' +
      profileLines(p),
    severity: 'Medium',
    tactics: ['CommandAndControl', 'DefenseEvasion'],
    techniques: ['T1219', 'T1036'],
    tables: ['DeviceProcessEvents', 'DeviceFileCertificateInfo'],
    connector: { connectorId: MDE, dataTypes: ['DeviceFileCertificateInfo', 'DeviceProcessEvents'] },
    queryFrequency: '1d',
    queryPeriod: '14d',
    query: `let DattoSigners = ${list(SIGNERS.map((s) => s.value))};
let AgentFiles = ${list(PROCESSES.map((x) => x.value))};
DeviceProcessEvents
| where {{TIME}} > ago({{LOOKBACK}})
| where FileName in~ (AgentFiles) or ProcessVersionInfoCompanyName has_any ("CentraStage", "Datto")
| join kind=leftouter (
    DeviceFileCertificateInfo
    | where {{TIME}} > ago(14d)
    | summarize arg_max({{TIME}}, Signer) by SHA1
  ) on SHA1
| extend ExpectedSigner = Signer in~ (DattoSigners)
| extend ExpectedPath = ${startsWithAny('FolderPath', agentPaths)}
| where not(ExpectedSigner and ExpectedPath)
| summarize FirstSeen = min({{TIME}}), LastSeen = max({{TIME}}), Runs = count() by DeviceName, AccountUpn, FileName, FolderPath, SHA256, Signer
| extend HashAlgorithm = "SHA256"`,
    entityMappings: entities({ account: 'AccountUpn', hash: 'SHA256' }),
  };

  const sites = p.siteUids.length > 0;
  const installer: RuleSpec = {
    slug: 'datto-rmm-unsanctioned-installer',
    name: 'Unsanctioned Datto RMM agent installer',
    description:
      'A Datto RMM agent installer written to disk from a Datto platform other than the sanctioned one' +
      (sites ? ', or for a site that is not on the sanctioned list' : '') +
      ' (MITRE T1219, T1105).\n' +
      profileLines(p),
    severity: 'Medium',
    tactics: ['CommandAndControl'],
    techniques: ['T1219', 'T1105'],
    tables: ['DeviceFileEvents'],
    connector: { connectorId: MDE, dataTypes: ['DeviceFileEvents'] },
    queryFrequency: '1h',
    queryPeriod: '1h',
    query: `let DattoDomains = ${list(dattoDomains())};
let SanctionedHosts = ${list(sanctioned)};${sites ? `\nlet SanctionedSites = ${list(p.siteUids)};` : ''}
DeviceFileEvents
| where {{TIME}} > ago({{LOOKBACK}})
| where FileOriginUrl has_any (DattoDomains)
| where FileName startswith "AgentSetup" or FileOriginUrl has "downloadAgent"
| where not(FileOriginUrl has_any (SanctionedHosts)${sites ? ' and FileOriginUrl has_any (SanctionedSites)' : ''})
| project {{TIME}}, DeviceName, InitiatingProcessAccountUpn, FileName, FolderPath, SHA256, FileOriginUrl
| extend HashAlgorithm = "SHA256"`,
    entityMappings: entities({
      account: 'InitiatingProcessAccountUpn',
      hash: 'SHA256',
      url: 'FileOriginUrl',
    }),
  };
  const registry: RuleSpec = {
    slug: 'datto-rmm-registry-tampering',
    name: 'Datto RMM registry written by a foreign process',
    description:
      "A write to the Datto RMM agent's registry key (its settings and the user-defined fields " +
      'Custom1-Custom30 that components and vendor integrations fill) by a process that is not the ' +
      'agent, a script the agent started, or an installer: tampering with the agent or with UDF values ' +
      '(MITRE T1112).\n' +
      profileLines(p),
    severity: 'Medium',
    tactics: ['DefenseEvasion'],
    techniques: ['T1112'],
    tables: ['DeviceRegistryEvents'],
    connector: { connectorId: MDE, dataTypes: ['DeviceRegistryEvents'] },
    queryFrequency: '1h',
    queryPeriod: '1h',
    query: `let AgentFiles = ${list(PROCESSES.map((x) => x.value))};
let AgentKeys = ${list(REGISTRY.map((r) => r.value.replace(/^HKEY_LOCAL_MACHINE\\/, '')))};
DeviceRegistryEvents
| where {{TIME}} > ago({{LOOKBACK}})
| where RegistryKey has_any (AgentKeys)
| extend AgentWriter = InitiatingProcessFileName in~ (AgentFiles) and ${startsWithAny('InitiatingProcessFolderPath', agentPaths)}
| extend AgentScript = InitiatingProcessParentFileName in~ (AgentFiles)
| extend Installer = InitiatingProcessFileName startswith "AgentSetup" or InitiatingProcessFileName =~ "msiexec.exe"
| where not(AgentWriter or AgentScript or Installer)
| project {{TIME}}, DeviceName, ActionType, RegistryKey, RegistryValueName, RegistryValueData, InitiatingProcessAccountUpn, InitiatingProcessFileName, InitiatingProcessParentFileName, InitiatingProcessSHA256
| extend HashAlgorithm = "SHA256"`,
    entityMappings: entities({ account: 'InitiatingProcessAccountUpn', hash: 'InitiatingProcessSHA256' }),
  };
  return [network, signer, installer, registry].sort((a, b) => a.slug.localeCompare(b.slug));
}

/** Look-back of hunting queries (Sentinel hunting and Defender): a week, the usual hunting window. */
export const HUNTING_LOOKBACK = '7d';

/**
 * The query of a spec for one flavor: Sentinel's workspace tables use TimeGenerated, Defender's
 * Timestamp; a scheduled rule looks back one query frequency, a hunting query a week.
 */
export function queryFor(
  spec: RuleSpec,
  flavor: 'sentinel' | 'defender',
  use: 'analytic' | 'hunting',
): string {
  return spec.query
    .replaceAll('{{TIME}}', flavor === 'sentinel' ? 'TimeGenerated' : 'Timestamp')
    .replaceAll('{{LOOKBACK}}', use === 'analytic' ? spec.queryFrequency : HUNTING_LOOKBACK);
}
