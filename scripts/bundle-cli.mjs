// Bundles the CLI (bin/rmmkit.ts and what it imports) into dist/bin/rmmkit.js with esbuild, split so
// each command and the libraries it needs are a chunk loaded only when that command runs: start-up
// then costs one file and the parser, not hundreds of module look-ups. The library (dist/lib) stays
// tsc's output, for `import 'rmmkit'`. Also restores the executable bit that a rebuild drops.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

// RMMKIT_BUNDLE_OUT: another folder (a test builds there); default dist/bin/.
const out = process.env.RMMKIT_BUNDLE_OUT ?? new URL('../dist/bin/', import.meta.url).pathname;
// tsc's per-file CLI output is replaced by the bundle (its .d.ts files are not needed for a CLI).
rmSync(out, { recursive: true, force: true });
const common = {
  outdir: out,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  sourcemap: 'linked',
  legalComments: 'linked',
  minify: true,
  logLevel: 'warning',
  // CommonJS dependencies (node-machine-id) call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __rmmkitRequire } from 'node:module';\nconst require = __rmmkitRequire(import.meta.url);",
  },
};
await build({
  ...common,
  entryPoints: { rmmkit: new URL('../bin/rmmkit.ts', import.meta.url).pathname },
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  // The fast path is its own bundle (below), loaded by rmmkit.js at run time.
  external: ['./fast.js'],
});
// The start-up fast path (`component pack`, bin/fast.ts) as one CommonJS file: one module to load
// instead of a dozen chunks, and compiled by rmmkit.js with a V8 code cache (ES modules cannot take
// one on Node 20). It shares no module instance with the main bundle, and needs none: it maps its
// own errors (bin/run.ts) and returns null, before doing anything, for what it does not take.
await build({
  ...common,
  entryPoints: [new URL('../bin/fast.ts', import.meta.url).pathname],
  outfile: `${out}fast.cjs`,
  outdir: undefined,
  format: 'cjs',
  banner: undefined,
  splitting: false,
});
chmodSync(`${out}rmmkit.js`, 0o755);

// The code cache: one real pack (an export from the test fixtures, unpacked by the CLI just built),
// run by rmmkit.js itself so the cache matches how it is loaded. Without the fixtures (a build from
// the published tarball) there is no cache, and pack only compiles a little more.
const fixture = new URL('../test/fixtures/component/current-applications.cpt', import.meta.url).pathname;
if (existsSync(fixture)) {
  const tmp = mkdtempSync(join(tmpdir(), 'rmmkit-bundle-'));
  try {
    const cli = `${out}rmmkit.js`;
    const run = (args, env = {}) => {
      const r = spawnSync(process.execPath, [cli, ...args], {
        encoding: 'utf8',
        env: { ...process.env, ...env },
      });
      if (r.status !== 0)
        throw new Error(`rmmkit ${args.join(' ')} failed while writing the code cache:\n${r.stderr}`);
    };
    run(['component', 'unpack', fixture, '--out', join(tmp, 'src')]);
    run(['component', 'pack', join(tmp, 'src'), '--out', join(tmp, 'x.cpt')], {
      RMMKIT_WRITE_CODE_CACHE: `${out}fast.cjs`,
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
