namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>A task queue that passes every call to an inner one; derive to add a cross-cutting concern (logging,
/// tracing, limits) without touching the tiers.</summary>
public abstract class DelegatingTaskQueue(ITaskQueue inner) : ITaskQueue
{
    /// <summary>The wrapped queue.</summary>
    protected ITaskQueue Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc />
    public virtual TaskQueueOptions Options => Inner.Options;

    /// <inheritdoc />
    public virtual ValueTask<string> EnqueueAsync(TaskRequest request, CancellationToken cancellationToken = default) => Inner.EnqueueAsync(request, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<IReadOnlyList<TaskLease>> LeaseAsync(IReadOnlyList<string> kinds, int maxCount, TimeSpan wait, CancellationToken cancellationToken = default) =>
        Inner.LeaseAsync(kinds, maxCount, wait, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<bool> AckAsync(TaskLease lease, CancellationToken cancellationToken = default) => Inner.AckAsync(lease, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask NackAsync(TaskLease lease, TimeSpan retryDelay, string? reason = null, CancellationToken cancellationToken = default) =>
        Inner.NackAsync(lease, retryDelay, reason, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask ExtendAsync(TaskLease lease, CancellationToken cancellationToken = default) => Inner.ExtendAsync(lease, cancellationToken);

    /// <inheritdoc />
    public virtual IAsyncEnumerable<DeadTask> ListDeadAsync(string kind, CancellationToken cancellationToken = default) => Inner.ListDeadAsync(kind, cancellationToken);
}
