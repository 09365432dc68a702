// Fleet report formats: terminal summary, JSON, CSV (formula-injection guarded) and one
// self-contained HTML page (inline SVG chart, filterable and sortable table, no network).
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

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c] as string);

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

const SCRIPT = `
(function () {
  var table = document.getElementById('findings');
  var body = table.tBodies[0];
  var filter = document.getElementById('filter');
  var code = document.getElementById('code');
  var count = document.getElementById('shown');
  function apply() {
    var q = filter.value.toLowerCase();
    var c = code.value;
    var n = 0;
    for (var i = 0; i < body.rows.length; i++) {
      var r = body.rows[i];
      var ok = (!c || r.getAttribute('data-code') === c) && (!q || r.textContent.toLowerCase().indexOf(q) >= 0);
      r.hidden = !ok;
      if (ok) n++;
    }
    count.textContent = String(n);
  }
  filter.addEventListener('input', apply);
  code.addEventListener('change', apply);
  var heads = table.tHead.rows[0].cells;
  for (var k = 0; k < heads.length; k++) (function (col) {
    heads[col].addEventListener('click', function () {
      var dir = heads[col].getAttribute('aria-sort') === 'ascending' ? -1 : 1;
      for (var j = 0; j < heads.length; j++) heads[j].removeAttribute('aria-sort');
      heads[col].setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        return dir * a.cells[col].textContent.localeCompare(b.cells[col].textContent);
      });
      for (var m = 0; m < rows.length; m++) body.appendChild(rows[m]);
    });
  })(k);
  apply();
})();
`;

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
  const rows: string[] = [];
  for (const d of result.devices)
    for (const f of d.findings)
      rows.push(
        `<tr data-code="${f.code}"><td>${esc(d.hostname)}</td><td>${esc(d.uid)}</td><td>${esc(d.siteUid)}</td><td><code>${f.code}</code></td><td>${esc(f.message)}</td></tr>`,
      );
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
<span id="shown">${rows.length}</span> of ${rows.length} rows shown.</p>
<table id="findings"><thead><tr><th>Hostname</th><th>UID</th><th>Site</th><th>Code</th><th>Message</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
<script>${SCRIPT}</script>
</body></html>
`;
}
