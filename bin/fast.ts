// The start-up fast path: `rmmkit component pack` is what CI loops and editor hooks run once per
// component, and loading the full argument parser costs more than packing. A plain, unambiguous
// pack command line is read here with Node's own util.parseArgs and runs the very code the full
// parser would run (bin/commands/pack.ts, errors mapped by bin/run.ts). Anything else (help, an
// unknown or repeated flag, a value that looks like a flag, `--`) returns null and goes to main(),
// so every message and exit code of an unusual command line stays the full parser's.
import { parseArgs } from 'node:util';
import type { PackOptions } from './commands/pack.js';
import { createContext } from './context.js';
import { type Io, processIo } from './io.js';

const PACK_OPTIONS = {
  out: { type: 'string' },
  'out-dir': { type: 'string' },
  layout: { type: 'string' },
  force: { type: 'boolean' },
  'no-lint': { type: 'boolean' },
} as const;

/** util.parseArgs of pack's options, strictly (an unknown flag or a missing value is null). */
function parsePack(args: string[]) {
  try {
    return parseArgs({ args, options: PACK_OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch {
    return null;
  }
}

/** The pack options of `args` when the fast path can take them; null for anything else. */
export function fastPackOptions(args: readonly string[]): PackOptions | null {
  if (args[0] !== 'component' || args[1] !== 'pack') return null;
  const parsed = parsePack(args.slice(2));
  if (parsed === null) return null;
  const seen = new Set<string>();
  for (const t of parsed.tokens) {
    // `--` ends options differently in the two parsers; a repeated flag is the full parser's error.
    if (t.kind === 'option-terminator') return null;
    if (t.kind === 'option') {
      if (seen.has(t.name)) return null;
      seen.add(t.name);
    }
  }
  const v = parsed.values;
  const dirs = parsed.positionals;
  if (dirs.length === 0) return null;
  if (v.layout !== undefined && v.layout !== 'legacy' && v.layout !== 'current') return null;
  return {
    dirs,
    out: v.out,
    outDir: v['out-dir'],
    layout: v.layout,
    force: v.force ?? false,
    lint: !(v['no-lint'] ?? false),
  };
}

/** Runs `args` on the fast path; null when it is not one the fast path takes (then run main()). */
export async function fastMain(args: readonly string[], io: Io = processIo()): Promise<number | null> {
  const options = fastPackOptions(args);
  if (options === null) return null;
  const [{ runPack }, { runMapped }] = await Promise.all([import('./commands/pack.js'), import('./run.js')]);
  const ctx = createContext(io);
  return runMapped(ctx, () => runPack(ctx, options));
}
