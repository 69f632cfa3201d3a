namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>The outcome of a sandboxed run.</summary>
/// <param name="ExitCode">The process's exit code (-1 when it was killed).</param>
/// <param name="StandardOutput">Its stdout, up to the limit.</param>
/// <param name="StandardError">Its stderr, up to the limit.</param>
/// <param name="TimedOut">Whether it was killed for exceeding the time limit.</param>
/// <param name="OutputTruncated">Whether output beyond the limit was dropped.</param>
/// <param name="Duration">Wall-clock time.</param>
public sealed record SandboxResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut, bool OutputTruncated, TimeSpan Duration);
