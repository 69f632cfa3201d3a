namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>A live stream of items (events, state changes) that is already listening when returned.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <remarks>Read it from one consumer at a time. Disposing stops delivery and ends <see cref="ReadAllAsync"/>.</remarks>
public interface IRuntimeSubscription<T> : IAsyncDisposable
{
    /// <summary>Yields items in order until the subscription is disposed or <paramref name="cancellationToken"/> fires.</summary>
    IAsyncEnumerable<T> ReadAllAsync(CancellationToken cancellationToken = default);
}
