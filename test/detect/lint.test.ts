// Tests of `detect lint` (lib/detect/lint.ts, lib/detect/sentinel-schema.ts): every problem of rules
// written the old way is found at its line and column; schema checks mirror Sentinel's limits.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { lintRules, RULE_LINT_IDS } from '../../lib/detect/lint.js';
import { checkSentinelRule, durationMinutes } from '../../lib/detect/sentinel-schema.js';
import type { RuleLintFinding } from '../../lib/detect/types.js';

const dir = new URL('fixtures/old-way/', import.meta.url);
const oldWay = readdirSync(dir)
  .sort()
  .map((file) => ({ file, text: readFileSync(new URL(file, dir), 'utf8') }));

const brief = (f: RuleLintFinding) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule}`;

describe('detect lint: rules written the old way', () => {
  const findings = lintRules(oldWay);

  // Positions counted by hand in the fixture files.
  const expected = [
    'datto-network-accountupn.yaml:1:1 warning missing-field', // a hunting query without entityMappings
    'datto-network-accountupn.yaml:6:5 error missing-field', // the connector has no dataTypes
    'datto-network-accountupn.yaml:7:1 error missing-field', // dataTypes at the top level
    'datto-network-accountupn.yaml:9:1 error scalar-not-list', // tactics: CommandAndControl
    'datto-network-accountupn.yaml:10:1 error scalar-not-list', // relevantTechniques: T1219
    'datto-network-accountupn.yaml:12:30 warning no-sanctioned-exclusion', // first Datto host; nothing left out
    'datto-network-accountupn.yaml:12:47 warning missing-control-channel', // first centrastage host, no cc
    'datto-network-accountupn.yaml:19:52 error unknown-column', // AccountUpn on DeviceNetworkEvents
    'datto-network-entities.yaml:7:1 warning data-type-mismatch', // reads DeviceNetworkEvents, declares DeviceFileEvents
    'datto-network-entities.yaml:30:9 error entity-column', // InitiatingProcessAccountUpn was summarized away
    'datto-network-unparsable.yaml:7:1 error yaml-parse', // dataTypes indented under the "-"
    'datto-signer-broken.kql:4:21 error stale-signer', // "Datto Inc" only
    'datto-signer-broken.kql:5:34 error kql-syntax', // the unclosed ( ends at the end of the query
    'datto-signer.yaml:1:1 error duplicate-id', // same id as datto-network-accountupn.yaml
    'datto-signer.yaml:1:1 error missing-field', // no entityMappings in a scheduled rule
    'datto-signer.yaml:14:1 error scalar-not-list', // tactics: CommandAndControl
    'datto-signer.yaml:20:22 error stale-signer', // Signer == "Datto Inc"
  ];

  it('finds exactly the expected problems, at their lines and columns', () => {
    assert.deepEqual(findings.map(brief), expected);
  });

  for (const id of [
    'yaml-parse',
    'kql-syntax',
    'unknown-column',
    'stale-signer',
    'scalar-not-list',
    'missing-field',
  ]) {
    it(`finds ${id} in them`, () => {
      assert.ok(
        findings.some((f) => f.rule === id),
        id,
      );
    });
  }

  it('says what is wrong and what to do', () => {
    const text = findings.map((f) => f.message).join('\n');
    assert.match(text, /'AccountUpn' does not refer to any known column/);
    assert.match(text, /add "Datto, LLC"/);
    assert.match(text, /dataTypes sits at the top level/);
    assert.match(text, /tactics must be a list/);
  });

  it('lists every finding id it can report, each with a summary', () => {
    const ids = RULE_LINT_IDS.map((r) => r.id);
    for (const f of findings) assert.ok(ids.includes(f.rule), f.rule);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('reports Timestamp-only tables in Defender files and TimeGenerated there as unknown', () => {
    const f = lintRules([{ file: 'q.kql', text: 'DeviceNetworkEvents\n| where TimeGenerated > ago(1d)' }]);
    assert.deepEqual(f.map(brief), ['q.kql:2:9 error unknown-column']);
    assert.match(f[0]!.message, /Defender advanced hunting uses Timestamp/);
  });

  it('warns, not fails, on a table it has no column list for', () => {
    const f = lintRules([{ file: 'q.kql', text: 'SigninLogs | where ResultType == 0' }]);
    assert.deepEqual(f.map(brief), ['q.kql:1:1 warning unknown-table']);
  });

  it('accepts a rule that names both signers and the control channel and leaves something out', () => {
    const text =
      'DeviceFileCertificateInfo | where Signer in~ ("Datto, LLC", "Datto Inc") or Signer has "merlotcc.centrastage.net"' +
      ' | where not(DeviceName in~ ("pc-1"))';
    assert.deepEqual(lintRules([{ file: 'ok.kql', text }]), []);
  });
});

describe('detect lint: Sentinel schema checks', () => {
  const good = {
    id: '0b7e6c3a-7d0e-4f5c-9b7a-2f6d1e0c9a11',
    name: 'x',
    description: 'y',
    severity: 'High',
    requiredDataConnectors: [
      { connectorId: 'MicrosoftThreatProtection', dataTypes: ['DeviceNetworkEvents'] },
    ],
    queryFrequency: '1h',
    queryPeriod: '1h',
    triggerOperator: 'gt',
    triggerThreshold: 0,
    tactics: ['CommandAndControl'],
    relevantTechniques: ['T1219'],
    query: 'DeviceNetworkEvents',
    entityMappings: [
      { entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'DeviceName' }] },
    ],
    version: '1.0.0',
    kind: 'Scheduled',
  };

  it('accepts a complete scheduled rule', () => assert.deepEqual(checkSentinelRule(good), []));

  const bad: [string, Record<string, unknown>, RegExp][] = [
    [
      'frequency under 5 minutes',
      { queryFrequency: '4m' },
      /queryFrequency must be a duration from 5m to 14d/,
    ],
    ['period over 14 days', { queryPeriod: '15d' }, /queryPeriod must be a duration from 5m to 14d/],
    ['period shorter than frequency', { queryFrequency: '1d', queryPeriod: '1h' }, /must not be shorter/],
    ['threshold over 10000', { triggerThreshold: 10001 }, /0 to 10000/],
    ['fractional threshold', { triggerThreshold: 0.5 }, /whole number/],
    ['unknown severity', { severity: 'Critical' }, /severity must be one of/],
    ['unknown operator', { triggerOperator: 'ge' }, /triggerOperator must be one of/],
    ['id not a GUID', { id: 'rule-1' }, /id must be a GUID/],
    ['version not semver', { version: '1.0' }, /major.minor.patch/],
    ['unknown kind', { kind: 'Fusion' }, /kind must be one of/],
    ['query not text', { query: ['DeviceNetworkEvents'] }, /query must be KQL text/],
    ['name over 256 characters', { name: 'x'.repeat(257) }, /Sentinel allows 256/],
    ['unknown tactic', { tactics: ['C2'] }, /not a Sentinel tactic/],
    ['technique of another tactic', { relevantTechniques: ['T1036'] }, /T1036 belongs to DefenseEvasion/],
    [
      'sub-technique checked by parent',
      { relevantTechniques: ['T1036.005'] },
      /T1036.005 belongs to DefenseEvasion/,
    ],
    ['bad technique id', { relevantTechniques: ['1219'] }, /not an ATT&CK technique id/],
    [
      'unknown entity type',
      { entityMappings: [{ entityType: 'Laptop', fieldMappings: [] }] },
      /entityType "Laptop"/,
    ],
    [
      'identifier of another entity',
      {
        entityMappings: [{ entityType: 'URL', fieldMappings: [{ identifier: 'HostName', columnName: 'x' }] }],
      },
      /HostName is not an identifier of URL/,
    ],
    [
      'more than 10 entity mappings',
      { entityMappings: Array.from({ length: 11 }, () => good.entityMappings[0]) },
      /11 entity mappings; Sentinel allows 10/,
    ],
    [
      'dataTypes a scalar',
      { requiredDataConnectors: [{ connectorId: 'X', dataTypes: 'DeviceNetworkEvents' }] },
      /dataTypes must be a list/,
    ],
    [
      'connectors a mapping',
      { requiredDataConnectors: { connectorId: 'X' } },
      /requiredDataConnectors must be a list/,
    ],
  ];
  for (const [name, patch, message] of bad) {
    it(`refuses ${name}`, () => {
      const found = checkSentinelRule({ ...good, ...patch }).filter((f) => f.severity === 'error');
      assert.ok(found.length > 0, 'no error');
      assert.match(found.map((f) => f.message).join('\n'), message);
    });
  }

  it('warns when a technique is not in its table instead of passing silently', () => {
    const f = checkSentinelRule({ ...good, relevantTechniques: ['T1486'] });
    assert.deepEqual(
      f.map((x) => [x.severity, x.rule]),
      [['warning', 'bad-value']],
    );
  });

  it('warns about a name over 50 characters (Sentinel content guidelines)', () => {
    const f = checkSentinelRule({ ...good, name: 'x'.repeat(51) });
    assert.deepEqual(
      f.map((x) => [x.severity, x.message]),
      [['warning', "name is 51 characters; Sentinel's content guidelines ask for at most 50"]],
    );
  });

  it('reads Sentinel durations', () => {
    assert.equal(durationMinutes('5m'), 5);
    assert.equal(durationMinutes('2h'), 120);
    assert.equal(durationMinutes('14d'), 20160);
    assert.equal(durationMinutes('1w'), null);
    assert.equal(durationMinutes(60), null);
  });
});
