// Fleet report formats: terminal summary, JSON, CSV (formula-injection guarded) and one
// self-contained HTML page (inline SVG chart, filterable and sortable table, no network).
import { escapeHtml } from '../render/html.js';
import { FINDING_CODES, type FleetResult } from './types.js';
import { INFO_CODES } from './validate.js';

/** The `--json` document: exactly `{summary, devices}`. */
export function fleetJson(result: FleetResult): string {
  return `${JSON.stringify({ summary: result.summary, devices: result.devices }, null, 2)}\n`;
}

/** A cell a spreadsheet would run as a formula gets a leading quote (OWASP CSV injection advice). */
export function guardCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvCell(value: string): string {
  const v = guardCell(value);
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One row per finding: uid, hostname, siteUid, code, message. CRLF line ends (RFC 4180). */
export function fleetCsv(result: FleetResult): string {
  const rows = [['uid', 'hostname', 'siteUid', 'code', 'message'].join(',')];
  for (const d of result.devices)
    for (const f of d.findings)
      rows.push([d.uid, d.hostname, d.siteUid, f.code, f.message].map(csvCell).join(','));
  return `${rows.join('\r\n')}\r\n`;
}

/** The terminal summary: totals, counts per code, the worst sites. */
export function fleetSummaryText(result: FleetResult, worstSites = 5): string {
  const s = result.summary;
  const lines: string[] = [];
  lines.push(`Fleet validation of ${s.profile.product} links in udf${s.profile.slot} (${s.source})`);
  lines.push(
    `  ${s.devices} device${s.devices === 1 ? '' : 's'} checked, ${s.devicesWithFindings} with findings, ${s.findings} finding${s.findings === 1 ? '' : 's'}${s.requests !== undefined ? `, ${s.requests} API requests` : ''}`,
  );
  if (s.duplicates > 0)
    lines.push(
      `  ${s.duplicates} repeated record${s.duplicates === 1 ? '' : 's'} of a device already read skipped`,
    );
  const used = FINDING_CODES.filter((c) => s.counts[c] > 0);
  if (used.length > 0) {
    const width = Math.max(...used.map((c) => c.length));
    lines.push('  Findings:');
    for (const c of used)
      lines.push(
        `    ${c.padEnd(width)}  ${String(s.counts[c]).padStart(7)}${c === 'id-clone' ? ' clusters' : ''}${INFO_CODES.has(c) ? ' (information)' : ''}`,
      );
  }
  const r = s.recompute;
  if (r.verified + r.mismatch + r.notRecomputable > 0)
    lines.push(
      `  ID recomputed from audits: ${r.verified} verified, ${r.mismatch} mismatched, ${r.notRecomputable} not recomputable`,
    );
  const worst = s.sites.filter((x) => x.findings > 0).slice(0, worstSites);
  if (worst.length > 0) {
    lines.push('  Worst sites:');
    for (const x of worst)
      lines.push(
        `    ${(x.siteName || x.siteUid).padEnd(24)}  ${x.findings} findings on ${x.devicesWithFindings} of ${x.devices} devices`,
      );
  }
  return lines.join('\n');
}

const esc = escapeHtml;

/** A horizontal bar chart of findings per site (the 20 worst), as inline SVG. */
function chart(result: FleetResult): string {
  const sites = result.summary.sites.filter((s) => s.findings > 0).slice(0, 20);
  if (sites.length === 0) return '<p>No findings on any site.</p>';
  const max = Math.max(...sites.map((s) => s.findings));
  const row = 22;
  const labelW = 220;
  const barW = 480;
  const h = sites.length * row + 10;
  const bars = sites
    .map((s, i) => {
      const w = Math.max(2, Math.round((s.findings / max) * barW));
      const y = i * row + 5;
      const name = esc(s.siteName || s.siteUid);
      return `<g><title>${name}: ${s.findings} findings</title><text x="${labelW - 6}" y="${y + 14}" text-anchor="end">${name}</text><rect x="${labelW}" y="${y + 2}" width="${w}" height="${row - 6}" fill="#c0392b"></rect><text x="${labelW + w + 6}" y="${y + 14}">${s.findings}</text></g>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Findings per site" width="${labelW + barW + 60}" height="${h}" font-family="sans-serif" font-size="12">${bars}</svg>`;
}

/** Rows of the findings table on one page: the table stays light at any fleet size. */
export const HTML_PAGE_ROWS = 250;

/**
 * The table's script. The rows live in a JSON block (`#rows`: messages and codes stored once, rows
 * as small arrays) and only one page of them is in the DOM at a time, so a 100,000-device report
 * opens, filters and sorts in a moment; a table of 100,000 DOM rows took over a minute to open.
 * Filter and sort work on all rows; the page starts again at 1 after each.
 */
const SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('rows').textContent);
  var rows = data.rows, codes = data.codes, messages = data.messages, size = data.page;
  var table = document.getElementById('findings');
  var body = table.tBodies[0];
  var filter = document.getElementById('filter');
  var code = document.getElementById('code');
  var shown = document.getElementById('shown');
  var pageNo = document.getElementById('page');
  var pages = document.getElementById('pages');
  var prev = document.getElementById('prev');
  var next = document.getElementById('next');
  var compare = new Intl.Collator().compare;
  var text = null;
  var view = [];
  var page = 0;
  function cell(r, col) { return col === 3 ? codes[r[3]] : col === 4 ? messages[r[4]] : r[col]; }
  function haystack(i) {
    if (!text) {
      text = new Array(rows.length);
      for (var k = 0; k < rows.length; k++) {
        var r = rows[k];
        text[k] = (r[0] + '\\u0000' + r[1] + '\\u0000' + r[2] + '\\u0000' + codes[r[3]] + '\\u0000' + messages[r[4]]).toLowerCase();
      }
    }
    return text[i];
  }
  var order = null;
  function apply() {
    var q = filter.value.toLowerCase();
    var c = code.value;
    view = [];
    var all = order || rows.map(function (_, i) { return i; });
    for (var k = 0; k < all.length; k++) {
      var i = all[k];
      if (c && codes[rows[i][3]] !== c) continue;
      if (q && haystack(i).indexOf(q) < 0) continue;
      view.push(i);
    }
    shown.textContent = String(view.length);
    page = 0;
    render();
  }
  function render() {
    var last = Math.max(1, Math.ceil(view.length / size));
    if (page >= last) page = last - 1;
    var frag = document.createDocumentFragment();
    for (var k = page * size; k < Math.min(view.length, (page + 1) * size); k++) {
      var r = rows[view[k]];
      var tr = document.createElement('tr');
      tr.setAttribute('data-code', codes[r[3]]);
      for (var col = 0; col < 5; col++) {
        var td = document.createElement('td');
        if (col === 3) {
          var el = document.createElement('code');
          el.textContent = codes[r[3]];
          td.appendChild(el);
        } else td.textContent = cell(r, col);
        tr.appendChild(td);
      }
      frag.appendChild(tr);
    }
    body.replaceChildren(frag);
    pageNo.textContent = String(page + 1);
    pages.textContent = String(last);
    prev.disabled = page === 0;
    next.disabled = page >= last - 1;
  }
  var timer = 0;
  filter.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(apply, rows.length > 20000 ? 150 : 0);
  });
  code.addEventListener('change', apply);
  prev.addEventListener('click', function () { page--; render(); });
  next.addEventListener('click', function () { page++; render(); });
  var heads = table.tHead.rows[0].cells;
  for (var h = 0; h < heads.length; h++) (function (col) {
    heads[col].addEventListener('click', function () {
      var dir = heads[col].getAttribute('aria-sort') === 'ascending' ? -1 : 1;
      for (var j = 0; j < heads.length; j++) heads[j].removeAttribute('aria-sort');
      heads[col].setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
      order = rows.map(function (_, i) { return i; });
      order.sort(function (a, b) { return dir * compare(cell(rows[a], col), cell(rows[b], col)); });
      apply();
    });
  })(h);
  document.getElementById('pager').hidden = false;
  apply();
})();
`;

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` as escapes so no value can
 * close the element or open a comment, and the two JavaScript line terminators escaped too.
 */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** One self-contained HTML page: no external resource, no network. Deterministic for one result. */
export function fleetHtml(result: FleetResult): string {
  const s = result.summary;
  const used = FINDING_CODES.filter((c) => s.counts[c] > 0);
  const counts = used
    .map(
      (c) =>
        `<tr><td><code>${c}</code></td><td class="n">${s.counts[c]}${c === 'id-clone' ? ' clusters' : ''}</td></tr>`,
    )
    .join('');
  // Every finding is a row; a message (often one fixed sentence for thousands of devices) and a
  // code are stored once and referred to by number.
  const codeIndex = new Map<string, number>();
  const messageIndex = new Map<string, number>();
  const codes: string[] = [];
  const messages: string[] = [];
  const rows: [string, string, string, number, number][] = [];
  for (const d of result.devices)
    for (const f of d.findings) {
      let c = codeIndex.get(f.code);
      if (c === undefined) {
        c = codes.push(f.code) - 1;
        codeIndex.set(f.code, c);
      }
      let m = messageIndex.get(f.message);
      if (m === undefined) {
        m = messages.push(f.message) - 1;
        messageIndex.set(f.message, m);
      }
      rows.push([d.hostname, d.uid, d.siteUid, c, m]);
    }
  // The first page is in the HTML itself, so the page shows it without JavaScript too.
  const first = rows
    .slice(0, HTML_PAGE_ROWS)
    .map(
      (r) =>
        `<tr data-code="${codes[r[3]]}"><td>${esc(r[0])}</td><td>${esc(r[1])}</td><td>${esc(r[2])}</td><td><code>${codes[r[3]]}</code></td><td>${esc(messages[r[4]] as string)}</td></tr>`,
    )
    .join('\n');
  const options = used.map((c) => `<option value="${c}">${c}</option>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>Fleet validation: ${esc(s.profile.product)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{cursor:pointer;background:#f3f3f3}td.n{text-align:right}
#findings td:nth-child(5){max-width:48rem}
</style></head><body>
<h1>Fleet validation: ${esc(s.profile.product)} links in udf${s.profile.slot}</h1>
<p id="totals">${s.devices} devices checked, ${s.devicesWithFindings} with findings, ${s.findings} findings. Source: ${esc(s.source)}.</p>
<h2>Findings per code</h2><table id="counts"><tbody>${counts || '<tr><td>none</td></tr>'}</tbody></table>
<h2>Findings per site</h2>${chart(result)}
<h2>Devices</h2>
<p><label>Filter <input id="filter" type="search" placeholder="hostname, UID, site, text"></label>
<label>Code <select id="code"><option value="">all</option>${options}</select></label>
<span id="shown">${rows.length}</span> of ${rows.length} rows match.</p>
<p id="pager" hidden><button id="prev" type="button">Previous</button> page <span id="page">1</span> of <span id="pages">${Math.max(1, Math.ceil(rows.length / HTML_PAGE_ROWS))}</span> (${HTML_PAGE_ROWS} rows a page) <button id="next" type="button">Next</button></p>
<table id="findings"><thead><tr><th>Hostname</th><th>UID</th><th>Site</th><th>Code</th><th>Message</th></tr></thead>
<tbody>${first}</tbody></table>
${rows.length > HTML_PAGE_ROWS ? `<noscript><p>The first ${HTML_PAGE_ROWS} of ${rows.length} rows; the others, the filter and the sort need JavaScript.</p></noscript>\n` : ''}<script type="application/json" id="rows">${scriptJson({ page: HTML_PAGE_ROWS, codes, messages, rows })}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}
