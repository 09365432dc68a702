// Definitions of the components the policy examples and tests use, built with the landed .cpt layer.
// policies/components/*.cpt are these definitions packed; a test rebuilds them and compares bytes.
import { type ComponentDefinition, newComponent } from '../../lib/component/index.js';
import type { Component } from '../../lib/component/types.js';

/** The Bright status monitor of policies/bright-antivirus.policies.yaml (PowerShell 2.0 compatible). */
export const BRIGHT_STATUS_BODY = `# Bright Antivirus status monitor: healthy when BvAntiSrv.exe runs and the definitions are at most
# MaxAgeDays old. Prints one result block on every path; exit 1 raises the monitor's alert.
$maxAge = 7
if ($env:MaxAgeDays -match '^[0-9]+$') { $maxAge = [int]$env:MaxAgeDays }
$state = 'OK'
if (-not (Get-Process -Name 'BvAntiSrv' -ErrorAction SilentlyContinue)) {
    $state = 'Service not running'
} else {
    $cmd = Join-Path $env:ProgramFiles 'Bright Antivirus\\BvCmd.exe'
    $epoch = $null
    if (Test-Path $cmd) { $epoch = & $cmd --status 2>$null | Select-Object -First 1 }
    if ("$epoch" -notmatch '^[0-9]+$') {
        $state = 'Update status unknown'
    } else {
        $last = (New-Object DateTime 1970, 1, 1, 0, 0, 0, ([DateTimeKind]::Utc)).AddSeconds([double]$epoch)
        $age = ([DateTime]::UtcNow - $last).TotalDays
        if ($age -gt $maxAge) { $state = "Definitions $([int]$age) days old" }
    }
}
Write-Host '<-Start Result->'
Write-Host "Status=$state"
Write-Host '<-End Result->'
if ($state -ne 'OK') { exit 1 }
exit 0
`;

export const BRIGHT_STATUS: ComponentDefinition = {
  general: {
    name: 'Bright Antivirus Status [WIN]',
    category: 'monitors',
    description: 'Alerts when BvAntiSrv.exe is not running or the definitions are older than MaxAgeDays.',
    uid: '6f1c2a0e-5b7d-4c3e-9a41-2d8e7f6b1c35',
    hash: '',
    version: '1',
    timeout: '60',
    securityLevel: '1',
    installType: 'powershell',
  },
  variables: [
    {
      name: 'MaxAgeDays',
      type: 'string',
      direction: 'false',
      description: 'Oldest allowed definitions, in days',
      defaultVal: '7',
    },
    {
      name: 'Mode',
      type: 'map',
      direction: 'false',
      description: 'What to check',
      defaultVal: 'Everything',
      options: [
        { name: 'Everything', value: 'all' },
        { name: 'Service only', value: 'service' },
      ],
    },
    {
      name: 'Verbose',
      type: 'boolean',
      direction: 'false',
      description: 'Print a diagnostic block',
      defaultVal: 'false',
    },
  ],
  body: BRIGHT_STATUS_BODY,
};

export function brightStatus(): Component {
  return newComponent(BRIGHT_STATUS);
}

/** A component of category scripts: a component monitor may not run it. */
export function scriptsComponent(): Component {
  return newComponent({
    general: {
      ...BRIGHT_STATUS.general,
      name: 'Bright Antivirus Quick Scan [WIN]',
      category: 'scripts',
      uid: '0b6a4e1f-2c3d-4e5f-8a9b-0c1d2e3f4a5b',
    },
    body: "Write-Host 'scan'\n",
  });
}
