#!/usr/bin/env node
// The rmmkit executable: runs main() with the process's arguments and sets the exit code.
// Two command lines are answered before the full parser loads, because scripts run them most often:
// `rmmkit --version` alone, and a plain `rmmkit component pack …` (bin/fast.ts; anything unusual
// about it still goes to main()).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

type FastModule = typeof import('./fast.js');

/**
 * The fast path. Built, it is one CommonJS file (dist/bin/fast.cjs) compiled with the V8 code cache
 * the build wrote beside it (fast.cjs.cache): most of a pack's start-up is compiling the YAML, XML
 * and zip code, and the cache skips it. A cache V8 rejects (another Node version, other flags) only
 * costs the normal compile. From the sources (tests), it is the TypeScript module.
 */
async function loadFast(): Promise<{ fast: FastModule; script?: Script; file?: string }> {
  const file = fileURLToPath(new URL('./fast.cjs', import.meta.url));
  if (!existsSync(file)) return { fast: await import('./fast.js') };
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`,
    { filename: file, cachedData },
  );
  const module = { exports: {} as FastModule };
  script.runInThisContext()(
    module.exports,
    createRequire(file),
    module,
    file,
    fileURLToPath(new URL('.', import.meta.url)),
  );
  return { fast: module.exports, script, file };
}

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { packageVersion } = await import('../lib/paths.js');
  process.stdout.write(`${packageVersion()}\n`);
} else {
  let code: number | null = null;
  if (args[0] === 'component' && args[1] === 'pack') {
    const { fast, script, file } = await loadFast();
    code = await fast.fastMain(args);
    // The build (scripts/bundle-cli.mjs) runs one pack with this set to write the code cache, after
    // the run so that it holds the functions a pack compiles. Nothing else writes it.
    if (script && file && process.env.RMMKIT_WRITE_CODE_CACHE === file)
      writeFileSync(`${file}.cache`, script.createCachedData());
    if (script && process.env.RMMKIT_TRACE_CODE_CACHE)
      process.stderr.write(
        `rmmkit: code cache ${script.cachedDataRejected === false ? 'used' : 'not used'}\n`,
      );
  }
  if (code === null) code = await (await import('./main.js')).main(args);
  process.exitCode = code;
}
