namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>How a subscription starts.</summary>
/// <param name="From">Replay from this sequence, inclusive (0 = from the beginning); <see langword="null"/> (the default)
/// delivers only events published after the subscription starts. Only durable tiers accept a value.</param>
/// <param name="BufferCapacity">Events buffered for a slow reader before the tier waits for it (default 10,000).</param>
public sealed record SubscribeOptions(long? From = null, int BufferCapacity = 10_000)
{
    /// <summary>New events only.</summary>
    public static SubscribeOptions Default { get; } = new();
}
