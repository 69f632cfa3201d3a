using System.Text;

namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>A task to enqueue.</summary>
/// <param name="Kind">What to do; also the queue it waits in. Letters, digits, <c>-</c> and <c>_</c>, up to 64.</param>
/// <param name="Payload">The handler's input (JSON by convention).</param>
/// <param name="Priority">Leased before lower priorities of the same kind.</param>
/// <param name="IdempotencyKey">Enqueues with the same kind and key make one task.</param>
public sealed record TaskRequest(string Kind, ReadOnlyMemory<byte> Payload, TaskPriority Priority = TaskPriority.Normal, string? IdempotencyKey = null)
{
    /// <summary>A request with a UTF-8 text payload.</summary>
    public static TaskRequest FromText(string kind, string payload, TaskPriority priority = TaskPriority.Normal, string? idempotencyKey = null) =>
        new(kind, Encoding.UTF8.GetBytes(payload), priority, idempotencyKey);
}
