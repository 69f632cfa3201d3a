namespace Memfun.Engine.Runtime;

/// <summary>A doorbell: <see cref="WaitAsync"/> returns when <see cref="Ring"/> is called or the timeout passes.</summary>
/// <remarks>Used by the polling tiers so that waiters in the same process wake at once instead of at the next poll.</remarks>
internal sealed class Doorbell
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _armed;

    /// <summary>Wakes the waiters; costs nothing when nobody took <see cref="Next"/> since the last ring.</summary>
    public void Ring()
    {
        if (Interlocked.Exchange(ref _armed, 0) == 1)
        {
            Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    /// <summary>The task that completes on the next ring; take it before checking for work, then wait on it.</summary>
    public Task Next
    {
        get
        {
            var task = Volatile.Read(ref _next).Task;
            Volatile.Write(ref _armed, 1);
            return task;
        }
    }

    public static async Task WaitAsync(Task next, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (next.IsCompleted)
        {
            return;
        }

        await Task.WhenAny(next, Task.Delay(timeout, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
