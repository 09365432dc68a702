// Schema checks of Sentinel rule files, mirroring what Sentinel and its content repository enforce:
// required fields, lists where lists are required, value ranges, tactic/technique consistency.
import type { RuleLintId } from './types.js';

/** A finding at a key path of the rule object (lint turns the path into a line and column). */
export interface SchemaFinding {
  path: Array<string | number>;
  rule: RuleLintId;
  severity: 'error' | 'warning';
  message: string;
}

export const SEVERITIES = ['Informational', 'Low', 'Medium', 'High'] as const;
export const TRIGGER_OPERATORS = ['gt', 'lt', 'eq', 'GreaterThan', 'LessThan', 'Equal'] as const;
export const RULE_KINDS = ['Scheduled', 'NRT'] as const;

/** Sentinel's tactic names (MITRE ATT&CK enterprise and ICS, as Sentinel spells them). */
export const TACTICS = [
  'Reconnaissance',
  'ResourceDevelopment',
  'InitialAccess',
  'Execution',
  'Persistence',
  'PrivilegeEscalation',
  'DefenseEvasion',
  'CredentialAccess',
  'Discovery',
  'LateralMovement',
  'Collection',
  'CommandAndControl',
  'Exfiltration',
  'Impact',
  'ImpairProcessControl',
  'InhibitResponseFunction',
  'PreAttack',
] as const;

/** ATT&CK tactics of the techniques a Datto RMM rule is likely to cite (parents cover sub-techniques). */
export const TECHNIQUE_TACTICS: Readonly<Record<string, readonly string[]>> = {
  T1036: ['DefenseEvasion'],
  T1059: ['Execution'],
  T1071: ['CommandAndControl'],
  T1072: ['Execution', 'LateralMovement'],
  T1078: ['DefenseEvasion', 'Persistence', 'PrivilegeEscalation', 'InitialAccess'],
  T1105: ['CommandAndControl'],
  T1112: ['DefenseEvasion', 'Persistence'],
  T1133: ['Persistence', 'InitialAccess'],
  T1219: ['CommandAndControl'],
  T1543: ['Persistence', 'PrivilegeEscalation'],
  T1553: ['DefenseEvasion'],
  T1569: ['Execution'],
};

/** Entity types and the identifiers Sentinel accepts for each (the subset rules here use). */
export const ENTITY_IDENTIFIERS: Readonly<Record<string, readonly string[]>> = {
  Account: [
    'Name',
    'FullName',
    'NTDomain',
    'DnsDomain',
    'UPNSuffix',
    'Sid',
    'AadTenantId',
    'AadUserId',
    'PUID',
    'IsDomainJoined',
    'DisplayName',
    'ObjectGuid',
  ],
  Host: [
    'DnsDomain',
    'NTDomain',
    'HostName',
    'FullName',
    'NetBiosName',
    'AzureID',
    'OMSAgentID',
    'OSFamily',
    'OSVersion',
    'IsDomainJoined',
  ],
  IP: ['Address'],
  URL: ['Url'],
  FileHash: ['Algorithm', 'Value'],
  File: ['Directory', 'Name'],
  Process: ['ProcessId', 'CommandLine', 'ElevationToken', 'CreationTimeUtc'],
  DNS: ['DomainName'],
  RegistryKey: ['Hive', 'Key'],
  RegistryValue: ['Name', 'Value', 'ValueType'],
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SEMVER = /^\d+\.\d+\.\d+$/;
const TECHNIQUE = /^T\d{4}(\.\d{3})?$/;
const DURATION = /^(\d+)([mhd])$/;

/** Minutes in a Sentinel duration (`5m`, `1h`, `14d`), or null when it is not one. */
export function durationMinutes(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = DURATION.exec(value);
  if (!m) return null;
  return Number(m[1]) * { m: 1, h: 60, d: 1440 }[m[2] as 'm' | 'h' | 'd'];
}

const ANALYTIC_FIELDS = [
  'id',
  'name',
  'description',
  'severity',
  'requiredDataConnectors',
  'queryFrequency',
  'queryPeriod',
  'triggerOperator',
  'triggerThreshold',
  'tactics',
  'relevantTechniques',
  'query',
  'entityMappings',
  'version',
  'kind',
] as const;
const HUNTING_FIELDS = [
  'id',
  'name',
  'description',
  'requiredDataConnectors',
  'tactics',
  'relevantTechniques',
  'query',
] as const;
const LIST_FIELDS = ['requiredDataConnectors', 'tactics', 'relevantTechniques', 'entityMappings'] as const;

/** Is this rule object a scheduled analytic rule (as opposed to a hunting query)? */
export function isAnalyticRule(rule: Record<string, unknown>): boolean {
  return 'kind' in rule || 'queryFrequency' in rule || 'triggerOperator' in rule || 'severity' in rule;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const describe = (v: unknown) =>
  v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : JSON.stringify(v);

/** Every schema problem of one rule object; an empty list when Sentinel would accept it. */
export function checkSentinelRule(rule: unknown): SchemaFinding[] {
  const out: SchemaFinding[] = [];
  const add = (
    path: Array<string | number>,
    rule: RuleLintId,
    message: string,
    severity: 'error' | 'warning' = 'error',
  ) => out.push({ path, rule, severity, message });
  if (!isObject(rule)) {
    add([], 'missing-field', `a rule file must hold a mapping of fields; found ${describe(rule)}`);
    return out;
  }
  const analytic = isAnalyticRule(rule);
  const required = analytic ? ANALYTIC_FIELDS : HUNTING_FIELDS;
  for (const f of required) {
    if (rule[f] === undefined || rule[f] === null || rule[f] === '')
      add(
        [],
        'missing-field',
        `${f} is required in a ${analytic ? 'scheduled analytic rule' : 'hunting query'}`,
      );
  }
  for (const f of LIST_FIELDS) {
    const v = rule[f];
    if (v !== undefined && v !== null && !Array.isArray(v))
      add([f], 'scalar-not-list', `${f} must be a list (one "- item" per line); found ${describe(v)}`);
  }

  if (rule.query !== undefined && rule.query !== null && typeof rule.query !== 'string')
    add(
      ['query'],
      'bad-value',
      `query must be KQL text (use "query: |" and indent the lines); found ${describe(rule.query)}`,
    );
  const str = (f: string) => (typeof rule[f] === 'string' ? (rule[f] as string) : undefined);
  if (rule.id !== undefined && !(typeof rule.id === 'string' && GUID.test(rule.id)))
    add(['id'], 'bad-value', `id must be a GUID; found ${describe(rule.id)}`);
  if (rule.version !== undefined && !(typeof rule.version === 'string' && SEMVER.test(rule.version)))
    add(
      ['version'],
      'bad-value',
      `version must be major.minor.patch (e.g. 1.0.0); found ${describe(rule.version)}`,
    );
  if (rule.severity !== undefined && !SEVERITIES.includes(str('severity') as (typeof SEVERITIES)[number]))
    add(
      ['severity'],
      'bad-value',
      `severity must be one of ${SEVERITIES.join(', ')}; found ${describe(rule.severity)}`,
    );
  if (rule.kind !== undefined && !RULE_KINDS.includes(str('kind') as (typeof RULE_KINDS)[number]))
    add(['kind'], 'bad-value', `kind must be one of ${RULE_KINDS.join(', ')}; found ${describe(rule.kind)}`);
  if (
    rule.triggerOperator !== undefined &&
    !TRIGGER_OPERATORS.includes(str('triggerOperator') as (typeof TRIGGER_OPERATORS)[number])
  )
    add(['triggerOperator'], 'bad-value', `triggerOperator must be one of ${TRIGGER_OPERATORS.join(', ')}`);
  if (rule.triggerThreshold !== undefined) {
    const t = rule.triggerThreshold;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t > 10000)
      add(
        ['triggerThreshold'],
        'bad-value',
        `triggerThreshold must be a whole number from 0 to 10000; found ${describe(t)}`,
      );
  }
  const freq = durationMinutes(rule.queryFrequency);
  const period = durationMinutes(rule.queryPeriod);
  if (rule.queryFrequency !== undefined && (freq === null || freq < 5 || freq > 14 * 1440))
    add(
      ['queryFrequency'],
      'bad-value',
      `queryFrequency must be a duration from 5m to 14d (like 1h); found ${describe(rule.queryFrequency)}`,
    );
  if (rule.queryPeriod !== undefined && (period === null || period < 5 || period > 14 * 1440))
    add(
      ['queryPeriod'],
      'bad-value',
      `queryPeriod must be a duration from 5m to 14d (like 1d); found ${describe(rule.queryPeriod)}`,
    );
  if (freq !== null && period !== null && period < freq)
    add(
      ['queryPeriod'],
      'bad-value',
      `queryPeriod (${rule.queryPeriod}) must not be shorter than queryFrequency (${rule.queryFrequency})`,
    );
  if (typeof rule.name === 'string' && rule.name.length > 256)
    add(['name'], 'bad-value', `name is ${rule.name.length} characters; Sentinel allows 256`);
  else if (typeof rule.name === 'string' && rule.name.length > 50)
    add(
      ['name'],
      'bad-value',
      `name is ${rule.name.length} characters; Sentinel's content guidelines ask for at most 50`,
      'warning',
    );

  // Data connectors: each a mapping with connectorId and a list of dataTypes.
  if (Array.isArray(rule.requiredDataConnectors)) {
    rule.requiredDataConnectors.forEach((c, i) => {
      if (!isObject(c)) {
        add(
          ['requiredDataConnectors', i],
          'missing-field',
          `each data connector must be a mapping with connectorId and dataTypes; found ${describe(c)}`,
        );
        return;
      }
      if (typeof c.connectorId !== 'string' || !c.connectorId)
        add(
          ['requiredDataConnectors', i],
          'missing-field',
          `requiredDataConnectors[${i}].connectorId is required`,
        );
      if (c.dataTypes === undefined || c.dataTypes === null)
        add(
          ['requiredDataConnectors', i],
          'missing-field',
          `requiredDataConnectors[${i}].dataTypes is required (indent it under the connector, beside connectorId)`,
        );
      else if (!Array.isArray(c.dataTypes))
        add(
          ['requiredDataConnectors', i, 'dataTypes'],
          'scalar-not-list',
          `dataTypes must be a list; found ${describe(c.dataTypes)}`,
        );
    });
  }
  if ('dataTypes' in rule)
    add(
      ['dataTypes'],
      'missing-field',
      'dataTypes sits at the top level: it belongs under each requiredDataConnectors entry (mis-indented)',
    );

  // Tactics and techniques: valid names, and every technique under one of the rule's tactics.
  const tactics = Array.isArray(rule.tactics)
    ? rule.tactics
    : typeof rule.tactics === 'string'
      ? [rule.tactics]
      : [];
  const techniques = Array.isArray(rule.relevantTechniques)
    ? rule.relevantTechniques
    : typeof rule.relevantTechniques === 'string'
      ? [rule.relevantTechniques]
      : [];
  tactics.forEach((t, i) => {
    if (!TACTICS.includes(t as (typeof TACTICS)[number]))
      add(
        Array.isArray(rule.tactics) ? ['tactics', i] : ['tactics'],
        'bad-value',
        `${describe(t)} is not a Sentinel tactic (e.g. CommandAndControl)`,
      );
  });
  techniques.forEach((t, i) => {
    const path = Array.isArray(rule.relevantTechniques) ? ['relevantTechniques', i] : ['relevantTechniques'];
    if (typeof t !== 'string' || !TECHNIQUE.test(t)) {
      add(path, 'bad-value', `${describe(t)} is not an ATT&CK technique id (T1234 or T1234.567)`);
      return;
    }
    const known = TECHNIQUE_TACTICS[t] ?? TECHNIQUE_TACTICS[t.slice(0, 5)];
    if (!known) {
      add(
        path,
        'bad-value',
        `${t}: not in rmmkit's technique table, so its tactics were not checked`,
        'warning',
      );
      return;
    }
    if (!known.some((k) => tactics.includes(k)))
      add(
        path,
        'bad-value',
        `${t} belongs to ${known.join(', ')}, none of which is in tactics (${tactics.join(', ') || 'none'})`,
      );
  });

  // Entity mappings: at most 10, known types and identifiers, at most 3 field mappings each.
  if (Array.isArray(rule.entityMappings)) {
    if (rule.entityMappings.length > 10)
      add(
        ['entityMappings'],
        'bad-value',
        `${rule.entityMappings.length} entity mappings; Sentinel allows 10`,
      );
    const seen = new Set<string>();
    rule.entityMappings.forEach((m, i) => {
      if (!isObject(m)) {
        add(
          ['entityMappings', i],
          'missing-field',
          `an entity mapping needs entityType and fieldMappings; found ${describe(m)}`,
        );
        return;
      }
      const type = typeof m.entityType === 'string' ? m.entityType : '';
      const ids = ENTITY_IDENTIFIERS[type];
      if (!ids)
        add(
          ['entityMappings', i],
          'bad-value',
          `entityType ${describe(m.entityType)} is not one of ${Object.keys(ENTITY_IDENTIFIERS).join(', ')}`,
        );
      else if (seen.has(type)) add(['entityMappings', i], 'bad-value', `entityType ${type} is mapped twice`);
      seen.add(type);
      if (!Array.isArray(m.fieldMappings)) {
        add(
          ['entityMappings', i],
          m.fieldMappings === undefined ? 'missing-field' : 'scalar-not-list',
          'fieldMappings must be a list of {identifier, columnName}',
        );
        return;
      }
      if (m.fieldMappings.length > 3)
        add(['entityMappings', i, 'fieldMappings'], 'bad-value', 'at most 3 field mappings per entity');
      m.fieldMappings.forEach((f, j) => {
        if (
          !isObject(f) ||
          typeof f.identifier !== 'string' ||
          typeof f.columnName !== 'string' ||
          !f.columnName
        ) {
          add(
            ['entityMappings', i, 'fieldMappings', j],
            'missing-field',
            'a field mapping needs identifier and columnName',
          );
          return;
        }
        if (ids && !ids.includes(f.identifier))
          add(
            ['entityMappings', i, 'fieldMappings', j, 'identifier'],
            'bad-value',
            `${f.identifier} is not an identifier of ${type} (allowed: ${ids.join(', ')})`,
          );
      });
    });
  }
  return out;
}
