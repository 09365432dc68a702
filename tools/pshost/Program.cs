// pshost: runs a PowerShell script in an in-process runspace of the PowerShell engine and exits with
// the script's exit code. Used by rmmkit's tests where no pwsh binary can be installed.
//
//   pshost SCRIPT.ps1                 run once with the process environment; stdout = what the script
//                                     printed ([Console]::Out and pipeline output); exit code = `exit N`
//   pshost --batch SCRIPT.ps1 < in    run once per input line; each line is a JSON object of
//                                     environment variables (null or "" = unset); prints one JSON line
//                                     {"out": "...", "err": "...", "code": N} per input line
//   pshost --prelude P.ps1 ...        dot-source P.ps1 first in the same scope (test mocks); in batch
//                                     mode a line's "__prelude" key names that run's prelude instead
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;
using System.Text.Json;

internal static class Program
{
    private static int Main(string[] args)
    {
        var batch = false;
        string? prelude = null;
        string? script = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--batch") batch = true;
            else if (args[i] == "--prelude" && i + 1 < args.Length) prelude = args[++i];
            else if (script == null) script = args[i];
            else { Console.Error.WriteLine("pshost: unexpected argument " + args[i]); return 64; }
        }
        if (script == null)
        {
            Console.Error.WriteLine("usage: pshost [--prelude MOCKS.ps1] [--batch] SCRIPT.ps1");
            return 64;
        }
        script = Path.GetFullPath(script);
        if (prelude != null) prelude = Path.GetFullPath(prelude);

        var iss = InitialSessionState.CreateDefault2();
        using var runspace = RunspaceFactory.CreateRunspace(iss);
        runspace.Open();

        if (!batch)
        {
            var stdout = Console.Out;
            var r = RunOnce(runspace, script, prelude, stdout);
            stdout.Flush();
            if (r.Error.Length > 0) Console.Error.Write(r.Error);
            return r.Code;
        }

        var realOut = Console.Out;
        var realErr = Console.Error;
        string? line;
        var stdin = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
        var set = new List<string>();
        while ((line = stdin.ReadLine()) != null)
        {
            if (line.Trim().Length == 0) continue;
            foreach (var name in set) Environment.SetEnvironmentVariable(name, null);
            set.Clear();
            var linePrelude = prelude;
            using (var doc = JsonDocument.Parse(line))
            {
                foreach (var p in doc.RootElement.EnumerateObject())
                {
                    if (p.Name == "__prelude")
                    {
                        linePrelude = Path.GetFullPath(p.Value.GetString() ?? "");
                        continue;
                    }
                    var v = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null;
                    Environment.SetEnvironmentVariable(p.Name, string.IsNullOrEmpty(v) ? null : v);
                    set.Add(p.Name);
                }
            }
            var buffer = new StringWriter();
            // [Console]::Error writes bypass PowerShell's error stream: capture them per run too, so
            // a test's "nothing on stderr" sees them.
            var errBuffer = new StringWriter();
            Console.SetOut(buffer);
            Console.SetError(errBuffer);
            Result res;
            try { res = RunOnce(runspace, script, linePrelude, buffer); }
            finally { Console.SetOut(realOut); Console.SetError(realErr); }
            realOut.Write(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["out"] = buffer.ToString(),
                ["err"] = errBuffer.ToString() + res.Error,
                ["code"] = res.Code,
            }));
            realOut.Write('\n');
        }
        realOut.Flush();
        return 0;
    }

    private readonly record struct Result(int Code, string Error);

    private static Result RunOnce(Runspace runspace, string script, string? prelude, TextWriter output)
    {
        var err = new StringBuilder();
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        // A fresh child scope per run: `& { . prelude; & script }` keeps mocks visible to the script
        // and keeps one run's variables out of the next.
        var text = prelude == null
            ? "$global:LASTEXITCODE = 0; & $args[0]"
            : "$global:LASTEXITCODE = 0; & { param($s, $p) . $p; & $s } $args[0] $args[1]";
        ps.AddScript(text).AddArgument(script);
        if (prelude != null) ps.AddArgument(prelude);
        Collection<PSObject> results;
        try
        {
            results = ps.Invoke();
        }
        catch (RuntimeException e)
        {
            err.Append(e.ErrorRecord?.ToString() ?? e.Message).Append('\n');
            return new Result(1, err.ToString());
        }
        foreach (var o in results)
        {
            if (o != null) output.Write(o.ToString() + "\n");
        }
        foreach (var e in ps.Streams.Error) err.Append(e.ToString()).Append('\n');
        var code = 0;
        var last = runspace.SessionStateProxy.GetVariable("LASTEXITCODE");
        if (last is int n) code = n;
        else if (ps.HadErrors && ps.Streams.Error.Count > 0) code = 1;
        output.Flush();
        return new Result(code, err.ToString());
    }
}
