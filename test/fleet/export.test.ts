// Export sources: JSON (array, page, array of pages), JSON Lines and CSV (quotes, commas and
// newlines in fields) give exactly the planted findings; bad files fail naming the file.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readJsonExport } from '../../lib/fleet/export.js';
import { validateExport } from '../../lib/fleet/run.js';
import { sampleFleet } from '../../lib/fleet/sample.js';
import { runCli } from '../helpers/cli.js';
import { actualFindings, expectedFindings, sortedEntries } from './expected.js';
import { ACCOUNT, profile } from './fixtures.js';

describe('fleet exports', () => {
  let dir: string;
  const samples = [...sampleFleet(profile, { devices: 160, sites: 3, salt: ACCOUNT })];
  const withAudit = samples.map((s) => ({ ...s.device, audit: s.audit }));
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rmmkit-fleet-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('a JSON array with audits: every planted finding, audits recomputed, nothing else', async () => {
    const file = write('a.json', JSON.stringify(withAudit, null, 1));
    const { result } = await validateExport(file, profile, { saltValue: ACCOUNT });
    assert.deepEqual(
      sortedEntries(actualFindings(result.devices)),
      sortedEntries(expectedFindings(samples, 'all')),
    );
    assert.equal(result.summary.devices, 160);
    // 160 devices, cycle of 40: 4 of each planted kind; ok-mac ×2 and host-mac verify per cycle.
    assert.equal(result.summary.counts['udf-empty'], 4);
    assert.equal(result.summary.counts['id-clone'], 4);
    assert.equal(result.summary.counts['id-mismatch'], 4);
    assert.equal(result.summary.recompute.verified, 12);
  });

  it('one page object, and an array of pages, read the same devices', async () => {
    const devices = samples.map((s) => s.device);
    const page = write('p.json', JSON.stringify({ pageDetails: { count: 160, nextPageUrl: null }, devices }));
    const pages = write(
      'pp.json',
      JSON.stringify([
        { pageDetails: {}, devices: devices.slice(0, 70) },
        { pageDetails: {}, devices: devices.slice(70) },
      ]),
    );
    const expected = sortedEntries(expectedFindings(samples, 'none'));
    for (const f of [page, pages]) {
      const { result } = await validateExport(f, profile);
      assert.equal(result.summary.devices, 160, f);
      assert.deepEqual(sortedEntries(actualFindings(result.devices)), expected, f);
    }
  });

  it('a device listed twice is one device, not a clone of itself', async () => {
    const twice = [...withAudit.slice(0, 10), withAudit[0], withAudit[5]];
    const file = write('twice.json', JSON.stringify(twice));
    const { result } = await validateExport(file, profile, { saltValue: ACCOUNT });
    assert.equal(result.summary.devices, 10);
    assert.equal(result.summary.duplicates, 2);
    assert.equal(result.summary.counts['id-clone'], 0);
  });

  it('JSON Lines: a line that is not JSON is one malformed device, the rest are read', async () => {
    const lines = withAudit.map((d) => JSON.stringify(d));
    lines.splice(5, 0, '{"uid": "broken", ');
    const file = write('a.jsonl', `${lines.join('\n')}\n\n`);
    const { result } = await validateExport(file, profile);
    assert.equal(result.summary.devices, 161);
    assert.equal(result.summary.counts['device-malformed'], 5);
    const bad = result.devices.find((d) => d.findings.some((f) => /line 6: not JSON/.test(f.message)));
    assert.ok(bad, 'the broken line is reported with its line number');
  });

  it('CSV: quoted fields with commas and newlines, udf columns, audit columns', async () => {
    const header = 'uid,hostname,siteUid,siteName,operatingSystem,udf1,udf5,macAddresses,biosSerial';
    const ok = samples[0];
    const link = (ok?.device.udf as Record<string, string> | undefined)?.udf5;
    const rows = [
      header,
      `dev-a,"HOST, with comma",s1,"Site ""One""",Windows,"x",${link},00:16:3e:00:00:00,SN1`,
      `dev-b,HOST-B,s1,"Site
two lines",Windows,,"Isolated, by
Ransomware",,`,
      'dev-c,HOST-C,s2,S2,Windows,,,,',
    ];
    const file = write('a.csv', `\ufeff${rows.join('\r\n')}\r\n`);
    const { result } = await validateExport(file, profile);
    assert.equal(result.summary.devices, 3);
    assert.deepEqual(sortedEntries(actualFindings(result.devices)), [
      ['dev-a', ['id-not-recomputable']],
      ['dev-b', ['udf-foreign']],
      ['dev-c', ['udf-empty']],
    ]);
    assert.equal(result.devices.find((d) => d.uid === 'dev-a')?.hostname, 'HOST, with comma');
  });

  it('the README commands: udf sample, then udf validate with the HTML report and a plan', async () => {
    const yaml = fileURLToPath(new URL('../../policies/bright-antivirus.yaml', import.meta.url));
    for (const ext of ['json', 'jsonl', 'csv']) {
      const made = await runCli(
        ['udf', 'sample', '--integration', yaml, '--out', `fleet.${ext}`, '--devices', '200'],
        {
          cwd: dir,
        },
      );
      assert.equal(made.code, 0, made.stderr);
      assert.equal(made.stdout, `Wrote 200 devices to fleet.${ext}\n`);
      const r = await runCli(
        [
          'udf',
          'validate',
          '--integration',
          yaml,
          '--input',
          `fleet.${ext}`,
          '--salt-value',
          'demo-account',
          '--html',
          `r-${ext}.html`,
          '--repair-plan',
          `plan-${ext}.json`,
          '--json',
        ],
        { cwd: dir },
      );
      assert.equal(r.code, 1, r.stderr);
      const doc = JSON.parse(r.stdout) as { summary: { devices: number; counts: Record<string, number> } };
      assert.equal(doc.summary.devices, 200);
      // 200 devices, a cycle of 40: 5 of each planted problem (the CSV sample has no malformed rows).
      for (const code of [
        'udf-empty',
        'udf-foreign',
        'link-scheme',
        'link-too-long',
        'id-shape',
        'id-clone',
        'id-mismatch',
      ])
        assert.equal(doc.summary.counts[code], 5, `${ext} ${code}`);
      assert.equal(doc.summary.counts['link-host'], 10);
      assert.equal(doc.summary.counts['device-malformed'], ext === 'csv' ? 0 : 5);
      assert.match(readFileSync(join(dir, `r-${ext}.html`), 'utf8'), /^<!doctype html>/);
      const plan = JSON.parse(readFileSync(join(dir, `plan-${ext}.json`), 'utf8')) as {
        entries: { action: string }[];
      };
      assert.equal(plan.entries.filter((e) => e.action === 'write-udf').length, 10);
    }
    const clean = await runCli(
      ['udf', 'validate', '--integration', yaml, '--input', 'fleet.json', '--max-findings', '1000'],
      { cwd: dir },
    );
    assert.equal(clean.code, 0);
    assert.match(clean.stdout, /200 devices checked/);
  });

  it('JSON read in batches: elements across 1 MiB chunks and pages among devices read exactly, in order', async () => {
    // Over 2 MiB, so elements span read chunks; pages mixed with devices in one array.
    const pad = 'x'.repeat(600);
    const devices = Array.from({ length: 3000 }, (_, i) => ({
      uid: `u${i}`,
      siteUid: 's',
      note: `${pad}\\"${i}`,
    }));
    const elements: unknown[] = [];
    for (let i = 0; i < devices.length; i += 10)
      if (i % 100 === 0) elements.push({ pageDetails: {}, devices: devices.slice(i, i + 10) });
      else elements.push(...devices.slice(i, i + 10));
    const file = write('big.json', `[\n${elements.map((e) => JSON.stringify(e)).join(' ,\r\n')}\n]`);
    const got: { raw: unknown; where: string }[] = [];
    for await (const batch of readJsonExport(file)) for (const item of batch) got.push(item);
    assert.deepEqual(
      got.map((g) => g.raw),
      devices,
    );
    assert.equal(got[0]?.where, `${file} page 1 device 1`);
    assert.equal(got[10]?.where, `${file} device 1`);
    assert.equal(got[2999]?.where, `${file} device 2700`);
  });

  it('JSON: an invalid element in the middle of a batch is named by its number', async () => {
    const items = Array.from({ length: 300 }, (_, i) => JSON.stringify({ uid: `u${i}`, siteUid: 's' }));
    items[199] = '{"uid": "u199", "siteUid": }';
    const file = write('mid.json', `[${items.join(',')}]`);
    await assert.rejects(async () => {
      for await (const _ of readJsonExport(file));
    }, /mid\.json: invalid JSON: element 200: .*JSON/);
  });

  it('CSV without the slot column, a column beyond the slots, bad JSON, unknown extension: clear errors', async () => {
    const noSlot = write('n.csv', 'uid,siteUid,udf4\r\na,b,c\r\n');
    await assert.rejects(
      validateExport(noSlot, profile),
      /n\.csv: the header has no udf5 column; found: uid, siteUid, udf4/,
    );
    const beyond = write('b.csv', 'uid,siteUid,udf5,udf31\r\na,b,c,d\r\n');
    await assert.rejects(
      validateExport(beyond, profile),
      /column udf31 is beyond the platform's 30 UDF slots/,
    );
    const bad = write('bad.json', '[{"uid": "a", "siteUid": "s", ]');
    await assert.rejects(validateExport(bad, profile), /bad\.json: invalid JSON/);
    const noDevices = write('o.json', '{"pageDetails": {}, "sites": []}');
    await assert.rejects(
      validateExport(noDevices, profile),
      /o\.json: is an object with no device in a "devices" array/,
    );
    const scalar = write('s.json', '42');
    await assert.rejects(validateExport(scalar, profile), /s\.json: starts with "4"/);
    const txt = write('x.txt', '[]');
    await assert.rejects(validateExport(txt, profile), /--format json\|jsonl\|csv/);
    const empty = write('e.csv', '\r\n\r\n');
    await assert.rejects(validateExport(empty, profile), /e\.csv: is empty; expected a header row/);
    const quote = write('q.csv', 'uid,siteUid,udf5\r\na,"b,c\r\n');
    await assert.rejects(validateExport(quote, profile), /q\.csv: invalid CSV: .*quote/i);
    await assert.rejects(
      validateExport(`${quote}.missing.csv`, profile),
      /missing\.csv: cannot read \(ENOENT\)/,
    );
  });

  it('CSV: quoted commas and line breaks, short rows, audit columns and a header-only file', async () => {
    const link = `https://partner.bright-av.web/console/device?id=${'a'.repeat(64)}`;
    const file = write(
      'q.csv',
      [
        'uid,hostname,siteUid,udf5,macAddresses,biosSerial',
        `d1,"PC, one",s1,${link},00:11:22:33:44:55;00:11:22:33:44:66,SN1`,
        'd3,three',
        `d2,"two\r\nlines",s1,"${link}"`,
        '',
      ].join('\r\n'),
    );
    const { result } = await validateExport(file, profile, { saltValue: 'x' });
    assert.equal(result.summary.devices, 3);
    // d3 has no siteUid: malformed, named by its line.
    const d3 = result.devices.find((d) => d.uid === 'd3');
    assert.deepEqual(
      d3?.findings.map((f) => f.code),
      ['device-malformed'],
    );
    assert.match(d3?.findings[0]?.message ?? '', /q\.csv line 3: siteUid: is missing/);
    const d1 = result.devices.find((d) => d.uid === 'd1');
    assert.equal(d1?.hostname, 'PC, one');
    // d1 was audited (its MACs and BIOS serial reached the recomputation); d2 had no audit columns.
    assert.equal(result.summary.recompute.notAudited, 1);
    assert.equal(result.summary.recompute.notRecomputable + result.summary.recompute.mismatch, 1);
    // Records named by the line they start on, counted by hand: quoted line breaks (CRLF, LF,
    // a lone CR) and skipped blank lines before a record move the count.
    const lines = write(
      'l.csv',
      [
        'uid,hostname,siteUid,udf5', // line 1
        'm1,"multi\r\nline\r\nhost",,x', // lines 2-4
        '', // 5 (skipped)
        'm2,h,,y', // 6
        'm3,"a\nb\rc",,z', // 7-9
        'm4,h4,,w', // 10
        '',
      ].join('\r\n'),
    );
    const named = (await validateExport(lines, profile)).result.devices
      .map((d) => [d.uid, /line (\d+):/.exec(d.findings[0]?.message ?? '')?.[1]])
      .sort();
    assert.deepEqual(named, [
      ['m1', '2'],
      ['m2', '6'],
      ['m3', '7'],
      ['m4', '10'],
    ]);
    const only = write('h.csv', 'uid,siteUid,udf5\r\n');
    assert.equal((await validateExport(only, profile)).result.summary.devices, 0);
  });
});
