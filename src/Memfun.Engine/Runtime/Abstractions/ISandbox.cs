namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>Runs a command or a script under limits (time, output size, working directory, environment).</summary>
/// <remarks>The local backend runs a child process; container backends implement the same contract. A run that
/// exceeds its time limit is killed (with its process tree) and reported with <see cref="SandboxResult.TimedOut"/>;
/// output beyond the limit is dropped and reported with <see cref="SandboxResult.OutputTruncated"/>.</remarks>
public interface ISandbox
{
    /// <summary>Runs <paramref name="request"/> to completion (or its limits) and returns what it did.</summary>
    ValueTask<SandboxResult> RunAsync(SandboxRequest request, CancellationToken cancellationToken = default);
}
