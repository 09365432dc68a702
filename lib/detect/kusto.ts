// Parses and binds KQL with Microsoft's Kusto language service (@kusto/language-service-next, a
// Bridge.NET build of Kusto.Language) against the vendored column lists in ./tables/.
import { createRequire } from 'node:module';
import DeviceFileCertificateInfo from './tables/DeviceFileCertificateInfo.json' with { type: 'json' };
import DeviceFileEvents from './tables/DeviceFileEvents.json' with { type: 'json' };
import DeviceNetworkEvents from './tables/DeviceNetworkEvents.json' with { type: 'json' };
import DeviceProcessEvents from './tables/DeviceProcessEvents.json' with { type: 'json' };
import DeviceRegistryEvents from './tables/DeviceRegistryEvents.json' with { type: 'json' };
import type { Flavor } from './types.js';

interface TableFile {
  table: string;
  columns: string[][];
  workspaceOnly: string[][];
}

const TABLE_FILES: readonly TableFile[] = [
  DeviceFileCertificateInfo,
  DeviceFileEvents,
  DeviceNetworkEvents,
  DeviceProcessEvents,
  DeviceRegistryEvents,
];

/** The vendored tables and their columns for one flavor (Defender has no workspace-only columns). */
export function tableColumns(flavor: Flavor): Map<string, Array<[name: string, type: string]>> {
  const out = new Map<string, Array<[string, string]>>();
  for (const t of TABLE_FILES) {
    const cols = flavor === 'sentinel' ? [...t.columns, ...t.workspaceOnly] : t.columns;
    out.set(
      t.table,
      cols.map((c) => [c[0]!, c[1]!]),
    );
  }
  return out;
}

/* The few members of the Bridge.NET API used here, typed by hand (its own .d.ts is a global namespace). */
export interface KustoNode {
  readonly ChildCount: number;
  GetChild(i: number): KustoNode | null;
  readonly Kind: number;
  readonly TextStart: number;
  readonly Width: number;
  readonly Text?: string;
  readonly LiteralValue?: unknown;
  ToString(): string;
  constructor: { $$name?: string };
}
interface KustoDiagnostic {
  Code: string;
  Severity: string;
  Message: string;
  Start: number;
  Length: number;
}
interface KustoList<T> {
  Count: number;
  getItem(i: number): T;
}
interface KustoCodeResult {
  Syntax: KustoNode;
  GetDiagnostics(): KustoList<KustoDiagnostic>;
  ResultType?: { Columns?: KustoList<{ Name: string }> | null; IsOpen?: boolean } | null;
}
interface KustoLanguage {
  KustoCode: {
    Parse(text: string): KustoCodeResult;
    ParseAndAnalyze(text: string, globals: unknown): KustoCodeResult;
  };
  GlobalState: { Default: { WithDatabase(db: unknown): unknown } };
  Symbols: {
    TableSymbol: { $ctor7: new (name: string, schema: string, description: string | null) => unknown };
    DatabaseSymbol: { ctor: new (name: string, members: unknown[]) => unknown };
  };
}

let language: KustoLanguage | undefined;
const globalsByFlavor = new Map<Flavor, unknown>();

/**
 * Loads the language service once. It is a browser-style bundle: bridge.js defines the global
 * `Bridge`, the Kusto bundle then defines the global `Kusto`; both are loaded with require.
 */
export function kustoLanguage(): KustoLanguage {
  if (language) return language;
  const require = createRequire(import.meta.url);
  require('@kusto/language-service-next/bridge.min.js');
  require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
  const k = (globalThis as { Kusto?: { Language?: KustoLanguage } }).Kusto?.Language;
  if (!k) throw new Error('@kusto/language-service-next loaded but defined no Kusto.Language global');
  language = k;
  return k;
}

function globalsFor(flavor: Flavor): unknown {
  const cached = globalsByFlavor.get(flavor);
  if (cached) return cached;
  const K = kustoLanguage();
  const tables = [...tableColumns(flavor)].map(
    ([name, cols]) =>
      new K.Symbols.TableSymbol.$ctor7(name, `(${cols.map(([c, t]) => `['${c}']:${t}`).join(', ')})`, null),
  );
  const db = new K.Symbols.DatabaseSymbol.ctor(
    flavor === 'sentinel' ? 'workspace' : 'advancedhunting',
    tables,
  );
  const globals = K.GlobalState.Default.WithDatabase(db);
  globalsByFlavor.set(flavor, globals);
  return globals;
}

/** The last bound query: lint asks for its diagnostics, then its result columns; bind it once. */
let lastAnalysis: { query: string; flavor: Flavor; code: KustoCodeResult } | undefined;

function analyzed(query: string, flavor: Flavor): KustoCodeResult {
  if (lastAnalysis?.query === query && lastAnalysis.flavor === flavor) return lastAnalysis.code;
  const code = kustoLanguage().KustoCode.ParseAndAnalyze(query, globalsFor(flavor));
  lastAnalysis = { query, flavor, code };
  return code;
}

/** One diagnostic of the language service, classified; `start` is an offset into the query. */
export interface KqlDiagnostic {
  kind: 'syntax' | 'unknown-column' | 'unknown-table' | 'semantic';
  code: string;
  severity: 'error' | 'warning';
  message: string;
  start: number;
  length: number;
}

function listOf<T>(l: KustoList<T>): T[] {
  return Array.from({ length: l.Count }, (_, i) => l.getItem(i));
}

/**
 * Parses `query` (syntax errors) and binds it against the vendored tables of `flavor` (unknown
 * tables, unknown columns, type errors). Offsets are UTF-16 code units into `query`.
 */
export function analyzeKql(query: string, flavor: Flavor): KqlDiagnostic[] {
  const K = kustoLanguage();
  const syntax = listOf(K.KustoCode.Parse(query).GetDiagnostics());
  const seen = new Set(syntax.map((d) => `${d.Code}@${d.Start}`));
  const out: KqlDiagnostic[] = syntax.map((d) => ({
    kind: 'syntax',
    code: d.Code,
    severity: d.Severity === 'Error' ? 'error' : 'warning',
    message: d.Message,
    start: d.Start,
    length: d.Length,
  }));
  if (syntax.some((d) => d.Severity === 'Error')) return out;
  for (const d of listOf(analyzed(query, flavor).GetDiagnostics())) {
    if (seen.has(`${d.Code}@${d.Start}`)) continue;
    // KS142: a name that is no column, variable or function; KS204: a name that is no table.
    const kind = d.Code === 'KS142' ? 'unknown-column' : d.Code === 'KS204' ? 'unknown-table' : 'semantic';
    out.push({
      kind,
      code: d.Code,
      severity: d.Severity === 'Error' ? 'error' : 'warning',
      message: d.Message,
      start: d.Start,
      length: d.Length,
    });
  }
  return out;
}

/**
 * The column names of a query's result as the Kusto binder infers them, or null when it cannot
 * (not a table, an open schema, or a table rmmkit has no column list for).
 */
export function kqlResultColumns(query: string, flavor: Flavor): string[] | null {
  const code = analyzed(query, flavor);
  const t = code.ResultType;
  if (!t?.Columns || t.IsOpen) return null;
  if (listOf(code.GetDiagnostics()).some((d) => d.Code === 'KS204')) return null;
  return listOf(t.Columns).map((c) => c.Name);
}

/** The syntax tree of a query (for the rule evaluator). */
export function parseKql(query: string): KustoNode {
  return kustoLanguage().KustoCode.Parse(query).Syntax;
}
