using System.Diagnostics;
using System.Text;

namespace Memfun.McpServer.Tests.Infrastructure;

/// <summary>
/// Node 22 and the npm tools the interop tests drive (conformance suite, MCP Inspector, the reference
/// filesystem server), installed in <c>.tools/</c> by <c>tools/install-node-tools.sh</c>.
/// </summary>
/// <remarks>
/// Every run gets a throwaway HOME and telemetry turned off, so nothing is written to the real home
/// and nothing leaves the machine. A missing install fails the test with what to run; it never skips.
/// </remarks>
public static class NodeTools
{
    public static string Root { get; } = System.IO.Path.Combine(RepoRoot.Path, ".tools");

    public static string Node { get; } = System.IO.Path.Combine(Root, "node", "bin", "node");

    /// <summary>The conformance CLI, newest served (0.2.0-alpha.12).</summary>
    public static string Conformance { get; } = Module("@modelcontextprotocol/conformance/dist/index.js");

    /// <summary>The conformance CLI 0.1.16 (the scenarios issue 2 names).</summary>
    public static string Conformance0116 { get; } = Module("conformance-0.1.16/dist/index.js");

    /// <summary>The MCP Inspector launcher (run with <c>--cli</c>).</summary>
    public static string Inspector { get; } = Module("@modelcontextprotocol/inspector/clients/launcher/build/index.js");

    /// <summary>The Node reference server <c>@modelcontextprotocol/server-filesystem</c>.</summary>
    public static string FilesystemServer { get; } = Module("@modelcontextprotocol/server-filesystem/dist/index.js");

    private static string Module(string relative) => System.IO.Path.Combine(Root, "node_modules", relative);

    /// <summary>Fails (with what to do) when a tool is not installed.</summary>
    public static void Require(params string[] paths)
    {
        foreach (var p in (string[])[Node, .. paths])
        {
            if (!File.Exists(p))
            {
                Assert.Fail($"The Node tools the interop tests need are not installed ('{p}' is missing). Run: bash tools/install-node-tools.sh (test.sh does it for you).");
            }
        }
    }

    /// <summary>Runs <c>node script args…</c> with a throwaway HOME; returns exit code and output.</summary>
    public static async Task<NodeRun> RunAsync(string script, IEnumerable<string> args, TimeSpan timeout, IDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        using var home = new TempWorkspace("memfun-home");
        var psi = new ProcessStartInfo(Node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? home.Path,
        };
        psi.ArgumentList.Add(script);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["HOME"] = home.Path;
        psi.Environment["XDG_CONFIG_HOME"] = System.IO.Path.Combine(home.Path, ".config");
        psi.Environment["DISABLE_TELEMETRY"] = "1";
        psi.Environment["DO_NOT_TRACK"] = "1";
        psi.Environment["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["FORCE_COLOR"] = "0";
        psi.Environment["npm_config_update_notifier"] = "false";
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>())
        {
            psi.Environment[k] = v;
        }

        return await RunToEndAsync(psi, timeout);
    }

    /// <summary>Starts <paramref name="psi"/> (all three streams redirected, stdin closed at once) and waits for its exit; past <paramref name="timeout"/> the process tree is killed and the run reports exit -1.</summary>
    public static async Task<NodeRun> RunToEndAsync(ProcessStartInfo psi, TimeSpan timeout)
    {
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new NodeRun(-1, stdout.ToString(), stderr + $"\n(killed after {timeout.TotalSeconds} s)");
        }

        process.WaitForExit();
        return new NodeRun(process.ExitCode, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>The outcome of a Node tool run.</summary>
public sealed record NodeRun(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}
