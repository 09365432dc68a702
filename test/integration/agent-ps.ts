// The fake Windows agent for PowerShell components: a prelude of functions (dot-sourced before the
// script by the batch driver) shadowing Test-Path, the registry cmdlets, Get-Process, Stop-Process,
// Start-Process, reg.exe, WMI and the product CLI; each records its call in a per-case log file.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quotePowerShell as ps } from '../../lib/render/quote.js';

export const CENTRASTAGE = 'HKLM:\\SOFTWARE\\CentraStage';

export interface PsWorld {
  /** Registry values the cmdlets see: 'HKLM:\\SOFTWARE\\CentraStage|Custom7' → value. */
  reg?: Record<string, string>;
  /** reg.exe's view: 'HKLM\\SOFTWARE\\Bright\\Antivirus|LicenceKey|64' → value. */
  regExe?: Record<string, string>;
  /** Files that exist (Windows paths). */
  files?: string[];
  /** Files the installer (Start-Process) creates. */
  installs?: string[];
  /** Running process names (without .exe). */
  running?: string[];
  /** Product CLI aliases: Windows path of the exe. */
  cli?: string[];
  /** WMI answers for the collector: adapters and serials. */
  wmi?: { mac: string; baseboard: string };
  /** Working folder (the job folder with the attachments). */
  cwd?: string;
}

export interface PsCall {
  argv: string[];
}

/** A folder for one case's log file. */
export function psLogDir(): string {
  return mkdtempSync(join(tmpdir(), 'rmmkit-psagent-'));
}

const table = (o: Record<string, string>) =>
  `@{ ${Object.entries(o)
    .map(([k, v]) => `${ps(k)} = ${ps(v)}`)
    .join('; ')} }`;
const list = (a: string[]) => `@(${a.map((x) => ps(x)).join(', ')})`;

/** The prelude text for one world. Calls go to $env:FAKE_LOG (fields \x1f, records \x1e). */
export function psPrelude(w: PsWorld): string {
  const lines = [
    `$FakeReg = ${table(w.reg ?? {})}`,
    `$FakeRegExe = ${table(w.regExe ?? {})}`,
    '$FakeFiles = @{}',
    `foreach ($f in ${list(w.files ?? [])}) { $FakeFiles[$f] = $true }`,
    `$FakeInstalls = ${list(w.installs ?? [])}`,
    '$FakeRunning = @{}',
    `foreach ($p in ${list(w.running ?? [])}) { $FakeRunning[$p] = $true }`,
    w.cwd ? `Set-Location -LiteralPath ${ps(w.cwd)}` : '',
    String.raw`
function Write-FakeCall { [IO.File]::AppendAllText($env:FAKE_LOG, ((@($args | ForEach-Object { [string]$_ })) -join [string][char]0x1f) + [string][char]0x1e) }
function Write-FakeState([string]$Key, [string]$Value) { Write-FakeCall 'STATE' $Key $Value }
function rmmkit_canary { [IO.File]::WriteAllText($env:FAKE_CANARY, 'ran') }
function Test-Path { param([string]$Path, [string]$LiteralPath, $PathType, $ErrorAction)
  $p = $Path; if ($LiteralPath) { $p = $LiteralPath }
  Write-FakeCall 'Test-Path' $p
  if ($p -ceq 'HKLM:\SOFTWARE\CentraStage') { return $true }
  if ($FakeFiles.ContainsKey($p)) { return $true }
  if ($p -match '^[A-Za-z]:\\') { return $false }
  return (Microsoft.PowerShell.Management\Test-Path -LiteralPath $p)
}
function Get-ItemProperty { param([string]$Path, [string]$Name, $ErrorAction)
  Write-FakeCall 'Get-ItemProperty' $Path $Name
  $k = $Path + '|' + $Name
  if (-not $FakeReg.ContainsKey($k)) { return $null }
  $o = New-Object PSObject
  $o | Add-Member -MemberType NoteProperty -Name $Name -Value $FakeReg[$k]
  return $o
}
function New-ItemProperty { param([string]$Path, [string]$Name, $Value, [string]$PropertyType, [switch]$Force, $ErrorAction)
  Write-FakeCall 'New-ItemProperty' $Path $Name $PropertyType
  if ($env:FAKE_REG_FAIL) { throw 'Requested registry access is not allowed.' }
  $FakeReg[$Path + '|' + $Name] = [string]$Value
  Write-FakeState ($Path + '|' + $Name) ([string]$Value)
}
function New-Item { param([string]$Path, [string]$ItemType, [switch]$Force, $ErrorAction)
  Write-FakeCall 'New-Item' $Path
  if (-not $Path.StartsWith('HKLM:')) { Microsoft.PowerShell.Management\New-Item -Path $Path -ItemType $ItemType -Force }
}
function Get-Process { param([string]$Name, $ErrorAction)
  Write-FakeCall 'Get-Process' $Name
  if ($FakeRunning.ContainsKey($Name)) { return @(New-Object PSObject -Property @{ Name = $Name }) }
  return @()
}
function Stop-Process { param([Parameter(ValueFromPipeline = $true)]$InputObject, [switch]$Force)
  process { Write-FakeCall 'Stop-Process' $InputObject.Name }
}
function Start-Process { param([string]$FilePath, $ArgumentList, [switch]$Wait, [switch]$PassThru)
  Write-FakeCall 'Start-Process' $FilePath ([string]$ArgumentList)
  $rc = 0
  if ($env:FAKE_INSTALLER_RC) { $rc = [int]$env:FAKE_INSTALLER_RC }
  if ($rc -eq 0 -or $rc -eq 3010) { foreach ($f in $FakeInstalls) { $FakeFiles[$f] = $true } }
  return New-Object PSObject -Property @{ ExitCode = $rc }
}
function reg.exe {
  $a = @($args | ForEach-Object { $_ } | ForEach-Object { [string]$_ })
  Write-FakeCall 'reg.exe' @a
  $view = ($a | Where-Object { $_ -like '/reg:*' }) -replace '/reg:', ''
  $key = $a[1] + '|' + $a[3] + '|' + $view
  if ($a[0] -eq 'query') {
    if ($FakeRegExe.ContainsKey($key)) { '', $a[1], ('    ' + $a[3] + '    REG_SZ    ' + $FakeRegExe[$key]), ''; $global:LASTEXITCODE = 0 }
    else { $global:LASTEXITCODE = 1 }
    return
  }
  $d = [array]::IndexOf($a, '/d')
  $FakeRegExe[$key] = $a[$d + 1]
  Write-FakeState ('regexe:' + $key) $a[$d + 1]
  $global:LASTEXITCODE = 0
}
function FakeProductCli {
  Write-FakeCall 'cli' @args
  if ($env:FAKE_EPOCH) { $env:FAKE_EPOCH }
  $global:LASTEXITCODE = 0
  if ($env:FAKE_CLI_RC) { $global:LASTEXITCODE = [int]$env:FAKE_CLI_RC }
}
`,
    ...(w.cli ?? []).map((c) => `Set-Alias -Name ${ps(c)} -Value FakeProductCli`),
  ];
  if (w.wmi) {
    lines.push(String.raw`
function Get-FakeWmi([string]$Class) {
  Write-FakeCall 'WMI' $Class
  switch ($Class) {
    'Win32_NetworkAdapter' { @(New-Object PSObject -Property @{ Index = 3; PNPDeviceID = 'PCI\VEN_8086&DEV_15B8'; MACAddress = ${ps(w.wmi.mac)}; NetConnectionID = 'Ethernet'; Name = 'Intel(R) Ethernet Connection' }) }
    'Win32_NetworkAdapterConfiguration' { @(New-Object PSObject -Property @{ Index = 3; IPEnabled = $true; MACAddress = ${ps(w.wmi.mac)} }) }
    'Win32_BaseBoard' { @(New-Object PSObject -Property @{ SerialNumber = ${ps(w.wmi.baseboard)} }) }
    default { @() }
  }
}
function Get-CimInstance { param([string]$ClassName, $ErrorAction) Get-FakeWmi $ClassName }
function Get-WmiObject { param([string]$Class, $ErrorAction) Get-FakeWmi $Class }
`);
  }
  return lines.filter(Boolean).join('\n');
}

/** The recorded calls of one case (STATE records excluded). */
export function psCalls(log: string): string[][] {
  let text = '';
  try {
    text = readFileSync(log, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\x1e')
    .filter(Boolean)
    .map((r) => r.split('\x1f'))
    .filter((r) => r[0] !== 'STATE');
}

/** The registry after a case: the world's values with the case's writes applied. */
export function psState(log: string, initial: Record<string, string> = {}): Record<string, string> {
  const out = { ...initial };
  let text = '';
  try {
    text = readFileSync(log, 'utf8');
  } catch {
    return out;
  }
  for (const r of text.split('\x1e').filter(Boolean)) {
    const f = r.split('\x1f');
    if (f[0] === 'STATE') out[f[1] as string] = f[2] as string;
  }
  return out;
}

/** A job folder holding the component's attachments, for Start-Process to find. */
export function psJobFolder(files: Record<string, Uint8Array | string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rmmkit-psjob-'));
  mkdirSync(dir, { recursive: true });
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
  return dir;
}
