// Tests of the PowerShell 2.0 lint (lib/render/ps2-lint.ts): each rule fires on PS3+ code and stays
// quiet on the PS 2.0 way of writing it, in comments and in strings.
import assert from 'node:assert/strict';
import { renderDevidScript } from '../../lib/render/devid-script.js';
import { lintPs2 } from '../../lib/render/ps2-lint.js';

// [rule, PS3+ code that must be found, PS 2.0 code that must pass]
const CASES: [string, string, string][] = [
  ['ordered', '$h = [ordered]@{ a = 1 }', '$h = @{ a = 1 }'],
  ['new', '$l = [Collections.ArrayList]::new()', '$l = New-Object Collections.ArrayList'],
  ['in-operator', 'if ($x -in @(1, 2)) { }', 'if (@(1, 2) -contains $x) { }'],
  ['in-operator', 'if ($x -notin $list) { }', 'if ($list -notcontains $x) { }'],
  ['psitem', '$a | ForEach-Object { $PSItem }', '$a | ForEach-Object { $_ }'],
  ['foreach-method', '$a.ForEach({ $_ })', 'foreach ($i in $a) { $i }'],
  ['where-method', '$a.Where({ $_ })', '$a | Where-Object { $_ }'],
  ['json', '$o = $t | ConvertFrom-Json', "$o = 'json is text here'"],
  ['json', '$t = $o | ConvertTo-Json', '$t = [string]$o'],
  ['shift', '$x = 1 -shl 4', '$x = 1 * 16'],
  ['shift', '$x = 16 -shr 4', '$x = [math]::Floor(16 / 16)'],
  ['pscustomobject', '$o = [pscustomobject]@{ a = 1 }', '$o = New-Object PSObject -Property @{ a = 1 }'],
  ['using', 'using namespace System.Text', '$sb = New-Object System.Text.StringBuilder'],
  ['class', 'class Foo { [int]$a }', 'function Foo { }'],
  ['class', 'enum Color { Red }', '$Red = 0'],
  ['psscriptroot', '$d = $PSScriptRoot', '$d = Split-Path -Parent $MyInvocation.MyCommand.Definition'],
  ['using-scope', 'Invoke-Command { $using:x }', 'Invoke-Command { param($x) $x } -ArgumentList $x'],
  ['web-cmdlets', 'Invoke-WebRequest -Uri $u', '$wc = New-Object System.Net.WebClient'],
  ['erroraction-ignore', 'Get-Item x -ErrorAction Ignore', 'Get-Item x -ErrorAction SilentlyContinue'],
  ['erroraction-ignore', 'Get-Item x -EA Ignore', 'Get-Item x -EA SilentlyContinue'],
  ['erroraction-ignore', 'Get-Item x -ErrorAction:Ignore', 'Get-Item x -ErrorAction:SilentlyContinue'],
  ['new', '$l = $t::new()', '$l = [Activator]::CreateInstance($t)'],
  ['attribute-shorthand', 'param([Parameter(Mandatory)]$a)', 'param([Parameter(Mandatory=$true)]$a)'],
  ['dotnet4-api', 'if ([string]::IsNullOrWhiteSpace($s)) { }', "if ($s -eq $null -or $s.Trim() -eq '') { }"],
  ['v3-cmdlets', '$h = Get-FileHash $f', '$h = [Security.Cryptography.SHA256]::Create()'],
  ['foreach-parallel', '$a | ForEach-Object -Parallel { $_ }', '$a | ForEach-Object { $_ }'],
  ['nonewline', "Write-Host 'x' -NoNewline", "[Console]::Out.Write('x')"],
  ['simplified-where', '$a | Where-Object Name -eq x', "$a | Where-Object { $_.Name -eq 'x' }"],
  ['pipeline-chain', 'a && b', 'a; if ($?) { b }'],
  ['null-operators', '$x = $a ?? $b', 'if ($a -ne $null) { $x = $a } else { $x = $b }'],
  ['requires', '#requires -Version 3.0', '#requires -Version 2.0'],
  ['culture-replace', "$s = $t -replace '[^A-Z]', ''", "$s = $t -creplace '[^A-Za-z]', ''"],
  ['culture-case', '$s = $t.ToUpper()', '$s = $t.ToUpperInvariant()'],
  ['cim-without-wmi', 'Get-CimInstance Win32_BIOS', 'Get-WmiObject Win32_BIOS'],
  ['ascii', "$s = 'M\u00fcller'", "$s = 'M' + [char]0x00FC + 'ller'"],
  ['ascii', '$s = \u2018x\u2019', "$s = 'x'"],
];

describe('PowerShell 2.0 lint', () => {
  for (const [rule, bad, good] of CASES) {
    it(`${rule}: finds ${JSON.stringify(bad)}, passes ${JSON.stringify(good)}`, () => {
      const found = lintPs2(`$x = 1\n${bad}\n`);
      assert.ok(
        found.some((f) => f.rule === rule && f.line === 2),
        `expected ${rule} on line 2, got ${JSON.stringify(found)}`,
      );
      assert.deepEqual(lintPs2(`$x = 1\n${good}\n`), []);
    });
  }

  it('ignores PS3+ words inside comments and single-quoted strings', () => {
    const text = [
      '# [ordered] and $PSItem and ConvertTo-Json and .ForEach( in a comment',
      '<# Get-CimInstance, class Foo, -in, && in a block comment #>',
      "$m = 'use [ordered] or -in or $PSItem or ::new( on PowerShell 3+'",
      "$n = 'it''s -shl'",
    ].join('\n');
    assert.deepEqual(lintPs2(text), []);
  });

  it('accepts Get-CimInstance next to a Get-WmiObject fallback', () => {
    const text =
      'if (Get-Command Get-CimInstance -ErrorAction SilentlyContinue) { Get-CimInstance -ClassName X } else { Get-WmiObject -Class X }';
    assert.deepEqual(lintPs2(text), []);
  });

  it('finds every problem, with line numbers', () => {
    const found = lintPs2('$a = [ordered]@{}\n$b = 1\n$c = $PSItem; $d = 1 -shl 2\n');
    assert.deepEqual(
      found.map((f) => [f.line, f.rule]),
      [
        [1, 'ordered'],
        [3, 'psitem'],
        [3, 'shift'],
      ],
    );
  });

  it('passes every rendered endpoint script', () => {
    for (const link of [undefined, "https://partner.bright-av.web/it's/device?id={ID}&q=%27x%27"]) {
      for (const salt of [{ kind: 'account' }, { kind: 'none' }, { kind: 'env', name: 'MY_SALT' }] as const) {
        assert.deepEqual(lintPs2(renderDevidScript({ target: 'powershell', link, salt })), []);
      }
    }
  });
});
