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

# The driver's own variables live in this block's scope (a -File script's scope is the global one, which
# is cleaned after every case) and carry a prefix no script under test uses.
& {

    $__rb_utf8 = New-Object System.Text.UTF8Encoding $false
    $__rb_cases = [IO.File]::ReadAllText($CasesFile, $__rb_utf8) | ConvertFrom-Json
    $__rb_base = @{}
    foreach ($__rb_e in [Environment]::GetEnvironmentVariables().GetEnumerator()) { $__rb_base[[string]$__rb_e.Key] = [string]$__rb_e.Value }
    # What exists globally before any case: a case's own globals and global functions are removed after it.
    $__rb_baseVars = @{}
    foreach ($__rb_v in Get-Variable -Scope Global) { $__rb_baseVars[$__rb_v.Name] = $true }
    $__rb_baseFns = @{}
    foreach ($__rb_f in Get-ChildItem function:) { $__rb_baseFns[$__rb_f.Name] = $true }
    $__rb_realOut = [Console]::Out
    $__rb_realErr = [Console]::Error
    $__rb_results = New-Object System.Text.StringBuilder

    foreach ($__rb_c in @($__rb_cases)) {
        foreach ($__rb_k in @([Environment]::GetEnvironmentVariables().Keys)) {
            if (-not $__rb_base.ContainsKey([string]$__rb_k)) { [Environment]::SetEnvironmentVariable([string]$__rb_k, $null) }
        }
        foreach ($__rb_k in $__rb_base.Keys) { [Environment]::SetEnvironmentVariable($__rb_k, $__rb_base[$__rb_k]) }
        if ($null -ne $__rb_c.env) {
            foreach ($__rb_p in $__rb_c.env.PSObject.Properties) { [Environment]::SetEnvironmentVariable($__rb_p.Name, [string]$__rb_p.Value) }
        }
        $__rb_out = New-Object System.IO.StringWriter
        $__rb_err = New-Object System.IO.StringWriter
        $__rb_code = 0
        [Console]::SetOut($__rb_out)
        [Console]::SetError($__rb_err)
        try {
            $global:LASTEXITCODE = 0
            $global:Error.Clear()
            & {
                param($s, $__rb_p)
                if ($__rb_p) { . $__rb_p }
                & $s
            } $__rb_c.script $__rb_c.prelude *>&1 | ForEach-Object {
                $__rb_r = $_
                if ($__rb_r -is [System.Management.Automation.InformationRecord]) {
                    $__rb_m = $__rb_r.MessageData
                    if ($__rb_m -is [System.Management.Automation.HostInformationMessage]) {
                        $__rb_out.Write([string]$__rb_m.Message)
                        if (-not $__rb_m.NoNewLine) { $__rb_out.Write("`n") }
                    } else {
                        $__rb_out.Write([string]$__rb_m + "`n")
                    }
                } elseif ($__rb_r -is [System.Management.Automation.ErrorRecord]) {
                    $__rb_err.Write($__rb_r.ToString() + "`n")
                } elseif ($__rb_r -is [System.Management.Automation.WarningRecord]) {
                    $__rb_out.Write('WARNING: ' + $__rb_r.Message + "`n")
                } elseif ($__rb_r -is [System.Management.Automation.VerboseRecord] -or $__rb_r -is [System.Management.Automation.DebugRecord]) {
                    $__rb_out.Write($__rb_r.Message + "`n")
                } elseif ($__rb_r -is [string]) {
                    $__rb_out.Write($__rb_r + "`n")
                } elseif ($null -ne $__rb_r) {
                    $__rb_out.Write((($__rb_r | Out-String -Stream) -join "`n") + "`n")
                }
            }
            $__rb_code = $LASTEXITCODE
            if ($null -eq $__rb_code) { $__rb_code = 0 }
        } catch {
            # A terminating error ends `pwsh -File` with exit 1 and the error on stderr.
            $__rb_err.Write($_.ToString() + "`n")
            $__rb_code = 1
        } finally {
            [Console]::SetOut($__rb_realOut)
            [Console]::SetError($__rb_realErr)
        }
        foreach ($__rb_v in @(Get-Variable -Scope Global)) {
            if (-not $__rb_baseVars.ContainsKey($__rb_v.Name)) { Remove-Variable -Name $__rb_v.Name -Scope Global -Force -ErrorAction SilentlyContinue }
        }
        foreach ($__rb_f in @(Get-ChildItem function:)) {
            if (-not $__rb_baseFns.ContainsKey($__rb_f.Name)) { Remove-Item -LiteralPath ('function:' + $__rb_f.Name) -Force -ErrorAction SilentlyContinue }
        }
        $__rb_line = @{ out = $__rb_out.ToString(); err = $__rb_err.ToString(); code = [int]$__rb_code } | ConvertTo-Json -Compress
        [void]$__rb_results.Append($__rb_line).Append("`n")
    }
    [IO.File]::WriteAllText($ResultsFile, $__rb_results.ToString(), $__rb_utf8)
}
