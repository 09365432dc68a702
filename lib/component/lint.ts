// Lint of a component: the validation rules of the format spec (§1) and the ComStore submission
// standards (§6). Rules are data (id, severity, summary, check) so the CLI can list them.
import type { Severity } from '../errors.js';
import type { Component } from './types.js';

/** Where a finding points: an archive entry, and a line of it or a key path in resource.xml. */
export interface LintFinding {
  rule: string;
  severity: Severity;
  entry: string;
  line?: number;
  path?: string;
  message: string;
}

export interface LintRule {
  id: string;
  severity: Severity;
  /** Where the rule comes from: the format spec or the ComStore standards. */
  source: 'format' | 'comstore';
  summary: string;
  check: (c: Component, body: BodyView) => Omit<LintFinding, 'rule' | 'severity'>[];
}

/** The body decoded once for the line-based rules. */
export interface BodyView {
  text: string;
  lines: string[];
  bom: boolean;
  /** Lines that are code (comment lines blanked), 1-based through index + 1. */
  code: string[];
}

export const OS_TAG = /\[(WIN|MAC|LIN)\]\s*$/;
export const INSTALL_TYPES = [
  'powershell',
  'unix',
  'batch',
  'vbscript',
  'javascript',
  'python',
  'ruby',
  'groovy',
];
const CATEGORIES = ['applications', 'scripts', 'monitors'];
const INTEGER = /^-?[0-9]+$/;
const XML = 'resource.xml';
const BODY = 'command.bat';

export function viewBody(c: Component): BodyView {
  const b = c.body;
  const bom = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
  const text = Buffer.from(bom ? b.subarray(3) : b).toString('utf8');
  const lines = text.split(/\r?\n|\r/);
  const type = (c.general.installType ?? '').toLowerCase();
  const comment =
    type === 'batch' ? /^\s*(rem\b|::)/i : type === 'vbscript' ? /^\s*(rem\b|')/i : /^\s*(#|\/\/)/;
  // PowerShell block comments <# … #> are blanked too.
  let inBlock = false;
  const code = lines.map((l, k) => {
    if (type === 'powershell') {
      if (inBlock) {
        if (l.includes('#>')) inBlock = false;
        return '';
      }
      if (/^\s*<#/.test(l)) {
        inBlock = !l.includes('#>');
        return '';
      }
    }
    if (k === 0 && l.startsWith('#!')) return '';
    return comment.test(l) ? '' : l;
  });
  return { text, lines, bom, code };
}

const bodyMatches = (v: BodyView, re: RegExp, message: (line: string) => string) =>
  v.code.flatMap((l, k) => (re.test(l) ? [{ entry: BODY, line: k + 1, message: message(l.trim()) }] : []));

/** Parses the PNG header: size and whether it can carry transparency (alpha colour type or tRNS). */
export function inspectPng(
  b: Uint8Array | undefined,
): { ok: false; why: string } | { ok: true; width: number; height: number; transparent: boolean } {
  if (!b || b.length === 0) return { ok: false, why: 'no icon.png' };
  if (b.length === 3 && b[0] === 0x9e && b[1] === 0xe9 && b[2] === 0x65)
    return { ok: false, why: 'icon.png is the 3-byte placeholder Datto writes when no icon was chosen' };
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (b.length < 33 || sig.some((x, k) => b[k] !== x))
    return { ok: false, why: `icon.png is not a PNG (${b.length} bytes)` };
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (String.fromCharCode(...b.subarray(12, 16)) !== 'IHDR')
    return { ok: false, why: 'icon.png has no IHDR chunk' };
  const width = dv.getUint32(16);
  const height = dv.getUint32(20);
  const colorType = b[25]!;
  let transparent = colorType === 4 || colorType === 6;
  let p = 8;
  while (!transparent && p + 8 <= b.length) {
    const len = dv.getUint32(p);
    const type = String.fromCharCode(...b.subarray(p + 4, p + 8));
    if (type === 'tRNS') transparent = true;
    if (type === 'IDAT' || type === 'IEND') break;
    p += 12 + len;
  }
  return { ok: true, width, height, transparent };
}

export const LINT_RULES: readonly LintRule[] = [
  {
    id: 'idx-sequence',
    severity: 'error',
    source: 'format',
    summary: 'variable, option and post-condition idx run 0, 1, 2 … in order',
    check: (c) => {
      const out: Omit<LintFinding, 'rule' | 'severity'>[] = [];
      const seq = (items: { idx: number }[], path: string) =>
        items.forEach((it, k) => {
          if (it.idx !== k)
            out.push({
              entry: XML,
              path: `${path}[${k}]`,
              message: `idx is ${it.idx}; expected ${k} (sequential from 0)`,
            });
        });
      seq(c.variables, 'variables');
      c.variables.forEach((v, k) => {
        seq(v.options, `variables[${k}].options`);
      });
      seq(c.postConditions, 'postConditions');
      return out;
    },
  },
  {
    id: 'variable-name',
    severity: 'error',
    source: 'format',
    summary: 'every variable has a name, unique among the variables',
    check: (c) => {
      const seen = new Map<string, number>();
      return c.variables.flatMap((v, k) => {
        const path = `variables[${k}].name`;
        if (!v.name) return [{ entry: XML, path, message: 'a variable needs a name' }];
        const prev = seen.get(v.name);
        seen.set(v.name, k);
        return prev === undefined
          ? []
          : [
              {
                entry: XML,
                path,
                message: `duplicate variable name ${JSON.stringify(v.name)} (also variables[${prev}])`,
              },
            ];
      });
    },
  },
  {
    id: 'map-options',
    severity: 'error',
    source: 'format',
    summary: 'a map variable has at least one option; other types have none',
    check: (c) =>
      c.variables.flatMap((v, k) => {
        const path = `variables[${k}]`;
        if (v.type === 'map' && v.options.length === 0)
          return [{ entry: XML, path, message: `map variable ${JSON.stringify(v.name)} has no options` }];
        if (v.type !== 'map' && v.options.length > 0)
          return [
            {
              entry: XML,
              path,
              message: `${v.type ?? 'untyped'} variable ${JSON.stringify(v.name)} has options; only map variables may`,
            },
          ];
        return [];
      }),
  },
  {
    id: 'map-default',
    severity: 'error',
    source: 'format',
    summary: 'a map default is empty or the name (label) of one of its options',
    check: (c) =>
      c.variables.flatMap((v, k) => {
        if (v.type !== 'map' || !v.defaultVal) return [];
        if (v.options.some((o) => o.name === v.defaultVal)) return [];
        const byValue = v.options.some((o) => o.value === v.defaultVal);
        return [
          {
            entry: XML,
            path: `variables[${k}].defaultVal`,
            message: `default ${JSON.stringify(v.defaultVal)} is not an option name (${v.options.map((o) => JSON.stringify(o.name ?? '')).join(', ')})${byValue ? '; it is an option value — a map default names the label' : ''}`,
          },
        ];
      }),
  },
  {
    id: 'boolean-default',
    severity: 'error',
    source: 'format',
    summary: 'a boolean default is true, false or empty',
    check: (c) =>
      c.variables.flatMap((v, k) =>
        v.type === 'boolean' && v.defaultVal && v.defaultVal !== 'true' && v.defaultVal !== 'false'
          ? [
              {
                entry: XML,
                path: `variables[${k}].defaultVal`,
                message: `boolean default ${JSON.stringify(v.defaultVal)}; use true, false or empty`,
              },
            ]
          : [],
      ),
  },
  {
    id: 'integer-fields',
    severity: 'error',
    source: 'format',
    summary: 'version, timeout and securityLevel (1..5) are integers',
    check: (c) => {
      const out: Omit<LintFinding, 'rule' | 'severity'>[] = [];
      for (const f of ['version', 'timeout', 'securityLevel'] as const) {
        const v = c.general[f];
        if (v === undefined || v === '')
          out.push({ entry: XML, path: `general.${f}`, message: `${f} is missing; write an integer` });
        else if (!INTEGER.test(v))
          out.push({
            entry: XML,
            path: `general.${f}`,
            message: `${f} is ${JSON.stringify(v)}; write an integer`,
          });
        else if (f === 'securityLevel' && (Number(v) < 1 || Number(v) > 5))
          out.push({ entry: XML, path: `general.${f}`, message: `securityLevel is ${v}; allowed 1..5` });
        else if (f === 'timeout' && Number(v) <= 0)
          out.push({
            entry: XML,
            path: `general.${f}`,
            message: `timeout is ${v}; write a positive number of seconds`,
          });
      }
      return out;
    },
  },
  {
    id: 'general-fields',
    severity: 'error',
    source: 'format',
    summary: 'name, category (applications|scripts|monitors) and installType are present',
    check: (c) => {
      const out: Omit<LintFinding, 'rule' | 'severity'>[] = [];
      if (!c.general.name)
        out.push({ entry: XML, path: 'general.name', message: 'the component has no name' });
      if (!CATEGORIES.includes(c.general.category ?? ''))
        out.push({
          entry: XML,
          path: 'general.category',
          message: `category ${JSON.stringify(c.general.category ?? '')}; allowed ${CATEGORIES.join(', ')}`,
        });
      if (!c.general.installType)
        out.push({ entry: XML, path: 'general.installType', message: 'installType is missing' });
      return out;
    },
  },
  {
    id: 'install-type',
    severity: 'warning',
    source: 'format',
    summary: `installType is a known token (${INSTALL_TYPES.slice(0, 3).join(', ')} seen in exports)`,
    check: (c) => {
      const t = c.general.installType;
      return t && !INSTALL_TYPES.includes(t)
        ? [
            {
              entry: XML,
              path: 'general.installType',
              message: `installType ${JSON.stringify(t)} is not one rmmkit knows (${INSTALL_TYPES.join(', ')})`,
            },
          ]
        : [];
    },
  },
  {
    id: 'post-condition',
    severity: 'warning',
    source: 'format',
    summary: 'post-conditions use the seen tokens: consequence warn, resource stdout|stderr, qualifier found',
    check: (c) =>
      c.postConditions.flatMap((p, k) => {
        const out: Omit<LintFinding, 'rule' | 'severity'>[] = [];
        const path = `postConditions[${k}]`;
        if (p.resource !== 'stdout' && p.resource !== 'stderr')
          out.push({
            entry: XML,
            path: `${path}.resource`,
            message: `resource ${JSON.stringify(p.resource ?? '')}; seen: stdout, stderr`,
          });
        if (p.consequence !== 'warn')
          out.push({
            entry: XML,
            path: `${path}.consequence`,
            message: `consequence ${JSON.stringify(p.consequence ?? '')}; seen: warn`,
          });
        if (p.qualifier !== 'found')
          out.push({
            entry: XML,
            path: `${path}.qualifier`,
            message: `qualifier ${JSON.stringify(p.qualifier ?? '')}; seen: found`,
          });
        if (!p.text)
          out.push({ entry: XML, path: `${path}.text`, message: 'a post-condition needs text to look for' });
        return out;
      }),
  },
  {
    id: 'os-tag',
    severity: 'warning',
    source: 'format',
    summary: 'the name ends with an OS tag: [WIN], [MAC] or [LIN] (also a ComStore standard)',
    check: (c) =>
      c.general.name && !OS_TAG.test(c.general.name)
        ? [
            {
              entry: XML,
              path: 'general.name',
              message: `name ${JSON.stringify(c.general.name)} does not end with [WIN], [MAC] or [LIN]`,
            },
          ]
        : [],
  },
  {
    id: 'body-bom',
    severity: 'warning',
    source: 'format',
    summary: 'the body has no byte-order mark (the agent adds one when it runs the script)',
    check: (_c, b) =>
      b.bom ? [{ entry: BODY, line: 1, message: 'the body starts with a UTF-8 byte-order mark' }] : [],
  },
  {
    id: 'unix-shebang',
    severity: 'warning',
    source: 'format',
    summary: 'a unix body starts with a shebang (#!/bin/sh, #!/bin/bash …)',
    check: (c, b) =>
      c.general.installType === 'unix' && !b.text.startsWith('#!')
        ? [{ entry: BODY, line: 1, message: 'unix body without a shebang on line 1' }]
        : [],
  },
  {
    id: 'batch-shebang',
    severity: 'warning',
    source: 'format',
    summary: 'a batch body does not start with #! (a unix script marked batch?)',
    check: (c, b) =>
      c.general.installType === 'batch' && b.text.startsWith('#!')
        ? [{ entry: BODY, line: 1, message: 'batch body starts with #!; is installType wrong?' }]
        : [],
  },
  {
    id: 'monitor-attachments',
    severity: 'error',
    source: 'format',
    summary: 'a monitor (category monitors) carries no attachments',
    check: (c) =>
      c.general.category === 'monitors'
        ? c.attachments.map((a) => ({
            entry: a.name,
            message: `monitors carry no attachments; remove ${JSON.stringify(a.name)}`,
          }))
        : [],
  },
  {
    id: 'monitor-result',
    severity: 'error',
    source: 'format',
    summary: 'a monitor body prints <-Start Result-> and <-End Result->',
    check: (c, b) => {
      if (c.general.category !== 'monitors') return [];
      return ['<-Start Result->', '<-End Result->']
        .filter((m) => !b.text.includes(m))
        .map((m) => ({ entry: BODY, message: `monitor body never prints ${m}` }));
    },
  },
  {
    id: 'comstore-icon',
    severity: 'warning',
    source: 'comstore',
    summary: 'icon.png is a 48×48 PNG with transparency (alpha channel or tRNS)',
    check: (c) => {
      const p = inspectPng(c.icon);
      if (!p.ok) return [{ entry: 'icon.png', message: p.why }];
      const out: Omit<LintFinding, 'rule' | 'severity'>[] = [];
      if (p.width !== 48 || p.height !== 48)
        out.push({ entry: 'icon.png', message: `icon is ${p.width}×${p.height}; ComStore wants 48×48` });
      if (!p.transparent)
        out.push({
          entry: 'icon.png',
          message: 'icon has no transparency (no alpha channel, no tRNS chunk)',
        });
      return out;
    },
  },
  {
    id: 'comstore-no-reboot',
    severity: 'warning',
    source: 'comstore',
    summary: 'the script never reboots (shutdown /r, Restart-Computer, reboot, shutdown -r …)',
    check: (_c, b) =>
      bodyMatches(
        b,
        /\bshutdown(\.exe)?\s+(.*\s)?[/-][rg]\b|\bRestart-Computer\b|(^|[;&|(]\s*|\bsudo\s+|\bthen\s+|\bdo\s+)(reboot|init\s+6)\b|\bsystemctl\s+reboot\b/i,
        (l) => `reboots: ${l}`,
      ),
  },
  {
    id: 'comstore-non-interactive',
    severity: 'warning',
    source: 'comstore',
    summary: 'the script never prompts (Read-Host, Get-Credential, pause, set /p, read from a terminal)',
    check: (_c, b) =>
      bodyMatches(
        b,
        /\bRead-Host\b|\bGet-Credential\b|\[Console\]::Read(Line|Key)?\b|\$Host\.UI\.Prompt|^\s*@?pause\b|\bset\s+\/p\b|\bchoice(\.exe)?\s|\bread\b[^|;\n]*<\s*\/dev\/tty|\bread\s+(-\w*\s+)*-\w*p\b/i,
        (l) => `waits for input (the job runs hidden and would hang until its timeout): ${l}`,
      ),
  },
  {
    id: 'comstore-stderr',
    severity: 'warning',
    source: 'comstore',
    summary: 'nothing goes to stderr on the success path (Write-Error, >&2, [Console]::Error)',
    check: (_c, b) =>
      bodyMatches(
        b,
        /\bWrite-Error\b|\[Console\]::Error\b|\$host\.ui\.WriteErrorLine|(^|[^0-9])1?>&2\b/i,
        (l) => `writes to stderr; keep it to failure paths: ${l}`,
      ),
  },
];

/** Runs every rule; findings sorted by entry, line, then rule. Never throws on a readable component. */
export function lintComponent(c: Component, rules: readonly LintRule[] = LINT_RULES): LintFinding[] {
  const body = viewBody(c);
  const out: LintFinding[] = [];
  for (const r of rules)
    for (const f of r.check(c, body)) out.push({ rule: r.id, severity: r.severity, ...f });
  const rank = (e: string) => (e === XML ? 0 : e === BODY ? 1 : 2);
  return out.sort(
    (a, b) =>
      rank(a.entry) - rank(b.entry) ||
      a.entry.localeCompare(b.entry) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      a.rule.localeCompare(b.rule),
  );
}
