namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>A task that was given up on after <see cref="TaskQueueOptions.MaxAttempts"/> deliveries.</summary>
public sealed record DeadTask(string Id, string Kind, ReadOnlyMemory<byte> Payload, int Attempts, string? Reason, DateTimeOffset DeadAt);
