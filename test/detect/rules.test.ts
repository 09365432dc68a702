// Tests of the emitted rules' logic: each rule's filter runs (lib/detect/evaluate.ts, on the Kusto
// syntax tree) over a true-positive and a benign KQL datatable fixture, row by row, in both flavors.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { datatableSchemas, evaluateKql, kqlHas, readDatatables } from '../../lib/detect/evaluate.js';
import { analyzeKql, tableColumns } from '../../lib/detect/kusto.js';
import { buildRuleSpecs, queryFor } from '../../lib/detect/rules.js';
import type { SanctionedProfile } from '../../lib/detect/types.js';

const fixture = (name: string) => readFileSync(new URL(`fixtures/cases/${name}`, import.meta.url), 'utf8');
const profile: SanctionedProfile = { platform: 'merlot', siteUids: ['0d3a7c2e-1b4f-4c55-9a0e-5b8e2f1c9d77'] };
const NOW = new Date('2026-11-29T10:30:00Z');
const specs = buildRuleSpecs(profile);
const RUNS = [
  ['sentinel', 'analytic'],
  ['defender', 'hunting'],
] as const;

describe('detect: rule logic on fixtures', () => {
  it('has four rules, each with both fixtures', () => {
    assert.deepEqual(
      specs.map((s) => s.slug),
      [
        'datto-rmm-registry-tampering',
        'datto-rmm-unexpected-signer-or-path',
        'datto-rmm-unsanctioned-installer',
        'datto-rmm-unsanctioned-platform',
      ],
    );
  });

  for (const spec of specs) {
    for (const kind of ['alert', 'benign'] as const) {
      const text = fixture(`${spec.slug}.${kind}.kql`);
      const primary = spec.tables[0]!;

      it(`${spec.slug}: the ${kind} fixture uses real columns with their types`, () => {
        const vendored = tableColumns('sentinel');
        for (const [table, cols] of Object.entries(datatableSchemas(text))) {
          const known = new Map(vendored.get(table));
          assert.ok(known.size > 0, `${table} is not a vendored table`);
          for (const [c, t] of cols) assert.equal(known.get(c), t, `${table}.${c}`);
        }
      });

      for (const [flavor, use] of RUNS) {
        it(`${spec.slug}: the ${kind} fixture and the ${flavor} ${use} query bind together`, () => {
          assert.deepEqual(analyzeKql(`${text}\n${queryFor(spec, flavor, use)}`, flavor), []);
        });

        it(`${spec.slug}: every ${kind} row ${kind === 'alert' ? 'alerts' : 'stays quiet'} (${flavor} ${use})`, () => {
          const tables = readDatatables(text);
          const rows = tables[primary]!;
          assert.ok(rows.length >= 2, 'a fixture needs at least two rows');
          for (const row of rows) {
            const kept = evaluateKql(queryFor(spec, flavor, use), { ...tables, [primary]: [row] }, NOW);
            assert.equal(kept.length > 0, kind === 'alert', `${kind} row ${JSON.stringify(row)}`);
          }
        });
      }
    }
  }

  it('with a device list, the sanctioned agent on another device alerts', () => {
    const spec = buildRuleSpecs({ ...profile, devices: ['pc-1'] }).find(
      (s) => s.slug === 'datto-rmm-unsanctioned-platform',
    )!;
    const tables = readDatatables(fixture('datto-rmm-unsanctioned-platform.benign.kql'));
    const rows = tables.DeviceNetworkEvents!;
    const sanctionedAgent = rows.filter((r) => r.RemoteUrl === 'merlotcc.centrastage.net');
    const onPc1 = evaluateKql(
      queryFor(spec, 'sentinel', 'analytic'),
      { DeviceNetworkEvents: sanctionedAgent },
      NOW,
    );
    assert.equal(onPc1.length, 0);
    const elsewhere = sanctionedAgent.map((r) => ({ ...r, DeviceName: 'pc-77' }));
    assert.equal(
      evaluateKql(queryFor(spec, 'sentinel', 'analytic'), { DeviceNetworkEvents: elsewhere }, NOW).length,
      1,
    );
  });

  it('without site UIDs, any installer from the sanctioned platform is quiet', () => {
    const spec = buildRuleSpecs({ platform: 'merlot', siteUids: [] }).find(
      (s) => s.slug === 'datto-rmm-unsanctioned-installer',
    )!;
    const alert = readDatatables(fixture('datto-rmm-unsanctioned-installer.alert.kql')).DeviceFileEvents!;
    const kept = evaluateKql(queryFor(spec, 'sentinel', 'analytic'), { DeviceFileEvents: alert }, NOW);
    assert.deepEqual(
      kept.map((r) => r.DeviceName),
      ['pc-1'],
    );
  });

  it('rows older than the look-back are left out by the analytic rule, kept by the hunting query', () => {
    const spec = specs.find((s) => s.slug === 'datto-rmm-unsanctioned-platform')!;
    const row = readDatatables(fixture('datto-rmm-unsanctioned-platform.alert.kql')).DeviceNetworkEvents![0]!;
    const old = {
      ...row,
      TimeGenerated: new Date('2026-11-27T10:00:00Z'),
      Timestamp: new Date('2026-11-27T10:00:00Z'),
    };
    assert.equal(
      evaluateKql(queryFor(spec, 'sentinel', 'analytic'), { DeviceNetworkEvents: [old] }, NOW).length,
      0,
    );
    assert.equal(
      evaluateKql(queryFor(spec, 'sentinel', 'hunting'), { DeviceNetworkEvents: [old] }, NOW).length,
      1,
    );
  });
});

describe('detect: evaluator operators', () => {
  const cases: [string, string, string, boolean][] = [
    ['whole term', 'merlot-agent.centrastage.net', 'centrastage.net', true],
    ['case-insensitive', 'MERLOT.RMM.DATTO.COM', 'rmm.datto.com', true],
    ['not inside a longer term', 'evilcentrastage.net', 'centrastage.net', false],
    ['not a prefix of a term', 'merlotcc7.centrastage.net', 'merlotcc.centrastage.net', false],
    ['term in a URL', 'https://x.centrastage.net/a?b', 'centrastage.net', true],
    ['empty needle', 'abc', '', false],
  ];
  for (const [name, hay, needle, expected] of cases)
    it(`has: ${name}`, () => assert.equal(kqlHas(hay, needle), expected));

  const T = { T: [{ a: 'Foo.exe', b: '', c: 'x.example.com', n: 3 }] };
  const q: [string, boolean][] = [
    ['T | where a in~ ("foo.exe")', true],
    ['T | where a in ("foo.exe")', false],
    ['T | where a !in~ ("foo.exe")', false],
    ['T | where isempty(b) and isnotempty(a)', true],
    ['T | where c endswith ".EXAMPLE.com"', true],
    ['T | where not(c endswith ".net") and (a has "foo" or n > 5)', true],
    ['T | where c has_any ("nope", "example")', true],
    ['T | where c matches regex @"(?i)^X\\.example"', true],
    ['T | where a =~ "FOO.EXE" and a != "x"', true],
    ['T | extend Z = n > 2 | where Z', true],
  ];
  for (const [query, expected] of q)
    it(`evaluates ${query}`, () => assert.equal(evaluateKql(query, T, NOW).length === 1, expected));

  it('refuses operators it does not implement instead of guessing', () => {
    assert.throws(() => evaluateKql('T | where strlen(a) > 2', T, NOW), /function strlen/);
    assert.throws(() => evaluateKql('T | take 1', T, NOW), /operator TakeOperator/);
  });
});
