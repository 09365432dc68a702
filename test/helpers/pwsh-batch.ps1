# Test driver: runs many PowerShell cases in one pwsh process, as if each were its own
# `pwsh -NoProfile -NonInteractive -File SCRIPT`. Used by test/helpers/pwsh.ts only.
#
# Cases come as a JSON array in $CasesFile: { script: path, prelude: path or null, env: {NAME: value} }.
# Per case: the environment is reset to the one this process started with, then the case's variables
# are set; the prelude (mocks as functions, Pester-style) is dot-sourced into a fresh scope and the
# script is invoked in a child of it, so the mocks shadow cmdlets and vanish after the case. What the
# script writes to [Console]::Out and its host/output/warning records go to the case's stdout in the
# order written; error records and [Console]::Error to its stderr. One JSON line per case goes to
# $ResultsFile: {"out": ..., "err": ..., "code": N}.
param([string]$CasesFile, [string]$ResultsFile)

$utf8 = New-Object System.Text.UTF8Encoding $false
$cases = [IO.File]::ReadAllText($CasesFile, $utf8) | ConvertFrom-Json
$base = @{}
foreach ($e in [Environment]::GetEnvironmentVariables().GetEnumerator()) { $base[[string]$e.Key] = [string]$e.Value }
$realOut = [Console]::Out
$realErr = [Console]::Error
$results = New-Object System.Text.StringBuilder

foreach ($c in @($cases)) {
    foreach ($k in @([Environment]::GetEnvironmentVariables().Keys)) {
        if (-not $base.ContainsKey([string]$k)) { [Environment]::SetEnvironmentVariable([string]$k, $null) }
    }
    foreach ($k in $base.Keys) { [Environment]::SetEnvironmentVariable($k, $base[$k]) }
    if ($null -ne $c.env) {
        foreach ($p in $c.env.PSObject.Properties) { [Environment]::SetEnvironmentVariable($p.Name, [string]$p.Value) }
    }
    $out = New-Object System.IO.StringWriter
    $err = New-Object System.IO.StringWriter
    $code = 0
    [Console]::SetOut($out)
    [Console]::SetError($err)
    try {
        $global:LASTEXITCODE = 0
        $global:Error.Clear()
        & {
            param($s, $p)
            if ($p) { . $p }
            & $s
        } $c.script $c.prelude *>&1 | ForEach-Object {
            $r = $_
            if ($r -is [System.Management.Automation.InformationRecord]) {
                $m = $r.MessageData
                if ($m -is [System.Management.Automation.HostInformationMessage]) {
                    $out.Write([string]$m.Message)
                    if (-not $m.NoNewLine) { $out.Write("`n") }
                } else {
                    $out.Write([string]$m + "`n")
                }
            } elseif ($r -is [System.Management.Automation.ErrorRecord]) {
                $err.Write($r.ToString() + "`n")
            } elseif ($r -is [System.Management.Automation.WarningRecord]) {
                $out.Write('WARNING: ' + $r.Message + "`n")
            } elseif ($r -is [System.Management.Automation.VerboseRecord] -or $r -is [System.Management.Automation.DebugRecord]) {
                $out.Write($r.Message + "`n")
            } elseif ($r -is [string]) {
                $out.Write($r + "`n")
            } elseif ($null -ne $r) {
                $out.Write((($r | Out-String -Stream) -join "`n") + "`n")
            }
        }
        $code = $LASTEXITCODE
        if ($null -eq $code) { $code = 0 }
    } catch {
        # A terminating error ends `pwsh -File` with exit 1 and the error on stderr.
        $err.Write($_.ToString() + "`n")
        $code = 1
    } finally {
        [Console]::SetOut($realOut)
        [Console]::SetError($realErr)
    }
    $line = @{ out = $out.ToString(); err = $err.ToString(); code = [int]$code } | ConvertTo-Json -Compress
    [void]$results.Append($line).Append("`n")
}
[IO.File]::WriteAllText($ResultsFile, $results.ToString(), $utf8)
