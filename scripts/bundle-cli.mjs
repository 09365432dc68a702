// Bundles the CLI (bin/rmmkit.ts and what it imports) into dist/bin/rmmkit.js with esbuild, split so
// each command and the libraries it needs are a chunk loaded only when that command runs: start-up
// then costs one file and the parser, not hundreds of module look-ups. The library (dist/lib) stays
// tsc's output, for `import 'rmmkit'`. Also restores the executable bit that a rebuild drops.
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const out = new URL('../dist/bin/', import.meta.url).pathname;
// tsc's per-file CLI output is replaced by the bundle (its .d.ts files are not needed for a CLI).
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: { rmmkit: new URL('../bin/rmmkit.ts', import.meta.url).pathname },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  legalComments: 'linked',
  minify: true,
  logLevel: 'warning',
  // CommonJS dependencies (node-machine-id) call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __rmmkitRequire } from 'node:module';\nconst require = __rmmkitRequire(import.meta.url);",
  },
});
chmodSync(`${out}rmmkit.js`, 0o755);
