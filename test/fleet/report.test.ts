// Fleet reports: the CSV guard against formula injection, the JSON shape, the terminal summary,
// and the HTML page opened in headless Chromium (no network, filter, sort, visible rows).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  fleetCsv,
  fleetHtml,
  fleetJson,
  fleetSummaryText,
  guardCell,
  HTML_PAGE_ROWS,
} from '../../lib/fleet/report.js';
import { validateExport } from '../../lib/fleet/run.js';
import { sampleFleet } from '../../lib/fleet/sample.js';
import type { FleetResult } from '../../lib/fleet/types.js';
import { withBrowser } from '../helpers/browser.js';
import { needTools } from '../helpers/tools.js';
import { ACCOUNT, profile } from './fixtures.js';

/** The browser's global, for functions that run in the page (types only: erased before they run). */
type PageGlobal = { document: { getElementById(id: string): { textContent: string | null } | null } };

describe('fleet reports', function () {
  this.timeout(60_000);
  let dir: string;
  let result: FleetResult;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rmmkit-fleet-report-'));
    const samples = [...sampleFleet(profile, { devices: 80, sites: 3, salt: ACCOUNT })];
    // One hostile hostname: markup in the page, a formula in the CSV.
    (samples[3] as { device: Record<string, unknown> }).device.hostname =
      '=HYPERLINK("http://x")<script>alert(1)</script>';
    const file = join(dir, 'f.json');
    writeFileSync(file, JSON.stringify(samples.map((s) => s.device)));
    result = (await validateExport(file, profile)).result;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('guards every CSV cell that a spreadsheet would run as a formula', () => {
    for (const [input, out] of [
      ['=1+1', "'=1+1"],
      ['+1', "'+1"],
      ['-1', "'-1"],
      ['@SUM(A1)', "'@SUM(A1)"],
      ['\tx', "'\tx"],
      ['\rx', "'\rx"],
      ['HOST-1', 'HOST-1'],
      ['a=b', 'a=b'],
    ])
      assert.equal(guardCell(input as string), out);
    const csv = fleetCsv(result);
    assert.ok(csv.includes(`"'=HYPERLINK(""http://x"")<script>alert(1)</script>"`), 'quoted and guarded');
    // 80 devices, cycle of 40: 2 empty, 2 foreign … one row per finding; clones list both members.
    const rows = csv.trimEnd().split('\r\n');
    const findingRows = result.devices.reduce((n, d) => n + d.findings.length, 0);
    assert.equal(rows.length, 1 + findingRows);
  });

  it('JSON is exactly {summary, devices}; the summary counts clusters once', () => {
    const doc = JSON.parse(fleetJson(result)) as FleetResult;
    assert.deepEqual(Object.keys(doc), ['summary', 'devices']);
    assert.equal(doc.summary.counts['id-clone'], 2);
    assert.equal(doc.devices.filter((d) => d.findings.some((f) => f.code === 'id-clone')).length, 4);
    assert.equal(doc.summary.counts['udf-empty'], 2);
  });

  it('the terminal summary names counts per code and the worst sites', () => {
    const text = fleetSummaryText(result);
    assert.match(text, /80 devices checked/);
    assert.match(text, /udf-empty\s+2/);
    assert.match(text, /id-clone\s+2 clusters/);
    assert.match(text, /Worst sites:\n {4}Site 00\d/);
  });

  it('the HTML report works offline in Chromium: summary, SVG chart, filter and sort', async function () {
    needTools(this, 'fleet report in Chromium', 'chromium');
    const html = fleetHtml(result);
    assert.ok(!/\b(src|href)=["']?https?:/i.test(html), 'no external resource');
    const file = join(dir, 'report.html');
    writeFileSync(file, html);
    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto(`file://${file}`);
      assert.match((await page.textContent('#totals')) ?? '', /80 devices checked/);
      assert.equal(await page.locator('svg[aria-label="Findings per site"] rect').count(), 3);
      const visible = () => page.locator('#findings tbody tr:visible');
      const total = result.devices.reduce((n, d) => n + d.findings.length, 0);
      assert.equal(await visible().count(), total);
      await page.selectOption('#code', 'udf-foreign');
      assert.equal(await visible().count(), 2);
      assert.deepEqual(await visible().locator('td:nth-child(1)').allTextContents(), [
        'HOST-000007',
        'HOST-000047',
      ]);
      await page.selectOption('#code', '');
      await page.fill('#filter', 'HOST-00003');
      const codes = await visible().locator('td:nth-child(4)').allTextContents();
      // HOST-000030…39: 31 is malformed, 39 a macOS link to the wrong host (the cycle of sample.ts).
      assert.deepEqual([...new Set(codes)].sort(), ['device-malformed', 'link-host']);
      await page.fill('#filter', '');
      await page.click('#findings th:nth-child(1)');
      assert.match((await visible().first().locator('td:nth-child(1)').textContent()) ?? '', /^=HYPERLINK/);
      await page.click('#findings th:nth-child(1)');
      assert.equal(await visible().first().locator('td:nth-child(1)').textContent(), 'HOST-000079');
      assert.equal(await page.textContent('#shown'), String(total));
      // The hostile hostname is text, not markup.
      assert.equal(await page.locator('#findings td', { hasText: '<script>alert(1)</script>' }).count(), 1);
      assert.deepEqual(dialogs, []);
      assert.deepEqual(requests, []);
      const shot = await page.screenshot({ fullPage: true });
      assert.ok(shot.length > 10_000);
    });
  });

  it('the HTML report pages a large table: all rows filtered and sorted, one page in the DOM, safe data', async function () {
    needTools(this, 'fleet report paging in Chromium', 'chromium');
    const samples = [...sampleFleet(profile, { devices: 2400, sites: 4, salt: ACCOUNT })];
    // Values that must stay data: a closing script tag in a hostname, a line separator in a site.
    (samples[3] as { device: Record<string, unknown> }).device.hostname =
      '</script><script>alert(1)</script>';
    (samples[7] as { device: Record<string, unknown> }).device.udf = { udf5: 'Note\u2028<!-- x' };
    const file = join(dir, 'big.json');
    writeFileSync(file, JSON.stringify(samples.map((s) => s.device)));
    const big = (await validateExport(file, profile)).result;
    // Expected from the result itself, not from the page: one row per finding, in report order.
    const all = big.devices.flatMap((d) =>
      d.findings.map((f) => [d.hostname, d.uid, d.siteUid, f.code, f.message] as const),
    );
    assert.ok(all.length > 2 * HTML_PAGE_ROWS, `${all.length} rows`);
    const html = fleetHtml(big);
    assert.equal((html.match(/<script/g) ?? []).length, 2, 'no value opened a script element');
    const page = join(dir, 'big.html');
    writeFileSync(page, html);
    await withBrowser(async (browser) => {
      const tab = await browser.newPage();
      const dialogs: string[] = [];
      tab.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await tab.goto(`file://${page}`);
      const rows = tab.locator('#findings tbody tr');
      // Waits until the page says `n` rows match (the filter applies after a short pause).
      const shownIs = (n: string) =>
        tab.waitForFunction(
          (v) => (globalThis as unknown as PageGlobal).document.getElementById('shown')?.textContent === v,
          n,
        );
      const hosts = () => tab.locator('#findings tbody tr td:nth-child(1)').allTextContents();
      assert.equal(await rows.count(), HTML_PAGE_ROWS);
      assert.equal(await tab.textContent('#shown'), String(all.length));
      assert.equal(await tab.textContent('#pages'), String(Math.ceil(all.length / HTML_PAGE_ROWS)));
      assert.deepEqual(
        await hosts(),
        all.slice(0, HTML_PAGE_ROWS).map((r) => r[0]),
      );
      await tab.click('#next');
      assert.equal(await tab.textContent('#page'), '2');
      assert.deepEqual(
        await hosts(),
        all.slice(HTML_PAGE_ROWS, 2 * HTML_PAGE_ROWS).map((r) => r[0]),
      );
      assert.equal(await tab.isDisabled('#prev'), false);
      // The filter searches every row (not only the page) and starts again at page 1.
      const q = 'host-00006';
      const match = all.filter((r) => r.join('\u0000').toLowerCase().includes(q));
      await tab.fill('#filter', 'HOST-00006');
      await shownIs(String(match.length));
      assert.equal(await tab.textContent('#page'), '1');
      assert.deepEqual(
        await hosts(),
        match.slice(0, HTML_PAGE_ROWS).map((r) => r[0]),
      );
      await tab.fill('#filter', '');
      await shownIs(String(all.length));
      // Sorting orders all rows: the first page starts with the smallest host name of the whole
      // report, the last page ends with the largest (localeCompare, as the page sorts).
      const sorted = all.map((r) => r[0]).sort((a, b) => a.localeCompare(b));
      await tab.click('#findings th:nth-child(1)');
      assert.equal((await hosts())[0], sorted[0]);
      await tab.click('#findings th:nth-child(1)');
      assert.equal((await hosts())[0], sorted[sorted.length - 1]);
      // The hostile values are text: found by the filter, shown as written.
      const having = (t: string) =>
        all.filter((r) => r.join('\u0000').toLowerCase().includes(t.toLowerCase()));
      const script = having('</script>');
      assert.ok(script.length > 0, 'the hostile hostname has a finding');
      await tab.fill('#filter', '</script>');
      await shownIs(String(script.length));
      assert.deepEqual(
        await hosts(),
        script.map((r) => r[0]),
      );
      assert.equal(script[0]?.[0], '</script><script>alert(1)</script>');
      const comment = having('<!-- x');
      assert.ok(comment.length > 0, 'the hostile value is in a finding');
      await tab.fill('#filter', '<!-- x');
      await shownIs(String(comment.length));
      assert.match(
        (await tab.locator('#findings tbody td:nth-child(5)').first().textContent()) ?? '',
        /Note\u2028<!-- x/,
      );
      assert.deepEqual(dialogs, []);
    });
    // Without JavaScript the first page is still there, with a note about the rest.
    await withBrowser(async (browser) => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      const tab = await context.newPage();
      await tab.goto(`file://${page}`);
      assert.equal(await tab.locator('#findings tbody tr').count(), HTML_PAGE_ROWS);
      assert.match(
        (await tab.textContent('body')) ?? '',
        new RegExp(`The first ${HTML_PAGE_ROWS} of ${all.length} rows`),
      );
    });
  });
});
