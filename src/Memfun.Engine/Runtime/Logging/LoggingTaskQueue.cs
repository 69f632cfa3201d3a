using Memfun.Engine.Runtime.Abstractions;
using Microsoft.Extensions.Logging;

namespace Memfun.Engine.Runtime.Logging;

/// <summary>Logs task queue traffic at Debug (ids and kinds only; payloads never) and failures at Warning.</summary>
internal sealed partial class LoggingTaskQueue(ITaskQueue inner, ILogger logger) : DelegatingTaskQueue(inner)
{
    public override async ValueTask<string> EnqueueAsync(TaskRequest request, CancellationToken cancellationToken = default)
    {
        var id = await base.EnqueueAsync(request, cancellationToken).ConfigureAwait(false);
        LogEnqueued(request.Kind, id, request.Priority);
        return id;
    }

    public override async ValueTask<IReadOnlyList<TaskLease>> LeaseAsync(IReadOnlyList<string> kinds, int maxCount, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        var leases = await base.LeaseAsync(kinds, maxCount, wait, cancellationToken).ConfigureAwait(false);
        if (leases.Count > 0)
        {
            LogLeased(leases.Count, string.Join(",", kinds));
        }

        return leases;
    }

    public override async ValueTask<bool> AckAsync(TaskLease lease, CancellationToken cancellationToken = default)
    {
        var acked = await base.AckAsync(lease, cancellationToken).ConfigureAwait(false);
        if (!acked)
        {
            LogLateAck(lease.Kind, lease.Id);
        }

        return acked;
    }

    public override async ValueTask NackAsync(TaskLease lease, TimeSpan retryDelay, string? reason = null, CancellationToken cancellationToken = default)
    {
        await base.NackAsync(lease, retryDelay, reason, cancellationToken).ConfigureAwait(false);
        LogNacked(lease.Kind, lease.Id, lease.Attempt, retryDelay.TotalSeconds);
    }

    [LoggerMessage(2201, LogLevel.Debug, "Enqueued {Kind} task {TaskId} ({Priority})")]
    private partial void LogEnqueued(string kind, string taskId, TaskPriority priority);

    [LoggerMessage(2202, LogLevel.Debug, "Leased {Count} task(s) of {Kinds}")]
    private partial void LogLeased(int count, string kinds);

    [LoggerMessage(2203, LogLevel.Warning, "Ack of {Kind} task {TaskId} came after its lease expired; it may run again")]
    private partial void LogLateAck(string kind, string taskId);

    [LoggerMessage(2204, LogLevel.Debug, "Nacked {Kind} task {TaskId} on attempt {Attempt}, retry in {Seconds} s")]
    private partial void LogNacked(string kind, string taskId, int attempt, double seconds);
}
