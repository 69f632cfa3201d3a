using System.Globalization;
using System.Text;
using Memfun.Tools.Workspace;

namespace Memfun.Tools.Shell;

/// <summary>
/// Runs <c>run_cmd</c>: a shell command line under <c>/bin/bash -c</c> in the workspace (or a folder
/// of it), through <see cref="ProcessRunner"/> with its limits.
/// </summary>
/// <remarks>
/// Thread-safe. Timeout default <see cref="DefaultTimeoutSeconds"/>, at most <see cref="MaxTimeoutSeconds"/>;
/// output capped at <see cref="MaxOutputChars"/> characters, keeping the tail. Pagers are disabled
/// and git never prompts. The command is untrusted input that runs with the server's rights inside
/// the workspace folder: confinement of the working directory is not a sandbox.
/// </remarks>
internal sealed class CommandRunner(PathGuard guard, ProcessRunner runner)
{
    public const int DefaultTimeoutSeconds = 30;
    public const int MaxTimeoutSeconds = 600;
    public const int MaxOutputChars = 30_000;

    private static readonly string Shell = File.Exists("/bin/bash") ? "/bin/bash" : "/bin/sh";

    private static readonly Dictionary<string, string?> Quiet = new(StringComparer.Ordinal)
    {
        ["PAGER"] = "cat",
        ["GIT_PAGER"] = "cat",
        ["GIT_TERMINAL_PROMPT"] = "0",
    };

    public async Task<RunCommandResult> RunAsync(string command, string? cwd, int? timeoutSeconds, IProgress<ProcessProgress>? progress, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(command))
        {
            throw new MemfunToolException("command is empty. Pass a shell command line such as 'dotnet build' or 'ls -la src'.");
        }

        var seconds = timeoutSeconds ?? DefaultTimeoutSeconds;
        if (seconds < 1 || seconds > MaxTimeoutSeconds)
        {
            throw new MemfunToolException($"timeout_seconds must be between 1 and {MaxTimeoutSeconds}; got {seconds}.");
        }

        var dir = guard.Resolve(cwd);
        if (!Directory.Exists(dir))
        {
            throw new MemfunToolException($"cwd '{cwd}' is not an existing folder of the workspace. Pass a folder relative to the workspace root, or omit cwd.");
        }

        var result = await runner.RunAsync(
            new ProcessRunOptions(Shell)
            {
                Arguments = ["-c", command],
                WorkingDirectory = dir,
                Environment = Quiet,
                Timeout = TimeSpan.FromSeconds(seconds),
                MaxOutputChars = MaxOutputChars,
            },
            progress,
            cancellationToken).ConfigureAwait(false);

        var rel = guard.Display(dir);
        return new RunCommandResult(command, rel.Length == 0 ? "." : rel, result.ExitCode, result.Output, result.TimedOut, result.OmittedChars, result.OutputLines, Math.Round(result.Elapsed.TotalSeconds, 3));
    }

    /// <summary>The readable text of a result: the output, then one status line.</summary>
    public static string Describe(RunCommandResult r, int? timeoutSeconds)
    {
        var sb = new StringBuilder();
        if (r.OmittedChars > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"[… {r.OmittedChars} earlier characters of output cut; showing the last {r.Output.Length}]\n");
        }

        sb.Append(r.Output);
        if (r.Output.Length > 0 && !r.Output.EndsWith('\n'))
        {
            sb.Append('\n');
        }

        if (r.TimedOut)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"[timed out after {timeoutSeconds ?? DefaultTimeoutSeconds} s: the command and every process it started were killed. Pass a larger timeout_seconds (at most {MaxTimeoutSeconds}) or run less at once.]");
        }
        else
        {
            sb.Append(CultureInfo.InvariantCulture, $"[exit code {r.ExitCode} · {r.ElapsedSeconds:0.###} s · {r.OutputLines} lines of output · cwd {r.Cwd}]");
        }

        return sb.ToString();
    }
}
