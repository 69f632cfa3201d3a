namespace Memfun.Tools.Shell;

/// <summary>How a process run by <see cref="ProcessRunner"/> ended.</summary>
/// <param name="ExitCode">The exit code (128 + signal when killed by a signal).</param>
/// <param name="Output">Standard output (with standard error when merged), capped.</param>
/// <param name="StandardError">Standard error when not merged, capped; empty otherwise.</param>
/// <param name="TimedOut">True when the timeout killed the process tree.</param>
/// <param name="OmittedChars">Characters of output dropped by the cap.</param>
/// <param name="OutputLines">Lines of output seen in total (including dropped ones).</param>
/// <param name="Elapsed">Wall time from start to the end of output.</param>
public sealed record ProcessRunResult(int ExitCode, string Output, string StandardError, bool TimedOut, long OmittedChars, long OutputLines, TimeSpan Elapsed);
