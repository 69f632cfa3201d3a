using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Memfun.Engine.Solving;

/// <summary>Settings of the context-first solver.</summary>
/// <remarks>
/// Keys: <c>[verify] command = "…"</c> or <c>commands = ["…", "…"]</c> replace the detected linters/builds;
/// <c>[verify] timeout_seconds</c> (default 180) bounds each check and each run operation;
/// <c>[solver] small_workspace_bytes</c> (default 200 000: smaller workspaces are read whole, with no planner
/// call), <c>[solver] max_fix_cycles</c> (default 2), <c>[solver] max_context_chars</c> (default 400 000).
/// <c>workspace:trusted = false</c> (set by the host from the user's trust list, never by a file) turns every check off:
/// linters, builds and <c>[verify]</c> commands run the project's own code.
/// </remarks>
public sealed class SolverOptions
{
    /// <summary>Commands that replace detection when set.</summary>
    public IReadOnlyList<string> VerifyCommands { get; set; } = [];

    /// <summary>
    /// Whether checks run at all. Default true; false in a workspace the user has not trusted, because every check runs
    /// project code (<c>node_modules/.bin/eslint</c>, an MSBuild target, a <c>build.rs</c>, a Makefile, a <c>[verify]</c>
    /// command). When false, each verification records a note saying so instead of running anything.
    /// </summary>
    public bool RunProjectChecks { get; set; } = true;

    /// <summary>Time limit of one check or run operation; default 180 s.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(180);

    /// <summary>Workspaces with less text than this are read whole; default 200 000 bytes.</summary>
    public long SmallWorkspaceBytes { get; set; } = 200_000;

    /// <summary>Fix cycles after a failed verification; default 2.</summary>
    public int MaxFixCycles { get; set; } = 2;

    /// <summary>Upper bound of the gathered context; default 400 000 characters.</summary>
    public int MaxContextChars { get; set; } = 400_000;

    /// <summary>Reads the options from the configuration root.</summary>
    public static SolverOptions FromConfiguration(IConfiguration? config)
    {
        var o = new SolverOptions();
        if (config is null)
        {
            return o;
        }

        var commands = new List<string>();
        if (config["verify:command"] is { Length: > 0 } one)
        {
            commands.Add(one);
        }

        commands.AddRange(config.GetSection("verify:commands").GetChildren().Select(c => c.Value).OfType<string>().Where(v => v.Length > 0));
        o.VerifyCommands = commands;
        o.RunProjectChecks = !string.Equals(config[Trust.WorkspaceTrustStore.ConfigurationKey], "false", StringComparison.OrdinalIgnoreCase);
        if (Number(config, "verify:timeout_seconds") is { } t)
        {
            o.CommandTimeout = TimeSpan.FromSeconds(t);
        }

        o.SmallWorkspaceBytes = (long)(Number(config, "solver:small_workspace_bytes") ?? o.SmallWorkspaceBytes);
        o.MaxFixCycles = (int)(Number(config, "solver:max_fix_cycles") ?? o.MaxFixCycles);
        o.MaxContextChars = (int)(Number(config, "solver:max_context_chars") ?? o.MaxContextChars);
        return o;
    }

    private static double? Number(IConfiguration config, string key)
    {
        var raw = config[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0
            ? v
            : throw new Memfun.Tools.MemfunToolException($"The setting {key.Replace(':', '.')} = '{raw}' is not a non-negative number.");
    }
}
