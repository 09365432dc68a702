#!/usr/bin/env node
// The rmmkit executable: runs main() with the process's arguments and sets the exit code.
// `rmmkit --version` alone is answered before the parser loads: it is what scripts call most often.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { packageVersion } = await import('../lib/paths.js');
  process.stdout.write(`${packageVersion()}\n`);
} else {
  const { main } = await import('./main.js');
  process.exitCode = await main(args);
}
