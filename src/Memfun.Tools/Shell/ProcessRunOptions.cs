namespace Memfun.Tools.Shell;

/// <summary>What <see cref="ProcessRunner"/> runs and under which limits.</summary>
/// <remarks>
/// Immutable; start from <see cref="ProcessRunOptions(string)"/> and set what differs with <c>with</c>/<c>init</c>.
/// Defaults: 30 s timeout, 30,000 characters of output keeping the tail, standard error merged into
/// standard output, the server's environment with secrets removed (<see cref="EnvironmentScrubber"/>),
/// standard input closed, the child confined (<see cref="ChildConfinement"/>).
/// </remarks>
/// <param name="FileName">The program to run (a path, or a name found on PATH).</param>
public sealed record ProcessRunOptions(string FileName)
{
    /// <summary>Arguments, passed as they are (no shell parsing).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The working directory; null means the current directory. Callers confine it (PathGuard).</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables to set (or, with a null value, remove) after scrubbing.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <summary>Remove credentials from the inherited environment (default true).</summary>
    public bool ScrubEnvironment { get; init; } = true;

    /// <summary>When the whole process tree is killed. Default 30 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Characters of output kept; the rest is counted and dropped. Default 30,000.</summary>
    public int MaxOutputChars { get; init; } = 30_000;

    /// <summary>Keep the end of long output (default) or its beginning.</summary>
    public bool KeepTail { get; init; } = true;

    /// <summary>Send standard error into the standard output stream, interleaved as written (default true).</summary>
    public bool MergeStandardError { get; init; } = true;

    /// <summary>
    /// Start the child confined (<see cref="ChildConfinement"/>: its own PID namespace, without the capabilities
    /// that reach the server), where bubblewrap works. Default true.
    /// </summary>
    public bool Confine { get; init; } = true;

    /// <summary>Text written to standard input before it is closed; null closes it at once (like /dev/null).</summary>
    public string? StandardInput { get; init; }
}
