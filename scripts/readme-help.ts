// Rewrites every "$ rmmkit … --help" block of README.md with the CLI's current output.
// Run with `npm run readme:help` after changing a command; test/cli.test.ts fails until you do.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { main } from '../bin/main.js';

const path = new URL('../README.md', import.meta.url);
const readme = readFileSync(path, 'utf8');
const blocks = [...readme.matchAll(/```text\n\$ rmmkit ((?:[a-z-]+ )*)--help\n([\s\S]*?)\n```/g)];
let out = readme;
for (const block of blocks) {
  const args = [...(block[1] ?? '').trim().split(' ').filter(Boolean), '--help'];
  let text = '';
  await main(args, {
    stdout: {
      write: (c: string) => {
        text += c;
        return true;
      },
    },
    stderr: { write: () => true },
    stdin: process.stdin,
    env: {},
    cwd: process.cwd(),
  });
  out = out.replace(block[0], `\`\`\`text\n$ rmmkit ${block[1] ?? ''}--help\n${text.trimEnd()}\n\`\`\``);
}
if (out !== readme) {
  writeFileSync(`${path.pathname}.tmp`, out);
  renameSync(`${path.pathname}.tmp`, path);
}
console.log(`${blocks.length} help block(s) checked; README ${out === readme ? 'unchanged' : 'updated'}`);
