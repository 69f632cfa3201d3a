namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>Publish/subscribe on hierarchical, dot-separated topics (<c>task.echo.completed</c>).</summary>
/// <remarks>
/// <para>Patterns: <c>*</c> matches exactly one segment, <c>&gt;</c> (or <c>**</c>) as the last segment
/// matches one or more trailing segments; anything else matches literally. Topic segments are
/// letters, digits, <c>-</c> and <c>_</c>; bad topics are refused with <see cref="ArgumentException"/>.</para>
/// <para>Ordering: each subscription sees events in publish order (per publisher; on durable tiers in
/// the stream's total order). Delivery is at-least-once on durable tiers after a server restart.</para>
/// <para>Durable tiers (SQLite, Redis, NATS) keep events and can replay them from a
/// <see cref="BusEvent.Sequence"/>; the in-process tier keeps nothing and refuses replay.</para>
/// <para>Thread safety: every member may be called concurrently.</para>
/// </remarks>
public interface IEventBus
{
    /// <summary>Whether events are kept and can be replayed with <see cref="SubscribeOptions.From"/>.</summary>
    bool IsDurable { get; }

    /// <summary>Publishes <paramref name="data"/> on <paramref name="topic"/>; completes once the tier has accepted it
    /// (written durably on durable tiers).</summary>
    /// <returns>The event's sequence number: increasing, usable with <see cref="SubscribeOptions.From"/>.</returns>
    ValueTask<long> PublishAsync(string topic, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>Publishes <paramref name="data"/> on <paramref name="topic"/> at most once for
    /// <paramref name="deduplicationId"/>: a second publish with the same id (a retry whose first reply was lost when
    /// the server died, or a second announcer) is not stored again within the tier's deduplication window (two minutes
    /// on Redis and NATS), and returns the first one's sequence.</summary>
    /// <remarks>Tiers whose writes cannot be lost after they are applied (in-process, SQLite in this process) may
    /// publish as usual.</remarks>
    ValueTask<long> PublishAsync(string topic, ReadOnlyMemory<byte> data, string deduplicationId, CancellationToken cancellationToken = default) =>
        PublishAsync(topic, data, cancellationToken);

    /// <summary>Starts a subscription to the topics matching <paramref name="pattern"/>.</summary>
    /// <remarks>Events published after this call completes are delivered. Dispose the subscription to stop it.</remarks>
    ValueTask<IRuntimeSubscription<BusEvent>> SubscribeAsync(string pattern, SubscribeOptions? options = null, CancellationToken cancellationToken = default);
}
