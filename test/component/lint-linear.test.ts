// Lint in linear time: bodies shaped to make a backtracking pattern or a rescan of the rest of the
// line quadratic (found by review; each took minutes) must take about 8x as long for 8x the input.
import assert from 'node:assert/strict';
import { lintComponent } from '../../lib/component/lint.js';
import { testComponent } from './helpers.js';

// [name, installType, body of size n]
const shapes: [string, string, (n: number) => string][] = [
  ['sh: `a=; ` repeated on one line (assignment prefixes)', 'unix', (n) => `#!/bin/sh\n${'a=; '.repeat(n)}`],
  [
    'sh: `;a=xx` repeated (assignment values running past ;)',
    'unix',
    (n) => `#!/bin/sh\n${';a=xx'.repeat(n)}`,
  ],
  [
    'sh: `a=(` repeated (values running past a command start)',
    'unix',
    (n) => `#!/bin/sh\n${'a=('.repeat(n)}`,
  ],
  [
    'sh: `;systemctl -x` repeated (flags running past ;)',
    'unix',
    (n) => `#!/bin/sh\n${';systemctl -x'.repeat(n)}`,
  ],
  [
    'sh: unclosed `while read` loops, one per line',
    'unix',
    (n) => `#!/bin/sh\n${'while read x; do\n'.repeat(n)}`,
  ],
  ['sh: `|a=b ` repeated before read (pipe test)', 'unix', (n) => `#!/bin/sh\n${'|a=b '.repeat(n)}read x`],
  ['sh: `<< ` repeated (here-document operators)', 'unix', (n) => `#!/bin/sh\n((x)) ${'<< '.repeat(n)}`],
  ['PowerShell: `=/` repeated (paths before a command name)', 'powershell', (n) => '=/'.repeat(n)],
  ['PowerShell: `;shutdown ` repeated (shutdown … /r)', 'powershell', (n) => ';shutdown '.repeat(n)],
  ['PowerShell: `@"x` repeated (here-string openers)', 'powershell', (n) => '@"x"'.repeat(n)],
  ['VBScript: `shutdown ` repeated', 'vbscript', (n) => 'shutdown '.repeat(n)],
  ['VBScript: `read ` repeated (read … < /dev/tty)', 'vbscript', (n) => 'read '.repeat(n)],
  ['batch: `&` repeated (& rem comments)', 'batch', (n) => `echo ${'&'.repeat(4 * n)}`],
  ['batch: `&wmic os ` repeated (wmic os … reboot)', 'batch', (n) => '&wmic os '.repeat(n)],
];

describe('component lint: linear time on hostile bodies', () => {
  for (const [name, installType, body] of shapes)
    it(name, () => {
      const time = (n: number) => {
        const c = testComponent({ body: Buffer.from(body(n)) }, installType);
        const t0 = performance.now();
        lintComponent(c);
        return performance.now() - t0;
      };
      time(500); // warm up the JIT
      // 8x the input: linear gives a ratio near 8, quadratic near 64. The best of three and the wide
      // gap keep a shared, noisy machine from failing the linear case; below 2 ms a timer says little.
      const small = Math.min(time(2500), time(2500), time(2500));
      const large = Math.min(time(20000), time(20000), time(20000));
      assert.ok(
        large / Math.max(small, 2) < 32,
        `n=2,500: ${small.toFixed(1)} ms, n=20,000: ${large.toFixed(1)} ms`,
      );
    });
});
