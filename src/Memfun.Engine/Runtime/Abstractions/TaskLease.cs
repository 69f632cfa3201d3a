using System.Text;

namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>A leased task: run it, then ack or nack it before the visibility timeout (or extend it).</summary>
/// <param name="Id">The task id (stable across redeliveries).</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Payload">Its input.</param>
/// <param name="Priority">Its priority.</param>
/// <param name="Attempt">1 on first delivery, one more on each redelivery.</param>
/// <param name="EnqueuedAt">When it was first enqueued.</param>
public sealed record TaskLease(string Id, string Kind, ReadOnlyMemory<byte> Payload, TaskPriority Priority, int Attempt, DateTimeOffset EnqueuedAt)
{
    /// <summary>The payload decoded as UTF-8.</summary>
    public string Text => Encoding.UTF8.GetString(Payload.Span);

    /// <summary>The tier's handle for this delivery (message, lease token); opaque to callers.</summary>
    internal object? Handle { get; init; }
}
