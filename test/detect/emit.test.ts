// Tests of the emitters (lib/detect/emit.ts, build.ts): Sentinel YAML shape, deterministic ids,
// both time columns, the sanctioned profile in the queries, and the build's own lint and Kusto bind.
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { buildDetection, profileFromSources, readDattoSection } from '../../lib/detect/build.js';
import { buildDetectionFiles, ruleId } from '../../lib/detect/emit.js';
import { analyzeKql } from '../../lib/detect/kusto.js';
import { lintRules } from '../../lib/detect/lint.js';
import type { SanctionedProfile } from '../../lib/detect/types.js';

const profile: SanctionedProfile = {
  platform: 'merlot',
  accountUid: '7f1d2c3b-aaaa-4bbb-8ccc-123456789abc',
  siteUids: ['0d3a7c2e-1b4f-4c55-9a0e-5b8e2f1c9d77'],
};
const files = buildDetection(profile).files;
const byPath = new Map(files.map((f) => [f.path, f]));
const yamlOf = (path: string) => parse(byPath.get(path)!.text) as Record<string, unknown>;

describe('detect build: emitted files', () => {
  it('writes an analytic rule, a hunting query and a Defender query per rule, and a manifest', () => {
    assert.deepEqual(
      files.map((f) => f.path),
      [
        'defender/datto-rmm-registry-tampering.kql',
        'defender/datto-rmm-unexpected-signer-or-path.kql',
        'defender/datto-rmm-unsanctioned-installer.kql',
        'defender/datto-rmm-unsanctioned-platform.kql',
        'manifest.json',
        'sentinel/analytic-rules/datto-rmm-registry-tampering.yaml',
        'sentinel/analytic-rules/datto-rmm-unexpected-signer-or-path.yaml',
        'sentinel/analytic-rules/datto-rmm-unsanctioned-installer.yaml',
        'sentinel/analytic-rules/datto-rmm-unsanctioned-platform.yaml',
        'sentinel/hunting-queries/datto-rmm-registry-tampering.yaml',
        'sentinel/hunting-queries/datto-rmm-unexpected-signer-or-path.yaml',
        'sentinel/hunting-queries/datto-rmm-unsanctioned-installer.yaml',
        'sentinel/hunting-queries/datto-rmm-unsanctioned-platform.yaml',
      ],
    );
  });

  it('gives ids that are UUIDv5 of the rule name (checked against Python uuid.uuid5)', () => {
    // python3 -c "import uuid; ns=uuid.uuid5(uuid.NAMESPACE_URL,'https://rmmkit.invalid/detect');
    //   print(uuid.uuid5(ns,'analytic:Datto RMM traffic outside the sanctioned platform'))"
    assert.equal(
      ruleId('Datto RMM traffic outside the sanctioned platform', 'analytic'),
      'acecfe5e-fd56-5548-8188-758a249e497c',
    );
    assert.equal(
      yamlOf('sentinel/analytic-rules/datto-rmm-unsanctioned-platform.yaml').id,
      'acecfe5e-fd56-5548-8188-758a249e497c',
    );
    assert.equal(
      yamlOf('sentinel/hunting-queries/datto-rmm-unsanctioned-platform.yaml').id,
      '8bd1dc22-5d76-5a22-83c5-5f2b23775026',
    );
  });

  it('is byte-identical when built twice, and ids do not depend on the profile', () => {
    assert.deepEqual(buildDetectionFiles(profile), buildDetectionFiles(profile));
    const other = buildDetectionFiles({ platform: 'pinotage', siteUids: [] });
    assert.equal(
      (
        other.find((f) => f.path.endsWith('analytic-rules/datto-rmm-unsanctioned-platform.yaml'))!.rule as {
          id: string;
        }
      ).id,
      'acecfe5e-fd56-5548-8188-758a249e497c',
    );
  });

  it('writes the network analytic rule with every field Sentinel wants, lists as lists', () => {
    const r = yamlOf('sentinel/analytic-rules/datto-rmm-unsanctioned-platform.yaml');
    assert.equal(r.kind, 'Scheduled');
    assert.equal(r.severity, 'High');
    assert.equal(r.queryFrequency, '1h');
    assert.equal(r.queryPeriod, '1h');
    assert.equal(r.triggerOperator, 'gt');
    assert.equal(r.triggerThreshold, 0);
    assert.deepEqual(r.tactics, ['CommandAndControl']);
    assert.deepEqual(r.relevantTechniques, ['T1219']);
    assert.deepEqual(r.requiredDataConnectors, [
      { connectorId: 'MicrosoftThreatProtection', dataTypes: ['DeviceNetworkEvents'] },
    ]);
    assert.deepEqual(
      (r.entityMappings as Array<{ entityType: string }>).map((m) => m.entityType),
      ['Host', 'URL', 'Account', 'FileHash'],
    );
    assert.equal(r.version, '1.0.0');
  });

  it('nests dataTypes under the connector in the YAML text itself', () => {
    const text = byPath.get('sentinel/analytic-rules/datto-rmm-unsanctioned-platform.yaml')!.text;
    assert.match(
      text,
      /\nrequiredDataConnectors:\n {2}- connectorId: MicrosoftThreatProtection\n {4}dataTypes:\n {6}- DeviceNetworkEvents\n/,
    );
  });

  it('uses TimeGenerated in Sentinel files and Timestamp in Defender files', () => {
    for (const f of files) {
      if (f.flavor === 'sentinel') {
        const q = String((parse(f.text) as { query: string }).query);
        assert.match(q, /TimeGenerated > ago\(/, f.path);
        assert.doesNotMatch(q, /\bTimestamp\b/, f.path);
      } else if (f.flavor === 'defender') {
        assert.match(f.text, /Timestamp > ago\(7d\)/, f.path);
        assert.doesNotMatch(f.text, /\bTimeGenerated\b/, f.path);
      }
    }
  });

  it('reads the account from InitiatingProcessAccountUpn on DeviceNetworkEvents, never AccountUpn', () => {
    const q = String(yamlOf('sentinel/analytic-rules/datto-rmm-unsanctioned-platform.yaml').query);
    assert.match(q, /InitiatingProcessAccountUpn/);
    assert.doesNotMatch(q, /[^a-zA-Z]AccountUpn/);
  });

  it('names both Datto signers and covers the control channel and rmm.datto.com', () => {
    const all = files.map((f) => f.text).join('\n');
    assert.match(all, /"Datto, LLC"/);
    assert.match(all, /"Datto Inc"/);
    assert.match(all, /"merlotcc\.centrastage\.net"/);
    assert.match(all, /merlotcc\\d\+/);
    assert.match(all, /"rmm\.datto\.com"/);
  });

  it('leaves out only the sanctioned platform', () => {
    const q = String(yamlOf('sentinel/analytic-rules/datto-rmm-unsanctioned-platform.yaml').query);
    assert.match(q, /"merlot-agent-comms\.centrastage\.net"/);
    assert.doesNotMatch(q, /concord|pinotage|vidal|syrah|zinfandel/);
    const q2 = String(
      (
        buildDetectionFiles({ platform: 'vidal', siteUids: [] }).find((f) =>
          f.path.endsWith('analytic-rules/datto-rmm-unsanctioned-platform.yaml'),
        )!.rule as { query: string }
      ).query,
    );
    assert.match(q2, /"vidalcc\.centrastage\.net"/);
    assert.doesNotMatch(q2, /merlot/);
  });

  it('puts the site UIDs in the installer rule and the account UID in the descriptions', () => {
    const r = yamlOf('sentinel/analytic-rules/datto-rmm-unsanctioned-installer.yaml');
    assert.match(
      String(r.query),
      /let SanctionedSites = dynamic\(\["0d3a7c2e-1b4f-4c55-9a0e-5b8e2f1c9d77"\]\);/,
    );
    assert.match(String(r.description), /Sanctioned account UID: 7f1d2c3b-aaaa-4bbb-8ccc-123456789abc/);
  });

  it('passes its own lint and binds every query with the Kusto service (no diagnostics at all)', () => {
    assert.deepEqual(
      lintRules(files.filter((f) => f.flavor).map((f) => ({ file: f.path, text: f.text }))),
      [],
    );
    for (const f of files.filter((x) => x.flavor)) {
      const query = f.flavor === 'sentinel' ? String((parse(f.text) as { query: string }).query) : f.text;
      assert.deepEqual(analyzeKql(query, f.flavor!), [], f.path);
    }
  });

  it('the lint would catch the old mistakes if they crept into an emitted rule', () => {
    const f = byPath.get('sentinel/analytic-rules/datto-rmm-unsanctioned-platform.yaml')!;
    const broken = f.text
      .replaceAll('InitiatingProcessAccountUpn', 'AccountUpn')
      .replace('"Datto, LLC", ', '');
    const signer = byPath.get('sentinel/analytic-rules/datto-rmm-unexpected-signer-or-path.yaml')!;
    const stale = signer.text
      .replace('"Datto, LLC", ', '')
      .replace('  - CommandAndControl\n  - DefenseEvasion', '  - DefenseEvasion');
    const rules = lintRules([
      { file: 'a.yaml', text: broken },
      { file: 'b.yaml', text: stale },
    ]).map((x) => `${x.file} ${x.rule}`);
    assert.ok(rules.includes('a.yaml unknown-column'), rules.join('\n'));
    assert.ok(rules.includes('b.yaml stale-signer'), rules.join('\n'));
    assert.ok(rules.includes('b.yaml bad-value'), rules.join('\n')); // T1219 without CommandAndControl
  });

  it('keeps a profile value out of the query text unless it passed validation', () => {
    assert.throws(
      () => profileFromSources({ platform: 'merlot', siteUids: ['") | take 1 //'] }, {}, 'x'),
      /siteUids\[0\].*is not a Datto site UID/,
    );
  });
});

describe('detect build: profile sources', () => {
  it('reads only the datto section of an integration file', () => {
    const text = 'rmmkit: 1\nvendor: Bright\ncomponents: []\ndatto:\n  platform: Concord\n  siteUids: []\n';
    assert.deepEqual(readDattoSection(text, 'i.yaml'), { platform: 'Concord', siteUids: [] });
    assert.equal(readDattoSection('rmmkit: 1\n', 'i.yaml'), undefined);
    assert.throws(
      () => readDattoSection('a: [1\n', 'i.yaml'),
      /i\.yaml: is not valid YAML at line \d+, column \d+/,
    );
  });

  it('lets flags override the file', () => {
    const p = profileFromSources(
      { platform: 'concord', siteUids: ['0d3a7c2e-1b4f-4c55-9a0e-5b8e2f1c9d77'] },
      { platform: 'merlot', devices: ['PC-1'] },
      'x',
    );
    assert.deepEqual(p, {
      platform: 'merlot',
      siteUids: ['0d3a7c2e-1b4f-4c55-9a0e-5b8e2f1c9d77'],
      devices: ['pc-1'],
    });
  });
});

describe('detect build: strict YAML re-parse', () => {
  it('refuses duplicate keys and names the place', async () => {
    const { parseYamlStrict } = await import('../../lib/detect/emit.js');
    assert.throws(
      () => parseYamlStrict('a: 1\na: 2\n', 'r.yaml'),
      /^RmmkitError: r\.yaml:2:1: Map keys must be unique/,
    );
    assert.deepEqual(parseYamlStrict('a: [1, 2]\n', 'r.yaml'), { a: [1, 2] });
  });
});
