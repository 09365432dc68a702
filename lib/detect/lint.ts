// `detect lint`: checks Sentinel rule YAML and Defender .kql files for the problems of rules written
// the old way (unparsable YAML, unknown columns, scalars for lists, stale signer names, no cc hosts).
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, Scalar } from 'yaml';
import { analyzeKql, kqlResultColumns, tableColumns } from './kusto.js';
import { checkSentinelRule } from './sentinel-schema.js';
import type { Flavor, RuleLintFinding, RuleLintId } from './types.js';

/** One input of the linter: its name (for messages) and text. */
export interface RuleLintInput {
  file: string;
  text: string;
}

type Pos = { line: number; column: number };

/** Is the file a bare KQL query (Defender advanced hunting) rather than a Sentinel YAML rule? */
export function isKqlFile(file: string): boolean {
  return /\.(kql|csl)$/i.test(file);
}

/**
 * Lints rule files; findings are sorted by file, line, column. Ids must be unique across all inputs.
 * The KQL checks load the Kusto language service (about a second, once).
 */
export function lintRules(inputs: readonly RuleLintInput[]): RuleLintFinding[] {
  const findings: RuleLintFinding[] = [];
  const ids = new Map<string, string>();
  for (const input of inputs) {
    const { findings: own, id, idPos } = lintOne(input);
    findings.push(...own);
    if (id) {
      const first = ids.get(id.toLowerCase());
      if (first)
        findings.push({
          file: input.file,
          rule: 'duplicate-id',
          severity: 'error',
          ...idPos,
          message: `id ${id} is already used by ${first}; every rule needs its own id`,
        });
      else ids.set(id.toLowerCase(), input.file);
    }
  }
  return findings.sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule),
  );
}

function lintOne({ file, text }: RuleLintInput): { findings: RuleLintFinding[]; id?: string; idPos: Pos } {
  const findings: RuleLintFinding[] = [];
  const add = (rule: RuleLintId, severity: 'error' | 'warning', pos: Pos, message: string) =>
    findings.push({ file, rule, severity, line: pos.line, column: pos.column, message });
  const start = { line: 1, column: 1 };

  if (isKqlFile(file)) {
    checkQuery(text, 'defender', (offset) => posInText(text, offset), add);
    return { findings, idPos: start };
  }

  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  for (const e of [...doc.errors, ...doc.warnings]) {
    const lp = lc.linePos(e.pos[0]);
    add(
      'yaml-parse',
      'error',
      { line: lp.line, column: lp.col },
      `YAML does not parse: ${e.message.split('\n')[0]}`,
    );
  }
  if (doc.errors.length > 0 || doc.warnings.length > 0) return { findings, idPos: start };

  const rule = doc.toJS() as unknown;
  for (const f of checkSentinelRule(rule))
    add(f.rule, f.severity, locate(doc.contents, f.path, lc), f.message);
  const r = (rule && typeof rule === 'object' ? rule : {}) as Record<string, unknown>;
  const queryNode = isMap(doc.contents) ? doc.contents.get('query', true) : undefined;
  if (typeof r.query === 'string' && isScalar(queryNode)) {
    const clean = checkQuery(r.query, 'sentinel', (offset) => posInScalar(text, queryNode, offset, lc), add);
    if (clean) checkAgainstQuery(r, r.query, (path) => locate(doc.contents, path, lc), add);
  }
  if (!('entityMappings' in r) && !('kind' in r) && typeof r.query === 'string')
    add(
      'missing-field',
      'warning',
      start,
      'no entityMappings: incidents from this query will carry no host, account, URL or file hash',
    );
  const id = typeof r.id === 'string' ? r.id : undefined;
  return { findings, id, idPos: locate(doc.contents, ['id'], lc) };
}

type Add = (rule: RuleLintId, severity: 'error' | 'warning', pos: Pos, message: string) => void;

/**
 * KQL checks shared by YAML rules and .kql files: syntax, binding, signer names, control-channel
 * hosts, an exclusion of the sanctioned Datto RMM. Returns true when the query parsed and bound.
 */
function checkQuery(query: string, flavor: Flavor, at: (offset: number) => Pos, add: Add): boolean {
  const diagnostics = analyzeKql(query, flavor);
  for (const d of diagnostics) {
    const rule: RuleLintId =
      d.kind === 'syntax'
        ? 'kql-syntax'
        : d.kind === 'unknown-column'
          ? 'unknown-column'
          : d.kind === 'unknown-table'
            ? 'unknown-table'
            : 'kql-semantic';
    // A table rmmkit has no column list for is not an error of the rule: say that binding was skipped.
    const severity = rule === 'unknown-table' ? 'warning' : d.severity;
    const why =
      rule === 'unknown-table'
        ? `${d.message} (rmmkit has no column list for it; its columns were not checked)`
        : rule === 'unknown-column' && flavor === 'defender' && /'TimeGenerated'/.test(d.message)
          ? `${d.message} Defender advanced hunting uses Timestamp.`
          : d.message;
    add(rule, severity, at(d.start), `${d.code}: ${why}`);
  }
  const inc = query.search(/datto\s*,?\s*inc\b/i);
  if (inc >= 0 && !/datto,\s*llc/i.test(query))
    add(
      'stale-signer',
      'error',
      at(inc),
      'matches the signer "Datto Inc" but not "Datto, LLC", the subject of the current Datto RMM agent certificate; add "Datto, LLC"',
    );
  const cs = query.search(/[a-z0-9-]+\.centrastage\.net/i);
  const coversCc = /cc\d*\.centrastage\.net/i.test(query) || /["'@](\.)?centrastage\.net["']/i.test(query);
  if (cs >= 0 && !coversCc)
    add(
      'missing-control-channel',
      'warning',
      at(cs),
      'lists centrastage.net hosts but no control-channel host (<platform>cc.centrastage.net, numbered ccN hosts): match the domain or add them',
    );
  const datto = query.search(/centrastage\.net|rmm\.datto\.com/i);
  if (datto >= 0 && !/\bnot\s*\(|!(has|in|contains|endswith|startswith|~|=)|\bleftanti\b/i.test(query))
    add(
      'no-sanctioned-exclusion',
      'warning',
      at(datto),
      "matches Datto RMM hosts but leaves nothing out, so the MSP's own sanctioned Datto RMM alerts like an attacker's; exclude the sanctioned platform (rmmkit detect build does)",
    );
  return !diagnostics.some((d) => d.severity === 'error');
}

/** Checks that need the bound query: entity columns exist in its result; dataTypes name its tables. */
function checkAgainstQuery(
  rule: Record<string, unknown>,
  query: string,
  at: (path: Array<string | number>) => Pos,
  add: Add,
): void {
  const columns = kqlResultColumns(query, 'sentinel');
  if (columns && Array.isArray(rule.entityMappings)) {
    rule.entityMappings.forEach((m, i) => {
      const fields = (m as { fieldMappings?: unknown })?.fieldMappings;
      if (!Array.isArray(fields)) return;
      fields.forEach((f, j) => {
        const col = (f as { columnName?: unknown })?.columnName;
        if (typeof col === 'string' && !columns.includes(col))
          add(
            'entity-column',
            'error',
            at(['entityMappings', i, 'fieldMappings', j]),
            `columnName ${col} is not a column of the query's result (it has ${columns.join(', ')})`,
          );
      });
    });
  }
  const read = [...tableColumns('sentinel').keys()].filter((t) => new RegExp(`\\b${t}\\b`).test(query));
  const declared = new Set(
    (Array.isArray(rule.requiredDataConnectors) ? rule.requiredDataConnectors : []).flatMap((c) => {
      const types = (c as { dataTypes?: unknown })?.dataTypes;
      return Array.isArray(types) ? types.map(String) : [];
    }),
  );
  if (declared.size === 0) return;
  for (const t of read)
    if (!declared.has(t))
      add(
        'data-type-mismatch',
        'warning',
        at(['requiredDataConnectors']),
        `the query reads ${t} but no requiredDataConnectors entry lists it in dataTypes`,
      );
}

/** The line and column (1-based) of a UTF-16 offset in a text. */
function posInText(text: string, offset: number): Pos {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

/** Maps an offset in a scalar's value to the YAML source: exact for block scalars, close for flow ones. */
function posInScalar(source: string, node: Scalar, offset: number, lc: LineCounter): Pos {
  const [start] = node.range ?? [0];
  const value = String(node.value);
  if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
    const header = lc.linePos(start).line; // the line with `|` or `>`
    const lines = source.split('\n');
    const firstContent = lines.slice(header).find((l) => l.trim() !== '') ?? '';
    const indent = firstContent.length - firstContent.trimStart().length;
    const within = posInText(value, offset);
    return { line: header + within.line, column: indent + within.column };
  }
  const quote = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE ? 1 : 0;
  const lp = lc.linePos(Math.min(start + quote + offset, source.length));
  return { line: lp.line, column: lp.col };
}

/** The position of a key path: the key of the last mapping entry on it, else the node itself. */
function locate(root: unknown, path: ReadonlyArray<string | number>, lc: LineCounter): Pos {
  let node = root as Node | null | undefined;
  let pos: number | undefined = (node as Node | undefined)?.range?.[0];
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === seg);
      if (!pair) break;
      pos = (pair.key as Node).range?.[0] ?? pos;
      node = pair.value as Node;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) break;
      pos = item.range?.[0] ?? pos;
      node = item;
    } else break;
  }
  if (pos === undefined) return { line: 1, column: 1 };
  const lp = lc.linePos(pos);
  return { line: lp.line, column: lp.col };
}

/** Does any finding make the lint fail (exit 1)? */
export function ruleLintFailed(findings: readonly RuleLintFinding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

/** Every finding `detect lint` can report, with its severity and meaning (README and --list-rules). */
export const RULE_LINT_IDS: ReadonlyArray<{
  id: RuleLintId;
  severity: 'error' | 'warning';
  summary: string;
}> = [
  {
    id: 'yaml-parse',
    severity: 'error',
    summary: 'the YAML does not parse (e.g. dataTypes mis-indented under requiredDataConnectors)',
  },
  { id: 'kql-syntax', severity: 'error', summary: 'the query is not valid KQL (Kusto parser)' },
  {
    id: 'unknown-column',
    severity: 'error',
    summary: 'the query names a column the table does not have (e.g. AccountUpn on DeviceNetworkEvents)',
  },
  {
    id: 'unknown-table',
    severity: 'warning',
    summary: 'a table rmmkit has no column list for; its columns were not checked',
  },
  {
    id: 'kql-semantic',
    severity: 'error',
    summary: 'another binding error of the Kusto service (types, functions, arguments)',
  },
  {
    id: 'stale-signer',
    severity: 'error',
    summary: 'matches "Datto Inc" but not "Datto, LLC", the current agent certificate',
  },
  {
    id: 'scalar-not-list',
    severity: 'error',
    summary: 'a single value where Sentinel wants a list (tactics, relevantTechniques, dataTypes …)',
  },
  {
    id: 'missing-field',
    severity: 'error',
    summary: 'a field Sentinel requires is absent or sits at the wrong level',
  },
  {
    id: 'bad-value',
    severity: 'error',
    summary: 'a value out of range: severity, durations, threshold, id, version, tactic/technique, entity',
  },
  { id: 'duplicate-id', severity: 'error', summary: 'two rule files share an id' },
  {
    id: 'missing-control-channel',
    severity: 'warning',
    summary: 'lists centrastage.net hosts but no control-channel (cc) host',
  },
  {
    id: 'no-sanctioned-exclusion',
    severity: 'warning',
    summary: "matches Datto RMM but excludes nothing, so the MSP's own agent alerts like an attacker's",
  },
  {
    id: 'entity-column',
    severity: 'error',
    summary: "an entity mapping names a column the query's result lacks",
  },
  {
    id: 'data-type-mismatch',
    severity: 'warning',
    summary: 'the query reads a table no dataTypes entry lists',
  },
];
