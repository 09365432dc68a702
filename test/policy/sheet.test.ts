// Tests of the build sheets: the Markdown golden file, the UI's five-step order with exact values,
// and the standalone HTML page rendered in headless Chromium (text, no network, print, screenshot).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadPolicyFile } from '../../lib/policy/load.js';
import { renderSheetHtml, renderSheetMarkdown, SHEET_STEPS, sheetModel } from '../../lib/policy/sheet.js';
import { withBrowser } from '../helpers/browser.js';
import { assertGolden } from '../helpers/golden.js';
import { needTools } from '../helpers/tools.js';
import { POLICIES_DIR, smallPolicy } from './helpers.js';

/** The sheet's golden file (test/helpers/golden.ts: a missing one fails; UPDATE_GOLDEN=1 rewrites). */
function golden(name: string, actual: string) {
  assertGolden(join('policy', name), actual);
}

const bright = async () =>
  (await loadPolicyFile(join(POLICIES_DIR, 'bright-antivirus.policies.yaml'))).policies;

describe('policy build sheet', () => {
  it('Markdown of the Bright policy equals the golden file', async () => {
    golden('bright-antivirus-alerts.sheet.md', renderSheetMarkdown(await bright()));
  });

  it('gives every monitor the five steps in the UI order, with the exact values of the policy', async () => {
    const [p] = await bright();
    const s = sheetModel(p!);
    assert.equal(s.monitors.length, 3);
    for (const m of s.monitors)
      assert.deepEqual(
        m.steps.map((x) => x.title),
        [...SHEET_STEPS],
      );
    assert.deepEqual(SHEET_STEPS, ['Trigger', 'Alert', 'Auto resolution', 'Response', 'Ticket']);
    const rows = (k: number, step: number) =>
      Object.fromEntries(s.monitors[k]!.steps[step]!.rows.map(([a, b]) => [a, b]));
    assert.deepEqual(rows(0, 0), {
      'Monitor type': 'Event Log monitor',
      'Log name': 'Application',
      'Event source': 'Bright Antivirus',
      'Event IDs': '26108',
      'Event types': 'Error',
      'Description contains': 'leave empty',
      'Number of events': '1',
      Within: 'no time window',
    });
    assert.deepEqual(rows(0, 1), { Priority: 'High' });
    assert.deepEqual(rows(0, 2), { 'Auto-resolve the alert': 'On', 'Resolve after (minutes)': '60' });
    assert.deepEqual(rows(0, 4), { 'Create a ticket': 'Yes' });
    assert.equal(rows(1, 0)['Run every (minutes)'], '15');
    assert.equal(rows(1, 0)['Variable MaxAgeDays'], '7');
    assert.deepEqual(rows(1, 2), { 'Auto-resolve the alert': 'Off: the alert stays until resolved' });
    assert.deepEqual(rows(2, 0), {
      'Monitor type': 'Process monitor',
      'Process name': 'BvAntiSrv.exe',
      'Alert when the process is': 'stopped',
    });
    assert.deepEqual(s.components, [
      {
        name: 'Bright Antivirus Status [WIN]',
        uid: '6f1c2a0e-5b7d-4c3e-9a41-2d8e7f6b1c35',
        entry: 'components/bright-antivirus-status-win.cpt',
        category: 'monitors',
        usedBy: ['monitor 2 (runs it)'],
      },
    ]);
  });

  it('shows values exactly in Markdown even with pipes and backticks', () => {
    const p = smallPolicy();
    p.name = 'A | B `c`';
    if (p.monitors[0]?.type === 'eventlog') p.monitors[0].source = 'x|y';
    const md = renderSheetMarkdown([p]);
    assert.match(md, /\| Name \| `` A \\\| B `c` `` \|/);
    assert.match(md, /\| Event source \| `x\\\|y` \|/);
  });

  it('warns when the policy holds elements of a later profile that the sheet cannot show', () => {
    const p = smallPolicy();
    p.extras = {
      format: 'rmmkit-pcy/2',
      elements: { 'monitor[0].eventlog': [{ name: 'computerName', attrs: [], text: '*', children: [] }] },
    };
    const md = renderSheetMarkdown([p]);
    assert.match(
      md,
      /\*\*Note:\*\* This policy holds elements rmmkit does not know \(\\<computerName\\> in monitor\\\[0\\\]\.eventlog\)/,
    );
    assert.match(md, /\*\*Note:\*\* The file was written in profile rmmkit-pcy\/2/);
    assert.deepEqual(sheetModel(smallPolicy()).notes, []);
  });

  it('escapes HTML in values and loads nothing from the network', () => {
    const p = smallPolicy();
    const html = renderSheetHtml([p]);
    assert.match(html, /<h1>Build sheet: Small &amp; &lt;simple&gt;<\/h1>/);
    assert.ok(
      !/<script|<link|@import|url\(|src=|https?:\/\/(?!hooks\.example\.com)/i.test(html),
      'no external resource',
    );
    assert.match(html, /default-src 'none'/);
  });

  it('renders in headless Chromium: the steps and values as text, one page per monitor group, prints', async function () {
    needTools(this, 'policy sheet in Chromium', 'chromium');
    const html = renderSheetHtml(await bright());
    await withBrowser(async (browser) => {
      const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
      const requests: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('data:') && r.url() !== 'about:blank') requests.push(r.url());
      });
      await page.setContent(html, { waitUntil: 'load' });
      assert.deepEqual(requests, [], 'the page fetched something');
      assert.equal(await page.title(), 'Build sheet: Bright Antivirus alerts');
      const text = await page.innerText('body');
      for (const needle of [
        'Build sheet: Bright Antivirus alerts',
        'Before you start: components to import first',
        'components/bright-antivirus-status-win.cpt',
        'Monitor 1 of 3: Event Log monitor',
        'Monitor 3 of 3: Process monitor',
        'BvAntiSrv.exe',
      ])
        assert.ok(text.includes(needle), `rendered text lacks ${JSON.stringify(needle)}`);
      // the five steps of monitor 1 appear in the UI order
      const sections = page.locator('section.monitor');
      const steps = [];
      for (let k = 0; k < (await sections.count()); k++)
        steps.push(await sections.nth(k).locator('h3').allInnerTexts());
      assert.equal(steps.length, 3);
      for (const st of steps)
        assert.deepEqual(st, [
          'Step 1: Trigger',
          'Step 2: Alert',
          'Step 3: Auto resolution',
          'Step 4: Response',
          'Step 5: Ticket',
        ]);
      const cells = (await sections.first().locator('tr').allInnerTexts()).map((t) =>
        t
          .trim()
          .split(/\s*\t\s*/)
          .join(' = '),
      );
      assert.ok(cells.includes('Event IDs = 26108'), cells.join('\n'));
      assert.ok(cells.includes('Priority = High'));
      // a full-page screenshot at the viewport's width, taller than one screen
      const shot = await page.screenshot({ fullPage: true });
      assert.equal(shot.readUInt32BE(16), 900, 'screenshot width');
      const height = shot.readUInt32BE(20);
      const docHeight = (await page.evaluate('document.documentElement.scrollHeight')) as number;
      assert.equal(height, docHeight, 'screenshot height is the document height');
      assert.ok(height > 1400, `a three-monitor sheet is long (${height} px)`);
      // prints: a PDF of A4 pages
      const pdf = await page.pdf({ format: 'A4' });
      assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      assert.ok(pages >= 2 && pages <= 8, `${pages} printed pages`);
      await page.close();
    });
  });
});
