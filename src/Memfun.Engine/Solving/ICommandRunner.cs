namespace Memfun.Engine.Solving;

/// <summary>Runs shell commands in the workspace root with a timeout (linters, builds, the model's run operations).</summary>
/// <remarks>
/// Implementations kill the whole process tree on timeout or cancellation, and never pass secrets
/// (variables named like keys, tokens, passwords) to the child. Thread-safe.
/// </remarks>
public interface ICommandRunner
{
    /// <summary>Runs <paramref name="command"/> through the shell; output is stdout and stderr interleaved, tail-trimmed.</summary>
    Task<CommandOutcome> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>True when <paramref name="tool"/> is an executable on PATH.</summary>
    bool IsInstalled(string tool);
}

/// <summary>How a command ended.</summary>
/// <param name="ExitCode">The exit code (-1 when it timed out).</param>
/// <param name="Output">Combined output, the tail kept when long.</param>
/// <param name="TimedOut">True when it was killed at the timeout.</param>
public sealed record CommandOutcome(int ExitCode, string Output, bool TimedOut)
{
    /// <summary>Exit code 0 and no timeout.</summary>
    public bool Succeeded => ExitCode == 0 && !TimedOut;
}
