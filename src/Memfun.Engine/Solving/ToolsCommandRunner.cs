using Memfun.Tools.Shell;
using Memfun.Tools.Workspace;

namespace Memfun.Engine.Solving;

/// <summary>
/// The <see cref="ICommandRunner"/> on the shell tool: <c>/bin/sh -c</c> (or <c>cmd /c</c>) in the workspace root
/// through <see cref="ProcessRunner"/>, which kills the whole process group on timeout or cancellation and scrubs
/// secrets from the child's environment (<see cref="EnvironmentScrubber"/>).
/// </summary>
/// <remarks>Thread-safe. Output is stdout and stderr merged, the tail kept (16 000 characters).</remarks>
internal sealed class ToolsCommandRunner(ProcessRunner runner, PathGuard guard) : ICommandRunner
{
    private const int MaxOutput = 16_000;

    private static readonly Dictionary<string, string?> QuietEnvironment = new(StringComparer.Ordinal)
    {
        ["PYTHONDONTWRITEBYTECODE"] = "1",
        ["NO_COLOR"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    public async Task<CommandOutcome> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        var options = OperatingSystem.IsWindows()
            ? new ProcessRunOptions("cmd.exe") { Arguments = ["/c", command] }
            : new ProcessRunOptions("/bin/sh") { Arguments = ["-c", command] };
        options = options with
        {
            WorkingDirectory = guard.Root,
            Environment = QuietEnvironment,
            Timeout = timeout,
            MaxOutputChars = MaxOutput,
            KeepTail = true,
            MergeStandardError = true,
        };

        var result = await runner.RunAsync(options, null, cancellationToken).ConfigureAwait(false);
        var text = result.OmittedChars > 0 ? "…" + result.Output : result.Output;
        if (result.TimedOut)
        {
            text += $"\n[killed after {timeout.TotalSeconds:0.#} s]";
        }

        return new CommandOutcome(result.TimedOut ? -1 : result.ExitCode, text, result.TimedOut);
    }

    public bool IsInstalled(string tool)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate) || (OperatingSystem.IsWindows() && File.Exists(candidate + ".exe")))
            {
                return true;
            }
        }

        return false;
    }
}
