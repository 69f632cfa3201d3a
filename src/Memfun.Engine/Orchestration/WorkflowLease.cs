namespace Memfun.Engine.Orchestration;

/// <summary>
/// This process's lease on a workflow while it coordinates it: taken at start, renewed every third of
/// <see cref="WorkflowStore.LeaseDuration"/>, given up on dispose. <see cref="Lost"/> is cancelled if another coordinator
/// took the workflow over (this one was cut off from the store for longer than the lease).
/// </summary>
public sealed class WorkflowLease : IAsyncDisposable
{
    private readonly WorkflowStore _store;
    private readonly string _workflowId;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;

    private WorkflowLease(WorkflowStore store, string workflowId, long revision)
    {
        _store = store;
        _workflowId = workflowId;
        _renewing = RenewAsync(revision);
    }

    /// <summary>Cancelled when the lease is lost.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Takes the lease of <paramref name="workflowId"/>, or says who holds it.</summary>
    public static async Task<(WorkflowLease? Lease, WorkflowOwner? Holder)> TryTakeAsync(WorkflowStore store, string workflowId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var (revision, holder) = await store.TryTakeLeaseAsync(workflowId, cancellationToken).ConfigureAwait(false);
        return revision is { } r ? (new WorkflowLease(store, workflowId, r), null) : (null, holder);
    }

    private async Task RenewAsync(long revision)
    {
        var period = _store.LeaseDuration / 3;
        try
        {
            while (true)
            {
                await Task.Delay(period, _stop.Token).ConfigureAwait(false);
                try
                {
                    if (await _store.RenewLeaseAsync(_workflowId, revision, _stop.Token).ConfigureAwait(false) is not { } next)
                    {
                        await _lost.CancelAsync().ConfigureAwait(false);
                        return;
                    }

                    revision = next;
                }
#pragma warning disable CA1031 // Any failure to reach the store is retried; only a lost lease stops the workflow.
                catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    // The store is unreachable for now: the next period tries again; the lease lapses only after its full duration.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewing.ConfigureAwait(false);
        if (!_lost.IsCancellationRequested)
        {
            try
            {
                await _store.ReleaseLeaseAsync(_workflowId, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Releasing is a courtesy: an unreachable store lets the lease lapse.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                // Unreachable store: the lease lapses on its own.
            }
        }

        _stop.Dispose();
        _lost.Dispose();
    }
}
