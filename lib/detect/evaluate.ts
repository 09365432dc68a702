// A small KQL evaluator over the Kusto service's syntax tree: runs the filter logic of the emitted
// rules (where, extend, join on one key, summarize arg_max) on `datatable` rows, to test the rules.
import { type KustoNode, parseKql } from './kusto.js';

export type Value = string | number | boolean | Date | null | Value[];
export type Row = Record<string, Value>;
export type Tables = Record<string, Row[]>;

/** Thrown for KQL the evaluator does not implement: the test must say so, not guess. */
export class UnsupportedKql extends Error {}

const kindOf = (n: KustoNode) => (n.constructor.$$name ?? '').replace('Kusto.Language.Syntax.', '');
const isToken = (n: KustoNode) => kindOf(n).startsWith('SyntaxToken');

function kids(n: KustoNode): KustoNode[] {
  const out: KustoNode[] = [];
  for (let i = 0; i < n.ChildCount; i++) {
    const c = n.GetChild(i);
    if (c) out.push(c);
  }
  return out;
}

/** Non-token children, with syntax lists and separated elements flattened away. */
function parts(n: KustoNode): KustoNode[] {
  const out: KustoNode[] = [];
  for (const c of kids(n)) {
    const k = kindOf(c);
    if (isToken(c)) continue;
    if (k.startsWith('SyntaxList') || k.startsWith('SeparatedElement')) out.push(...parts(c));
    else out.push(c);
  }
  return out;
}

function tokenText(n: KustoNode, index = 0): string {
  return kids(n).filter(isToken)[index]?.Text ?? '';
}

function nameOf(n: KustoNode): string {
  return n
    .ToString()
    .trim()
    .replace(/^\[['"](.*)['"]\]$/, '$1');
}

/** A literal's value: strings and numbers as they are; bool/datetime unboxed; timespans in ms. */
function literal(n: KustoNode): Value {
  const v = n.LiteralValue as unknown;
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  const o = v as { $boxed?: boolean; v?: unknown; ticks?: unknown };
  if (o.ticks !== undefined) return Number(String(o.ticks)) / 10_000;
  if (o.$boxed) {
    const text = n.ToString().trim();
    if (/^datetime\(/i.test(text) && typeof o.v === 'string') return new Date(o.v);
    return o.v as Value;
  }
  return Number(String(v));
}

const lower = (v: Value) => (v === null ? '' : String(v)).toLowerCase();
const isWord = (c: string | undefined) => c !== undefined && /[a-z0-9]/i.test(c);

/** KQL `has`: the needle occurs as whole terms (alphanumeric runs), case-insensitively. */
export function kqlHas(haystack: Value, needle: Value): boolean {
  const h = lower(haystack);
  const n = lower(needle);
  if (!n) return false;
  for (let i = h.indexOf(n); i >= 0; i = h.indexOf(n, i + 1)) {
    const before = isWord(n[0]) ? !isWord(h[i - 1]) : true;
    const after = isWord(n[n.length - 1]) ? !isWord(h[i + n.length]) : true;
    if (before && after) return true;
  }
  return false;
}

function compare(a: Value, b: Value): number | null {
  if (a === null || b === null) return null;
  if (a instanceof Date || b instanceof Date) {
    const x = a instanceof Date ? a.getTime() : Date.parse(String(a));
    const y = b instanceof Date ? b.getTime() : Date.parse(String(b));
    return x - y;
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

interface Scope {
  lets: Map<string, Value | Row[]>;
  tables: Tables;
  now: Date;
}

function flatList(n: KustoNode, row: Row, s: Scope): Value[] {
  return parts(n).flatMap((e) => {
    const v = expr(e, row, s);
    return Array.isArray(v) ? v : [v];
  });
}

function truthy(v: Value): boolean {
  return v === true;
}

/** Evaluates a scalar expression for one row. */
function expr(n: KustoNode, row: Row, s: Scope): Value {
  const k = kindOf(n);
  switch (k) {
    case 'LiteralExpression':
      return literal(n);
    case 'ParenthesizedExpression':
      return expr(parts(n)[0]!, row, s);
    case 'NameReference': {
      const name = nameOf(n);
      if (name in row) return row[name] ?? null;
      const bound = s.lets.get(name);
      if (bound !== undefined && !isRows(bound)) return bound;
      return null; // a column the row lacks: KQL would reject it at bind time; rows model absence as null
    }
    case 'DynamicExpression':
    case 'JsonArrayExpression': {
      const inner = parts(n);
      if (k === 'DynamicExpression') return expr(inner[0]!, row, s);
      return inner.map((e) => expr(e, row, s));
    }
    case 'ElementExpression': {
      const [base, index] = parts(n);
      const arr = expr(base!, row, s);
      const i = expr(parts(index!)[0]!, row, s);
      return Array.isArray(arr) && typeof i === 'number' ? (arr[i] ?? null) : null;
    }
    case 'HasAnyExpression': {
      const [left, list] = parts(n);
      const l = expr(left!, row, s);
      return flatList(list!, row, s).some((x) => kqlHas(l, x));
    }
    case 'InExpression': {
      const [left, list] = parts(n);
      const op = tokenText(n).toLowerCase();
      const l = expr(left!, row, s);
      const items = flatList(list!, row, s);
      const insensitive = op.endsWith('~');
      const hit = items.some((x) => (insensitive ? lower(x) === lower(l) : x === l));
      return op.startsWith('!') ? !hit : hit;
    }
    case 'BinaryExpression': {
      const [left, right] = parts(n);
      const op = tokenText(n).toLowerCase().replace(/\s+/g, ' ');
      if (op === 'and') {
        const a = expr(left!, row, s);
        if (a === false) return false;
        const b = expr(right!, row, s);
        return a === true && b === true ? true : b === false ? false : null;
      }
      if (op === 'or') {
        const a = expr(left!, row, s);
        if (a === true) return true;
        const b = expr(right!, row, s);
        return b === true ? true : a === false && b === false ? false : null;
      }
      const a = expr(left!, row, s);
      const b = expr(right!, row, s);
      const negated = op.startsWith('!') && op !== '!=';
      const base = negated ? op.slice(1) : op;
      let r: boolean | null;
      switch (base) {
        case 'has':
          r = kqlHas(a, b);
          break;
        case 'contains':
          r = lower(a).includes(lower(b));
          break;
        case 'startswith':
          r = lower(a).startsWith(lower(b));
          break;
        case 'endswith':
          r = lower(a).endsWith(lower(b));
          break;
        case 'matches regex':
          r = kqlRegex(String(b)).test(a === null ? '' : String(a));
          break;
        case '==':
          r = a === null || b === null ? null : compare(a, b) === 0;
          break;
        case '!=':
          r = a === null || b === null ? null : compare(a, b) !== 0;
          break;
        case '=~':
          r = lower(a) === lower(b);
          break;
        case '!~':
          r = lower(a) !== lower(b);
          break;
        case '>':
        case '<':
        case '>=':
        case '<=': {
          const c = compare(a, b);
          r =
            c === null ? null : base === '>' ? c > 0 : base === '<' ? c < 0 : base === '>=' ? c >= 0 : c <= 0;
          break;
        }
        default:
          throw new UnsupportedKql(`operator ${op}`);
      }
      return negated && r !== null ? !r : r;
    }
    case 'FunctionCallExpression': {
      const [nameNode, argList] = parts(n);
      const fn = nameOf(nameNode!).toLowerCase();
      const args = parts(argList!).map((e) => expr(e, row, s));
      switch (fn) {
        case 'not':
          return args[0] === null || args[0] === undefined ? null : !truthy(args[0]);
        case 'isempty':
          return args[0] === null || args[0] === undefined || args[0] === '';
        case 'isnotempty':
          return !(args[0] === null || args[0] === undefined || args[0] === '');
        case 'ago':
          return new Date(s.now.getTime() - Number(args[0]));
        case 'tolower':
          return lower(args[0] ?? null);
        case 'tostring':
          return args[0] === null || args[0] === undefined ? '' : String(args[0]);
        default:
          throw new UnsupportedKql(`function ${fn}()`);
      }
    }
    default:
      throw new UnsupportedKql(`expression ${k}: ${n.ToString()}`);
  }
}

/** KQL regexes are RE2; a leading (?i) becomes JavaScript's i flag (the rules use no other RE2-only syntax). */
function kqlRegex(pattern: string): RegExp {
  const i = pattern.startsWith('(?i)');
  return new RegExp(i ? pattern.slice(4) : pattern, i ? 'i' : '');
}

function isRows(v: unknown): v is Row[] {
  return (
    Array.isArray(v) &&
    v.every((x) => x !== null && typeof x === 'object' && !(x instanceof Date) && !Array.isArray(x))
  );
}

/** Evaluates a tabular expression: a table name, a datatable, or a pipeline of supported operators. */
function tabular(n: KustoNode, s: Scope): Row[] {
  const k = kindOf(n);
  if (k === 'NameReference') {
    const name = nameOf(n);
    const bound = s.lets.get(name);
    if (bound !== undefined && isRows(bound)) return bound;
    const t = s.tables[name];
    if (!t) throw new UnsupportedKql(`table ${name} has no rows in the fixture`);
    return t;
  }
  if (k === 'ParenthesizedExpression') return tabular(parts(n)[0]!, s);
  if (k === 'DataTableExpression') return datatable(n);
  if (k !== 'PipeExpression') throw new UnsupportedKql(`tabular expression ${k}`);
  const [left, op] = parts(n);
  const rows = tabular(left!, s);
  return applyOperator(op!, rows, s);
}

const STOP = Symbol('stop');

function applyOperator(op: KustoNode, rows: Row[] & { [STOP]?: boolean }, s: Scope): Row[] {
  if (rows[STOP]) return rows; // after an aggregation the filter logic is over
  const k = kindOf(op);
  switch (k) {
    case 'FilterOperator': {
      const predicate = parts(op).at(-1)!;
      return rows.filter((r) => truthy(expr(predicate, r, s)));
    }
    case 'ExtendOperator':
      return rows.map((r) => {
        const out = { ...r };
        for (const e of parts(op)) {
          if (kindOf(e) !== 'SimpleNamedExpression')
            throw new UnsupportedKql(`extend without a name: ${e.ToString()}`);
          const [name, value] = parts(e);
          out[nameOf(name!)] = expr(value!, out, s);
        }
        return out;
      });
    case 'JoinOperator': {
      const ps = parts(op);
      const kindParam = ps.find((p) => kindOf(p) === 'NamedParameter');
      const kind = kindParam ? nameOf(parts(kindParam)[1]!) : 'innerunique';
      const right = tabular(ps.find((p) => kindOf(p) === 'ParenthesizedExpression')!, s);
      const on = ps.find((p) => kindOf(p) === 'JoinOnClause')!;
      const keys = parts(on).map(nameOf);
      if (keys.length !== 1) throw new UnsupportedKql('join on more than one key');
      const key = keys[0]!;
      const out: Row[] = [];
      for (const l of rows) {
        const matches = right.filter((r) => r[key] !== null && r[key] === l[key]);
        if (matches.length === 0 && kind === 'leftouter') out.push({ ...l });
        for (const m of matches) {
          const merged: Row = { ...l };
          for (const [c, v] of Object.entries(m)) merged[c in l ? `${c}1` : c] = v;
          out.push(merged);
        }
      }
      return out;
    }
    case 'SummarizeOperator': {
      const ps = parts(op);
      const agg = ps[0]!;
      const fn = kindOf(agg) === 'FunctionCallExpression' ? nameOf(parts(agg)[0]!).toLowerCase() : '';
      const by = ps.find((p) => kindOf(p) === 'SummarizeByClause');
      if (fn !== 'arg_max' || !by) {
        // Any other aggregation ends the filter logic: return the rows that reached it.
        const done: Row[] & { [STOP]?: boolean } = [...rows];
        done[STOP] = true;
        return done;
      }
      const [byCol, ...cols] = parts(parts(agg)[1]!).map(nameOf);
      const keys = parts(by).map(nameOf);
      const best = new Map<string, Row>();
      for (const r of rows) {
        const id = JSON.stringify(keys.map((c) => r[c] ?? null));
        const cur = best.get(id);
        if (!cur || (compare(r[byCol!] ?? null, cur[byCol!] ?? null) ?? 0) > 0) best.set(id, r);
      }
      return [...best.values()].map((r) =>
        Object.fromEntries([...keys, byCol!, ...cols].map((c) => [c, r[c] ?? null])),
      );
    }
    case 'ProjectOperator':
      return rows;
    default:
      throw new UnsupportedKql(`operator ${k}`);
  }
}

/** The rows of a `datatable(col:type, …)[v, …]` expression, datetimes as Dates. */
function datatable(n: KustoNode): Row[] {
  const ps = parts(n);
  const schema = ps.find((p) => kindOf(p) === 'RowSchema')!;
  const cols = parts(schema).map((d) => {
    const [name, type] = parts(d);
    return { name: nameOf(name!), type: type!.ToString().trim().toLowerCase() };
  });
  const values = ps.filter((p) => kindOf(p) !== 'RowSchema' && kindOf(p) !== 'NamedParameter').map(literal);
  if (values.length % cols.length !== 0)
    throw new UnsupportedKql(`datatable has ${values.length} values for ${cols.length} columns`);
  const rows: Row[] = [];
  for (let i = 0; i < values.length; i += cols.length)
    rows.push(Object.fromEntries(cols.map((c, j) => [c.name, values[i + j] ?? null])));
  return rows;
}

/**
 * Runs `query` (let statements, then one tabular expression) over `tables` and returns the rows its
 * filter logic keeps: the rows that reach the first aggregation, or the result when there is none.
 */
export function evaluateKql(query: string, tables: Tables, now: Date): Row[] {
  const s: Scope = { lets: new Map(), tables, now };
  let result: Row[] | undefined;
  for (const st of parts(parseKql(query))) {
    const k = kindOf(st);
    if (k === 'LetStatement') {
      const [name, value] = parts(st);
      const vk = kindOf(value!);
      s.lets.set(
        nameOf(name!),
        vk === 'DataTableExpression' || vk === 'PipeExpression' ? tabular(value!, s) : expr(value!, {}, s),
      );
    } else if (k === 'ExpressionStatement') result = tabular(parts(st)[0]!, s);
    else throw new UnsupportedKql(`statement ${k}`);
  }
  if (!result) throw new UnsupportedKql('the query has no tabular expression');
  return [...result];
}

/** The tables a fixture defines with `let Name = datatable(…)[…];` (its statements only). */
export function readDatatables(fixture: string): Tables {
  const s: Scope = { lets: new Map(), tables: {}, now: new Date(0) };
  const out: Tables = {};
  for (const st of parts(parseKql(fixture))) {
    if (kindOf(st) !== 'LetStatement') continue;
    const [name, value] = parts(st);
    if (kindOf(value!) === 'DataTableExpression') out[nameOf(name!)] = tabular(value!, s);
  }
  return out;
}

/** The column names and types of every datatable in a fixture (to check them against the vendored schema). */
export function datatableSchemas(fixture: string): Record<string, Array<[string, string]>> {
  const out: Record<string, Array<[string, string]>> = {};
  for (const st of parts(parseKql(fixture))) {
    if (kindOf(st) !== 'LetStatement') continue;
    const [name, value] = parts(st);
    if (kindOf(value!) !== 'DataTableExpression') continue;
    const schema = parts(value!).find((p) => kindOf(p) === 'RowSchema')!;
    out[nameOf(name!)] = parts(schema).map((d) => {
      const [n, t] = parts(d);
      return [nameOf(n!), t!.ToString().trim().toLowerCase()];
    });
  }
  return out;
}
