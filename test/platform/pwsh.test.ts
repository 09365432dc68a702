// The batch driver (test/helpers/pwsh-batch.ps1) against real one-process-per-script pwsh runs: the
// same stdout, exit code and stderr (empty or carrying the message), and no state leaking between cases.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type PsCase, runPwshCases, runPwshFile, tempDir } from '../helpers/endpoint.js';
import { needTools } from '../helpers/tools.js';

/** Scripts that exercise every stream and way out; `err` is a text stderr must contain, or ''. */
const PROBES: { name: string; script: string; err: string }[] = [
  { name: 'Write-Host lines', script: "Write-Host 'one'\nWrite-Host 'two'", err: '' },
  {
    name: 'Write-Host -NoNewline mixed with [Console]::Out',
    script:
      "Write-Host -NoNewline 'a'\n[Console]::Out.Write('b')\nWrite-Host 'c'\n[Console]::Out.WriteLine('d')",
    err: '',
  },
  { name: 'Write-Output of strings and a number', script: "Write-Output 'x'\n'y'\n42", err: '' },
  { name: 'exit with a code', script: "Write-Host 'before'\nexit 3\nWrite-Host 'after'", err: '' },
  { name: 'exit 0 after output', script: "Write-Host 'ok'\nexit 0", err: '' },
  { name: 'no exit at all', script: '$x = 1', err: '' },
  { name: 'Write-Error then exit 1', script: "Write-Error 'it broke'\nexit 1", err: 'it broke' },
  { name: 'a terminating error', script: "Write-Host 'start'\nthrow 'fatal thing'", err: 'fatal thing' },
  { name: '[Console]::Error', script: "[Console]::Error.WriteLine('to stderr')\nexit 2", err: 'to stderr' },
  {
    name: 'a stopped pipeline under ErrorActionPreference Stop',
    script: "$ErrorActionPreference = 'Stop'\nGet-Item '/no/such/file'\nWrite-Host 'unreached'",
    err: '/no/such/file',
  },
  { name: 'Write-Warning', script: "Write-Warning 'careful'\nexit 0", err: '' },
];

describe('pwsh batch driver', function () {
  this.timeout(120000);

  it('gives what one pwsh process per script gives: stdout, exit code, stderr', async function () {
    needTools(this, 'PowerShell runs', 'pwsh');
    const tmp = tempDir('rmmkit-probe-');
    try {
      const env = { NO_COLOR: '1' };
      const single = await Promise.all(
        PROBES.map((p, i) => {
          const f = join(tmp.dir, `probe-${i}.ps1`);
          writeFileSync(f, p.script);
          return runPwshFile(f, env);
        }),
      );
      const batch = await runPwshCases(
        PROBES.map((p) => ({ script: p.script })),
        env,
      );
      PROBES.forEach((p, i) => {
        const a = single[i]!;
        const b = batch[i]!;
        assert.equal(b.stdout, a.stdout, `${p.name}: stdout`);
        assert.equal(b.code, a.code, `${p.name}: exit code`);
        if (p.err === '') {
          assert.equal(a.stderr, '', `${p.name}: pwsh stderr`);
          assert.equal(b.stderr, '', `${p.name}: batch stderr`);
        } else {
          assert.ok(a.stderr.includes(p.err), `${p.name}: pwsh stderr ${a.stderr}`);
          assert.ok(b.stderr.includes(p.err), `${p.name}: batch stderr ${b.stderr}`);
        }
      });
      // Spot checks against the language itself, not only against each other.
      assert.equal(batch[1]?.stdout, 'abc\nd\n');
      assert.equal(batch[3]?.code, 3);
      assert.equal(batch[7]?.code, 1);
    } finally {
      tmp.cleanup();
    }
  });

  it('isolates cases: environment, mocks, variables and strict mode do not leak into the next case', async function () {
    needTools(this, 'PowerShell runs', 'pwsh');
    const show =
      '[Console]::Out.Write("$env:PROBE_A|$env:PROBE_B|$(Test-Path function:Get-Thing)|$($null -eq $global:Leak)")';
    const cases: PsCase[] = [
      {
        script: `$env:PROBE_B = 'set-by-script'\n$global:Leak = 1\nfunction global:Get-Thing { 2 }\nSet-StrictMode -Version Latest\n${show}`,
        env: { PROBE_A: 'a1' },
        prelude: 'function Get-Thing { 1 }',
      },
      // Strict mode from the first case would make $undefined an error here.
      { script: `$u = $undefinedVariable\n${show}`, env: { PROBE_A: 'a2' } },
      { script: show, env: {} },
    ];
    const r = await runPwshCases(cases, {}, 1);
    assert.deepEqual(
      r.map((x) => x.stdout),
      ['a1|set-by-script|True|False', 'a2||False|True', '||False|True'],
    );
    assert.deepEqual(
      r.map((x) => x.stderr + x.code),
      ['0', '0', '0'],
    );
  });

  it('passes environment values through exactly, including quotes, newlines and non-ASCII', async function () {
    needTools(this, 'PowerShell runs', 'pwsh');
    const values = ['it\'s "quoted" `n $(x)', 'line1\nline2\r\n', 'Müller 東京 ı', ' lead and trail '];
    const r = await runPwshCases(
      values.map((v) => ({ script: '[Console]::Out.Write($env:V)', env: { V: v } })),
    );
    assert.deepEqual(
      r.map((x) => x.stdout),
      values,
    );
  });
});
