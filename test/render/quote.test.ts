// Tests of the quoting helpers (lib/render/quote.ts): hostile strings must come back byte for byte
// when the literal is executed by every sh shell here and by PowerShell.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { quotePowerShell, quoteSh } from '../../lib/render/quote.js';
import { needShells, run, runPowerShellBatch, shellcheck, tempDir } from '../helpers/endpoint.js';
import { needTools } from '../helpers/tools.js';

const HOSTILE: [string, string][] = [
  ['empty', ''],
  ['plain', 'https://partner.bright-av.web/console/device?id='],
  ['single quote', "'"],
  ['quotes', `it's "quoted" '' ''' `],
  ['smart single quotes (PowerShell treats them as quotes)', '\u2018x\u2019 \u201a \u201b'],
  ['smart double quotes', '\u201cx\u201d \u201e'],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${…} is the hostile input here
  ['command substitution', '$(id) `id` ${HOME} $HOME $env:PATH $(Get-Process)'],
  ['PowerShell escapes', '`n `t `0 `$ @(1) @{a=1} $($null)'],
  ['printf and echo traps', '-n -e %s %d \\c \\n \\t \\\\ \\0101'],
  ['control characters', '\x01\x07\x08\t\n\v\f\r\x1b[31m\x7f'],
  ['line breaks', 'a\nb\r\nc\rd\u0085e\u2028f\u2029'],
  ['shell metacharacters', '; | & && || > < >> 2>&1 * ? [a] ~ # ! { } ( )'],
  ['non-ASCII', 'M\u00fcller \u6771\u4eac \u0131\u0130 \u212a \ufeff \u00a0'],
  ['astral (surrogate pair)', '\u{1F600}\u{10FFFF}'],
  ['here-doc markers', "EOF\n'@\n\"@\n@'\n"],
  ['long', `${"'".repeat(300)}${'x'.repeat(1000)}`],
];

describe('quoting helpers', function () {
  this.timeout(60000);

  it('quoteSh: one single-quoted word; refuses NUL', () => {
    assert.equal(quoteSh("it's"), `'it'\\''s'`);
    assert.equal(quoteSh('a$b`c'), "'a'\\$'b'\\`'c'");
    assert.equal(quoteSh('$'), '\\$');
    assert.equal(quoteSh(''), `''`);
    assert.throws(() => quoteSh('a\0b'), /NUL/);
  });

  it('quoteSh: shellcheck finds nothing in a script printing every hostile string', function () {
    needTools(this, 'shellcheck of quoted literals', 'shellcheck');
    // Non-ASCII strings are left out: shellcheck flags smart quotes even inside '…' (SC1112), and
    // every literal baked into a script here is ASCII (link templates are checked to be).
    const ascii = HOSTILE.filter(([, v]) => /^[\x01-\x7f]*$/.test(v));
    assert.ok(ascii.length >= 10);
    const script = ['#!/bin/sh', ...ascii.map(([, v]) => `printf '%s\\n' ${quoteSh(v)}`), ''].join('\n');
    assert.equal(shellcheck(script), '');
  });

  it('quotePowerShell: ASCII-only output; printable ASCII stays one literal', () => {
    assert.equal(quotePowerShell("it's"), `'it''s'`);
    assert.equal(quotePowerShell(''), `''`);
    assert.equal(quotePowerShell('\u2019'), `('' + [char]0x2019)`);
    assert.equal(quotePowerShell('a\nb'), `('a' + [char]0x000A + 'b')`);
    for (const [, value] of HOSTILE) assert.match(quotePowerShell(value), /^[\x20-\x7e]*$/);
  });

  it('sh literals survive every shell byte for byte', async function () {
    const shells = needShells(this, 'sh runs (dash, bash, busybox, zsh)');
    const tmp = tempDir('rmmkit-quote-');
    try {
      const file = join(tmp.dir, 'q.sh');
      // Each value is printed in hex by od, so bytes (not a terminal rendering) are compared.
      writeFileSync(
        file,
        HOSTILE.map(
          ([, v]) => `x=${quoteSh(v)}\nprintf '%s' "$x" | od -An -v -tx1 | tr -d ' \\n'\nprintf '\\n'\n`,
        ).join(''),
      );
      const want = HOSTILE.map(([, v]) => Buffer.from(v, 'utf8').toString('hex')).join('\n') + '\n';
      for (const shell of shells) {
        const r = await run([...shell.argv, file], {});
        assert.deepEqual({ out: r.stdout, err: r.stderr }, { out: want, err: '' }, shell.name);
      }
    } finally {
      tmp.cleanup();
    }
  });

  it('PowerShell literals survive the engine UTF-16 unit for UTF-16 unit', async function () {
    needTools(this, 'PowerShell runs', 'pwsh');
    const script = HOSTILE.map(
      ([, v]) =>
        `$x = ${quotePowerShell(v)}\n$h = ''\nforeach ($c in $x.ToCharArray()) { $h += ([int]$c).ToString('x4') }\n[Console]::Out.Write($h + "\`n")\n`,
    ).join('');
    const want = HOSTILE.map(([, v]) =>
      v
        .split('')
        .map((c) => c.charCodeAt(0).toString(16).padStart(4, '0'))
        .join(''),
    ).join('\n');
    const [r] = await runPowerShellBatch(script, [{}]);
    assert.deepEqual(r, { stdout: `${want}\n`, stderr: '', code: 0 });
  });
});
