namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>An event bus that passes every call to an inner one; derive to add a cross-cutting concern.</summary>
public abstract class DelegatingEventBus(IEventBus inner) : IEventBus
{
    /// <summary>The wrapped bus.</summary>
    protected IEventBus Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc />
    public virtual bool IsDurable => Inner.IsDurable;

    /// <inheritdoc />
    public virtual ValueTask<long> PublishAsync(string topic, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        Inner.PublishAsync(topic, data, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<long> PublishAsync(string topic, ReadOnlyMemory<byte> data, string deduplicationId, CancellationToken cancellationToken = default) =>
        Inner.PublishAsync(topic, data, deduplicationId, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<IRuntimeSubscription<BusEvent>> SubscribeAsync(string pattern, SubscribeOptions? options = null, CancellationToken cancellationToken = default) =>
        Inner.SubscribeAsync(pattern, options, cancellationToken);
}
