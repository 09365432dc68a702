// Types of fleet validation: the profile a fleet is checked against, the devices it reads, and
// the findings and summary it reports. Plain data: every report format is built from these.
import type { Recipe } from '../devid/recipes.js';

/** The subset of the normalized integration file (contract of issue 9) that fleet validation reads. */
export interface FleetIntegration {
  vendor: string;
  product: string;
  file?: string;
  link: {
    template: string;
    hosts: string[];
    salt: { kind: 'account' | 'site' | 'none' } | { kind: 'env'; name: string };
    udf: { slot: number; variable?: string; max: number; allowSlot1?: boolean };
    recipe?: unknown;
  };
  datto?: { platform?: string; accountUid?: string; siteUids?: string[] } | undefined;
}

/** The shape of the ID inside a link. DEVID1 is the only recipe today; a recipe may give another. */
export interface IdShape {
  /** Recipe name, e.g. `DEVID1`. */
  name: string;
  /** What a valid ID looks like, for messages: `64 lower-case hex digits`. */
  describe: string;
  /** Anchored pattern a valid ID matches. */
  pattern: RegExp;
  /** Whether rmmkit can recompute the ID from audit data (only DEVID1 today). */
  recomputable: boolean;
}

export type SaltKind = FleetIntegration['link']['salt'];

/** Everything a fleet is checked against, derived once from the integration file. */
export interface FleetProfile {
  vendor: string;
  product: string;
  /** Link template with exactly one `{ID}`. */
  template: string;
  /** The text before and after `{ID}` in the template. */
  prefix: string;
  suffix: string;
  /** Allowed link hosts (normalized `host[:port]`, as the URL parser writes them). */
  hosts: string[];
  /** UDF slot (1-based) the link lives in. */
  slot: number;
  /** Number of UDF slots on this platform (30 by default, up to 300). */
  maxSlots: number;
  /** Longest link a UDF holds (255). */
  maxLength: number;
  salt: SaltKind;
  idShape: IdShape;
  /** A vendor recipe the IDs follow (absent for DEVID1, which has its own recomputation). */
  recipe?: Recipe | undefined;
  /** Account UID from the integration file's `datto` block, used as the account salt. */
  accountUid?: string | undefined;
}

/** Audit data of a device as far as ID recomputation needs it (DeviceAudit of API v2). */
export interface FleetAudit {
  macs: string[];
  biosSerial: string | null;
  /** Not in Datto's API; an export from another tool may carry it. */
  baseboardSerial: string | null;
}

/** One device, normalized from the API or an export. Only what the checks read. */
export interface FleetDevice {
  uid: string;
  hostname: string;
  siteUid: string;
  siteName: string;
  operatingSystem: string;
  /** Raw value of the profile's UDF slot; null when absent. */
  value: string | null;
  audit?: FleetAudit | undefined;
}

/** Stable finding codes; documented in the README with what to do about each. */
export const FINDING_CODES = [
  'udf-empty',
  'udf-foreign',
  'link-not-url',
  'link-scheme',
  'link-host',
  'link-credentials',
  'link-control',
  'link-too-long',
  'id-shape',
  'id-clone',
  'id-mismatch',
  'id-not-recomputable',
  'device-malformed',
  'listing-account-missing',
  'listing-site-missing',
  'listing-site-failed',
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

export interface Finding {
  code: FindingCode;
  message: string;
}

/** One device in a report: listed when it has at least one finding. */
export interface DeviceReport {
  uid: string;
  hostname: string;
  siteUid: string;
  findings: Finding[];
}

export interface SiteSummary {
  siteUid: string;
  siteName: string;
  devices: number;
  devicesWithFindings: number;
  findings: number;
}

export interface FleetSummary {
  source: string;
  profile: {
    vendor: string;
    product: string;
    slot: number;
    template: string;
    hosts: string[];
    idShape: string;
  };
  devices: number;
  /** Records skipped because their UID was already read (overlapping pages, repeated rows). */
  duplicates: number;
  devicesWithFindings: number;
  /** Findings that count against --max-findings (id-clone counts once per cluster). */
  findings: number;
  /** Count per code; id-clone counts clusters; every code is present. */
  counts: Record<FindingCode, number>;
  recompute: { verified: number; mismatch: number; notRecomputable: number; notAudited: number };
  /** Sites ordered worst first (most findings, then name). */
  sites: SiteSummary[];
  /** API runs only: requests sent. */
  requests?: number | undefined;
}

export interface FleetResult {
  summary: FleetSummary;
  /** Devices with findings, ordered by site, hostname, uid. */
  devices: DeviceReport[];
}

/** A finished run: the result, and the validator state the repair plan reads. */
export interface FleetRun {
  result: FleetResult;
  validator: import('./validate.js').FleetValidator;
}
