namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>A durable work queue per task kind: enqueue with priority and idempotency key, lease with a
/// visibility timeout, ack, nack with a retry delay, dead-letter after too many attempts.</summary>
/// <remarks>
/// <para>Delivery is at-least-once: a leased task that is neither acked nor nacked within
/// <see cref="TaskQueueOptions.VisibilityTimeout"/> (its worker died) is delivered again with
/// <see cref="TaskLease.Attempt"/> one higher. A task leased for the
/// <see cref="TaskQueueOptions.MaxAttempts"/>+1st time, or nacked on its last attempt, goes to the dead letters instead.</para>
/// <para>Within one kind, higher priority is leased first, then first-in first-out.</para>
/// <para>Two enqueues with the same kind and idempotency key produce one task (the same id) while the first is
/// remembered (SQLite: always; Redis: 24 h; NATS: the stream's duplicate window, 2 min).</para>
/// <para>Thread safety: every member may be called concurrently, from many processes on shared tiers.</para>
/// </remarks>
public interface ITaskQueue
{
    /// <summary>The queue's settings.</summary>
    TaskQueueOptions Options { get; }

    /// <summary>Adds a task; returns its id (the existing id when the idempotency key was seen before).</summary>
    ValueTask<string> EnqueueAsync(TaskRequest request, CancellationToken cancellationToken = default);

    /// <summary>Leases up to <paramref name="maxCount"/> ready tasks of the given kinds, waiting up to <paramref name="wait"/>
    /// for the first; returns an empty list when none came.</summary>
    ValueTask<IReadOnlyList<TaskLease>> LeaseAsync(IReadOnlyList<string> kinds, int maxCount, TimeSpan wait, CancellationToken cancellationToken = default);

    /// <summary>Marks the leased task done; returns <see langword="false"/> when the lease had already expired and the
    /// task may run again elsewhere.</summary>
    ValueTask<bool> AckAsync(TaskLease lease, CancellationToken cancellationToken = default);

    /// <summary>Gives the task back to run again after <paramref name="retryDelay"/> (or dead-letters it on its last attempt).</summary>
    ValueTask NackAsync(TaskLease lease, TimeSpan retryDelay, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Restarts the visibility timeout of a task that is still being worked on.</summary>
    ValueTask ExtendAsync(TaskLease lease, CancellationToken cancellationToken = default);

    /// <summary>The tasks of <paramref name="kind"/> that were given up on.</summary>
    IAsyncEnumerable<DeadTask> ListDeadAsync(string kind, CancellationToken cancellationToken = default);
}
