// Types of the detection area: Datto RMM indicators, the sanctioned profile, rules and lint findings.
// Plain data only; the catalogue, emitters and checks live beside this file.

/** Where an indicator comes from and when that source was read (ISO date), so a SOC can re-check it. */
export interface Provenance {
  source: string;
  date: string;
}

/**
 * How a host pattern matches a host name (compared lower-case, without a trailing dot):
 * - `exact`: the host equals `value`;
 * - `suffix`: the host equals `value` or ends with `.value` (a dot-suffix: `x.rmm.datto.com`);
 * - `platform`: `value` holds `<platform>`, replaced by each Datto platform name; `numbered`
 *   also matches the host with decimal digits after the templated label (`merlotcc2`).
 */
export type HostMatch = 'exact' | 'suffix' | 'platform';

export interface HostIndicator extends Provenance {
  kind: 'host';
  value: string;
  match: HostMatch;
  /** Only for `platform`: digits may follow the first label (numbered control-channel hosts). */
  numbered?: boolean;
  /** What the host is for (agent web service, control channel, portal …). */
  role: 'portal' | 'agent' | 'control-channel' | 'update' | 'api' | 'relay';
}

export interface SignerIndicator extends Provenance {
  kind: 'signer';
  /** The certificate subject's organisation as Defender reports it in `Signer`. */
  value: string;
  /** `current` signs today's agent; `legacy` signed older builds (still seen on old installs). */
  status: 'current' | 'legacy';
}

export interface ProcessIndicator extends Provenance {
  kind: 'process';
  value: string;
  os: 'windows' | 'macos' | 'linux';
}

export interface ServiceIndicator extends Provenance {
  kind: 'service';
  value: string;
}

export interface PathIndicator extends Provenance {
  kind: 'path';
  /** Folder prefix with the OS's separator and a trailing one (`C:\ProgramData\CentraStage\`). */
  value: string;
  os: 'windows' | 'macos' | 'linux';
}

export interface RegistryIndicator extends Provenance {
  kind: 'registry';
  value: string;
}

export interface CompanyIndicator extends Provenance {
  kind: 'company';
  /** A `VersionInfoCompanyName` seen on Datto RMM binaries (matched with `has`). */
  value: string;
}

export type Indicator =
  | HostIndicator
  | SignerIndicator
  | ProcessIndicator
  | ServiceIndicator
  | PathIndicator
  | RegistryIndicator
  | CompanyIndicator;

/** The MSP's own Datto RMM: its traffic is expected and left out of the rules. */
export interface SanctionedProfile {
  /** Datto RMM platform name, lower case (merlot, pinotage, concord, vidal, zinfandel, syrah). */
  platform: string;
  /** The Datto account UID (informational in the rules: endpoint telemetry does not carry it). */
  accountUid?: string;
  /** Site UIDs whose agent installers are expected; others alert. */
  siteUids: string[];
  /** When given, only these devices (DeviceName, lower case) may run the sanctioned agent. */
  devices?: string[];
}

/** What the `datto` section of an integration file holds (issue-9 contract), plus `devices`. */
export interface DattoSection {
  platform?: unknown;
  accountUid?: unknown;
  siteUids?: unknown;
  devices?: unknown;
}

export type Flavor = 'sentinel' | 'defender';

/** An entity mapping of a Sentinel analytic rule. */
export interface EntityMapping {
  entityType: 'Host' | 'URL' | 'Account' | 'FileHash' | 'Process' | 'IP';
  fieldMappings: Array<{ identifier: string; columnName: string }>;
}

/** A rule before it is written in any vendor's format. */
export interface RuleSpec {
  /** Stable id, kebab-case: the file name and the seed of the UUIDv5. */
  slug: string;
  name: string;
  description: string;
  severity: 'Informational' | 'Low' | 'Medium' | 'High';
  tactics: string[];
  techniques: string[];
  /** The tables the query reads; each needs a vendored column list. */
  tables: string[];
  /** Sentinel data connector and the data types (tables) it brings. */
  connector: { connectorId: string; dataTypes: string[] };
  /**
   * The query with `{{TIME}}` where the time column goes (TimeGenerated or Timestamp) and
   * `{{LOOKBACK}}` for the look-back of the main table (the query frequency, or a week when hunting).
   */
  query: string;
  entityMappings: EntityMapping[];
  queryFrequency: string;
  queryPeriod: string;
}

/** One finding of `detect lint`; the rule ids are stable, messages may change. */
export type RuleLintId =
  | 'yaml-parse'
  | 'kql-syntax'
  | 'kql-semantic'
  | 'unknown-column'
  | 'unknown-table'
  | 'stale-signer'
  | 'scalar-not-list'
  | 'missing-field'
  | 'bad-value'
  | 'duplicate-id'
  | 'missing-control-channel'
  | 'entity-column'
  | 'data-type-mismatch'
  | 'no-sanctioned-exclusion';

export interface RuleLintFinding {
  file: string;
  rule: RuleLintId;
  severity: 'error' | 'warning';
  /** 1-based; 0 when the finding concerns the file as a whole. */
  line: number;
  column: number;
  message: string;
}
