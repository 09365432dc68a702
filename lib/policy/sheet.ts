// Build sheets: a policy as the steps a person follows in Datto's UI (Trigger, Alert, Auto
// resolution, Response, Ticket), in Markdown or a self-contained HTML page. One model, two renderers.
import type { ComponentVariable } from '../component/types.js';
import { escapeHtml } from '../render/html.js';
import { getField, MONITOR_TYPES } from './monitor-types.js';
import { componentEntries, PCY1, slugify } from './profile.js';
import type { ComponentRef, Monitor, Policy } from './types.js';

export const SHEET_STEPS = ['Trigger', 'Alert', 'Auto resolution', 'Response', 'Ticket'] as const;

export interface SheetStep {
  title: (typeof SHEET_STEPS)[number];
  rows: SheetRow[];
}

/** One line of a step: a label, its value, and whether the value is typed in literally (else an instruction). */
export type SheetRow = [label: string, value: string, literal: boolean];

export interface SheetMonitor {
  heading: string;
  title: string;
  steps: SheetStep[];
}

export interface SheetComponent {
  name: string;
  uid: string;
  /** Where the component file is: the entry inside the .pcy (embedded), or undefined for a reference. */
  entry?: string;
  category?: string;
  usedBy: string[];
}

export interface SheetPolicy {
  name: string;
  /** The .pcy file name the build writes for this policy. */
  file: string;
  settings: SheetRow[];
  components: SheetComponent[];
  monitors: SheetMonitor[];
  /** Warnings for the reader: content of a later profile that this sheet cannot show. */
  notes: string[];
}

function refLabel(r: ComponentRef): string {
  return r.uid ? `${r.name} (UID ${r.uid})` : r.name;
}

function variableValue(def: ComponentVariable | undefined, value: string): string {
  if (def?.type === 'map') {
    const o = def.options.find((x) => x.name === value) ?? def.options.find((x) => x.value === value);
    if (o && o.name !== o.value) return `${o.name} (value ${o.value})`;
  }
  return value === '' ? '(empty)' : value;
}

function triggerRows(m: Monitor): SheetRow[] {
  const row = MONITOR_TYPES.find((r) => r.type === m.type)!;
  const rows: SheetRow[] = [['Monitor type', row.title, false]];
  for (const f of row.fields) {
    const v = getField(m, f.key);
    switch (f.kind) {
      case 'component':
        rows.push([f.label, (v as ComponentRef).name, true]);
        if ((v as ComponentRef).uid)
          rows.push([`${f.label} UID (tells same-named ones apart)`, (v as ComponentRef).uid, true]);
        break;
      case 'variables': {
        const vars = v as { name: string; value: string }[];
        const ref = (m as { component: ComponentRef }).component;
        if (vars.length === 0) rows.push([f.label, "keep the component's defaults", false]);
        for (const x of vars) {
          const def =
            ref.strategy === 'embed' ? ref.component.variables.find((d) => d.name === x.name) : undefined;
          rows.push([`Variable ${x.name}`, variableValue(def, x.value), true]);
        }
        break;
      }
      case 'ints':
      case 'enums':
        rows.push([f.label, (v as unknown[]).join(', '), true]);
        break;
      default:
        if (v === undefined) rows.push([f.label, f.absent ?? 'leave empty', false]);
        else rows.push([f.unit ? `${f.label} (${f.unit})` : f.label, String(v), true]);
    }
  }
  return rows;
}

/** The sheet model of a policy: what both renderers print, in the UI's order. */
export function sheetModel(p: Policy): SheetPolicy {
  const entries = componentEntries(p);
  const components: SheetComponent[] = [];
  const note = (r: ComponentRef, usedBy: string) => {
    const entry = r.strategy === 'embed' ? entries.get(r.component) : undefined;
    const known = components.find((c) => c.name === r.name && c.uid === r.uid && c.entry === entry);
    if (known) known.usedBy.push(usedBy);
    else
      components.push({
        name: r.name,
        uid: r.uid,
        ...(entry ? { entry } : {}),
        ...(r.strategy === 'embed' && r.component.general.category
          ? { category: r.component.general.category }
          : {}),
        usedBy: [usedBy],
      });
  };
  const monitors = p.monitors.map((m, k) => {
    const row = MONITOR_TYPES.find((r) => r.type === m.type)!;
    const heading = `Monitor ${k + 1} of ${p.monitors.length}: ${row.title}`;
    if (m.type === 'component') note(m.component, `monitor ${k + 1} (runs it)`);
    if (m.responses.component) note(m.responses.component, `monitor ${k + 1} (response)`);
    const r = m.responses;
    const steps: SheetStep[] = [
      { title: 'Trigger', rows: triggerRows(m) },
      { title: 'Alert', rows: [['Priority', m.priority, true]] },
      {
        title: 'Auto resolution',
        rows: [
          [
            'Auto-resolve the alert',
            m.autoResolveMins === undefined ? 'Off: the alert stays until resolved' : 'On',
            false,
          ],
          ...(m.autoResolveMins === undefined
            ? []
            : ([['Resolve after (minutes)', String(m.autoResolveMins), true]] as SheetRow[])),
        ],
      },
      {
        title: 'Response',
        rows: [
          r.component ? ['Run a component', refLabel(r.component), true] : ['Run a component', 'none', false],
          r.email.length
            ? ['E-mail recipients', r.email.join(', '), true]
            : ['E-mail recipients', 'none', false],
          r.webhook ? ['Webhook', r.webhook, true] : ['Webhook', 'none', false],
        ],
      },
      { title: 'Ticket', rows: [['Create a ticket', r.ticket ? 'Yes' : 'No', false]] },
    ];
    return { heading, title: row.summary(m), steps };
  });
  const notes: string[] = [];
  const kept = Object.entries(p.extras?.elements ?? {});
  if (kept.length)
    notes.push(
      `This policy holds elements rmmkit does not know (${kept.map(([where, els]) => `${els.map((e) => `<${e.name}>`).join(', ')} in ${where}`).join('; ')}); they are kept in the .pcy but not shown on this sheet: enter them by hand.`,
    );
  if (p.extras?.format)
    notes.push(
      `The file was written in profile ${p.extras.format}; this sheet shows what ${PCY1.format} knows of it.`,
    );
  return {
    name: p.name,
    notes,
    file: `${policyFileStem(p)}.pcy`,
    settings: [
      ['Policy type', 'Monitoring', false],
      ['Name', p.name, true],
      p.description ? ['Description', p.description, true] : ['Description', 'leave empty', false],
      [
        'Scope',
        p.scope === 'global'
          ? 'Global: an account-wide policy, for any site'
          : 'Site: created inside the one site it is for',
        false,
      ],
      ['Enabled', p.enabled ? 'Yes' : 'No', false],
    ],
    components,
    monitors,
  };
}

/** The file stem a build uses for a policy: its slug. */
export function policyFileStem(p: Policy): string {
  return slugify(p.name, 'policy');
}

// ---------------------------------------------------------------- Markdown

/** A value as a Markdown code span that shows it exactly (pipes escaped for tables). */
function mdValue(s: string): string {
  const ticks = (s.match(/`+/g) ?? []).reduce((n, t) => Math.max(n, t.length), 0);
  const fence = '`'.repeat(ticks + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s.replace(/\r?\n/g, ' ').replaceAll('|', '\\|')}${pad}${fence}`;
}
const mdText = (s: string) => s.replace(/([\\`*_[\]<>|#])/g, '\\$1').replace(/\r?\n/g, ' ');

const INTRO =
  'Datto has not published its own .pcy layout, so entering the policy by hand is the import route certain to work today. Follow the steps in order; every value in a box is entered exactly as shown.';

/** The build sheet of one or more policies as Markdown (LF, trailing newline). */
export function renderSheetMarkdown(policies: readonly Policy[]): string {
  const out: string[] = [];
  for (const p of policies) {
    const s = sheetModel(p);
    if (out.length) out.push('');
    out.push(`# Build sheet: ${mdText(s.name)}`, '', INTRO, '');
    out.push(`Policy file: ${mdValue(s.file)} (profile ${PCY1.format}).`, '');
    for (const n of s.notes) out.push(`**Note:** ${mdText(n)}`, '');
    out.push('## Before you start: components to import first', '');
    if (s.components.length === 0) out.push('None: this policy runs no component.');
    s.components.forEach((c, k) => {
      const where = c.entry
        ? `import ${mdValue(c.entry)} (inside ${mdValue(s.file)}; \`rmmkit policy build\` and \`rmmkit build\` also write it beside the .pcy) into the Component Library`
        : 'must already be in the account’s Component Library (it is referenced, not shipped)';
      out.push(
        `${k + 1}. ${mdValue(c.name)}${c.uid ? `, UID ${mdValue(c.uid)}` : ''}${c.category ? `, category ${mdValue(c.category)}` : ''}: ${where}. Used by ${c.usedBy.join(', ')}.`,
      );
    });
    out.push('', '## Create the policy', '', '| Setting | Value |', '| --- | --- |');
    for (const [k, v, lit] of s.settings) out.push(`| ${k} | ${lit ? mdValue(v) : mdText(v)} |`);
    for (const m of s.monitors) {
      out.push('', `## ${mdText(m.heading)}`, '', mdText(m.title));
      m.steps.forEach((st, n) => {
        out.push('', `### Step ${n + 1}: ${st.title}`, '', '| Field | Value |', '| --- | --- |');
        for (const [k, v, lit] of st.rows) out.push(`| ${mdText(k)} | ${lit ? mdValue(v) : mdText(v)} |`);
      });
    }
    out.push(
      '',
      '## After saving',
      '',
      'Set the policy’s targets (sites, device filters or groups) and save; a policy without targets monitors nothing.',
    );
  }
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------- HTML

const esc = escapeHtml;

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 52rem; padding: 1.5rem; color: #1b1f24; background: #fff; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.2rem; margin: 1.8rem 0 .5rem; border-bottom: 2px solid #d0d7de; padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
p.intro { color: #424a53; }
p.note { border-left: 4px solid #bf8700; padding-left: .6rem; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0 .6rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border: 1px solid #d0d7de; }
th { width: 34%; font-weight: 600; background: #f6f8fa; }
td code { font: 14px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; white-space: pre-wrap; overflow-wrap: anywhere; background: #eff2f5; padding: 0 .25rem; border-radius: 3px; }
.step h3::before { content: "\\2610  "; }
section.monitor { page-break-inside: avoid; break-inside: avoid; }
section.policy + section.policy { page-break-before: always; break-before: page; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  td code { background: none; padding: 0; }
  h2 { page-break-after: avoid; break-after: avoid; }
  .step { page-break-inside: avoid; break-inside: avoid; }
}
@page { margin: 15mm; }
`;

/** The build sheet as one standalone HTML page: no scripts, no network, prints cleanly. */
export function renderSheetHtml(policies: readonly Policy[]): string {
  const body: string[] = [];
  const table = (head: [string, string], rows: SheetRow[]) =>
    `<table><thead><tr><th scope="col">${esc(head[0])}</th><th scope="col">${esc(head[1])}</th></tr></thead><tbody>${rows
      .map(
        ([k, v, lit]) =>
          `<tr><th scope="row">${esc(k)}</th><td>${lit ? `<code>${esc(v)}</code>` : esc(v)}</td></tr>`,
      )
      .join('')}</tbody></table>`;
  for (const p of policies) {
    const s = sheetModel(p);
    body.push(`<section class="policy">`);
    body.push(`<h1>Build sheet: ${esc(s.name)}</h1>`, `<p class="intro">${esc(INTRO)}</p>`);
    body.push(`<p>Policy file: <code>${esc(s.file)}</code> (profile ${esc(PCY1.format)}).</p>`);
    for (const n of s.notes) body.push(`<p class="note"><strong>Note:</strong> ${esc(n)}</p>`);
    body.push('<h2>Before you start: components to import first</h2>');
    if (s.components.length === 0) body.push('<p>None: this policy runs no component.</p>');
    else
      body.push(
        `<ol>${s.components
          .map(
            (c) =>
              `<li><code>${esc(c.name)}</code>${c.uid ? `, UID <code>${esc(c.uid)}</code>` : ''}${c.category ? `, category <code>${esc(c.category)}</code>` : ''}: ${
                c.entry
                  ? `import <code>${esc(c.entry)}</code> (inside <code>${esc(s.file)}</code>; <code>rmmkit policy build</code> and <code>rmmkit build</code> also write it beside the .pcy) into the Component Library`
                  : 'must already be in the account’s Component Library (it is referenced, not shipped)'
              }. Used by ${esc(c.usedBy.join(', '))}.</li>`,
          )
          .join('')}</ol>`,
      );
    body.push('<h2>Create the policy</h2>', table(['Setting', 'Value'], s.settings));
    for (const m of s.monitors) {
      body.push(`<section class="monitor"><h2>${esc(m.heading)}</h2><p>${esc(m.title)}</p>`);
      m.steps.forEach((st, n) => {
        body.push(
          `<div class="step"><h3>Step ${n + 1}: ${esc(st.title)}</h3>${table(['Field', 'Value'], st.rows)}</div>`,
        );
      });
      body.push('</section>');
    }
    body.push(
      '<h2>After saving</h2>',
      '<p>Set the policy’s targets (sites, device filters or groups) and save; a policy without targets monitors nothing.</p>',
      '</section>',
    );
  }
  const title = policies.length === 1 ? `Build sheet: ${policies[0]!.name}` : 'Build sheets';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}
