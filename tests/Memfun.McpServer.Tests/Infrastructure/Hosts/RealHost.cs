using System.Diagnostics;

namespace Memfun.McpServer.Tests.Infrastructure.Hosts;

/// <summary>
/// The host programs nobody on this project wrote, installed from npm into <c>.tools/</c> by
/// <c>tools/install-node-tools.sh</c>, and one way to run them: with a throwaway HOME, an environment
/// holding nothing of this machine's user but PATH, and the variables <paramref name="environment"/> adds.
/// </summary>
public static class RealHost
{
    /// <summary>Claude Code 2.1.332 (a native binary the npm package installs).</summary>
    public static string ClaudeCode { get; } = Module("@anthropic-ai/claude-code/bin/claude.exe");

    /// <summary>Codex CLI 0.171.0 (its launcher; run with Node).</summary>
    public static string Codex { get; } = Module("@openai/codex/bin/codex.js");

    /// <summary>Gemini CLI 0.61.0 (run with Node).</summary>
    public static string Gemini { get; } = Module("@google/gemini-cli/bundle/gemini.js");

    private static string Module(string relative) => Path.Combine(NodeTools.Root, "node_modules", relative);

    /// <summary>
    /// Runs <paramref name="program"/> (with Node when it is a <c>.js</c> file) in <paramref name="workingDirectory"/>
    /// until it exits or <paramref name="deadline"/> passes (a failure guard: the process is killed).
    /// </summary>
    public static async Task<NodeRun> RunAsync(
        string program, IEnumerable<string> args, string home, string workingDirectory, IDictionary<string, string?> environment, TimeSpan deadline)
    {
        NodeTools.Require(program);
        var psi = new ProcessStartInfo(program.EndsWith(".js", StringComparison.Ordinal) ? NodeTools.Node : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        if (program.EndsWith(".js", StringComparison.Ordinal))
        {
            psi.ArgumentList.Add(program);
        }

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        // Nothing of the machine's user leaks in (no API keys, no config): only PATH (node first, dotnet for the
        // memfun child), the .NET root, a temp HOME, and the opt-outs every host and dotnet honour.
        psi.Environment.Clear();
        psi.Environment["PATH"] = Path.GetDirectoryName(NodeTools.Node) + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        foreach (var keep in (string[])["DOTNET_ROOT", "TMPDIR", "LANG"])
        {
            if (Environment.GetEnvironmentVariable(keep) is { } value)
            {
                psi.Environment[keep] = value;
            }
        }

        psi.Environment["HOME"] = home;
        psi.Environment["XDG_CONFIG_HOME"] = Path.Combine(home, ".config");
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DO_NOT_TRACK"] = "1";
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["CI"] = "1";
        psi.Environment["MEMFUN_HOME"] = Path.Combine(home, ".memfun-home");
        foreach (var (k, v) in environment)
        {
            psi.Environment[k] = v;
        }

        return await NodeTools.RunToEndAsync(psi, deadline);
    }
}
