namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>Settings of a task queue, shared by every process using it.</summary>
/// <remarks>On NATS the visibility timeout is the consumer's ack-wait, set by the first process that opens the kind.</remarks>
public sealed record TaskQueueOptions
{
    /// <summary>How long a lease lasts without ack, nack or extend before the task is delivered again. Default 30 s.</summary>
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Deliveries before a task is dead-lettered. Default 5; at least 1.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The defaults.</summary>
    public static TaskQueueOptions Default { get; } = new();
}
