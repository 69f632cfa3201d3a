namespace Memfun.Engine.Orchestration;

/// <summary>
/// Named places where a test can hold the process still, to kill it exactly there: with <c>MEMFUN_FAULT_PAUSE</c> set to a
/// point's name, the process writes <c>memfun: paused at fault point &lt;name&gt;</c> to stderr on reaching it and waits
/// until cancelled. Unset (always, outside tests), a point costs one comparison.
/// </summary>
/// <remarks>Points: <c>workflow.applied</c> (an operation was applied to the workspace, its journal entry not yet written).</remarks>
public static class FaultPoint
{
    private static readonly string? Armed = Environment.GetEnvironmentVariable("MEMFUN_FAULT_PAUSE");

    /// <summary>Holds the process at <paramref name="name"/> when that point is armed.</summary>
    public static async Task ReachAsync(string name, CancellationToken cancellationToken)
    {
        if (Armed is not null && string.Equals(Armed, name, StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync($"memfun: paused at fault point {name}").ConfigureAwait(false);
            await Console.Error.FlushAsync(cancellationToken).ConfigureAwait(false);
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
    }
}
