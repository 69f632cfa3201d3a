using Memfun.Engine.Runtime.Abstractions;

namespace Memfun.Engine.Runtime;

/// <summary>One tier's connection: the bus, the task queue, and a state store per area; the other protocols are
/// built on those (<see cref="Stored"/>).</summary>
/// <remarks>Areas are short names (<c>state</c>, <c>agents</c>, <c>sessions</c>, <c>knowledge</c>, <c>tools</c>,
/// <c>results</c>): a table partition on SQLite, a key prefix on Redis, a KV bucket on NATS.</remarks>
internal abstract class RuntimeBackend : IAsyncDisposable
{
    private readonly Dictionary<string, IStateStore> _stores = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The tier's name as configured (<c>in-process</c>, <c>sqlite</c>, <c>redis</c>, <c>nats</c>).</summary>
    public abstract string Tier { get; }

    /// <summary>Where it is (a file, a URL), for messages.</summary>
    public abstract string Address { get; }

    public abstract IEventBus EventBus { get; }

    public abstract ITaskQueue TaskQueue { get; }

    /// <summary>The state store of <paramref name="area"/>, created on first use.</summary>
    public IStateStore StateStore(string area)
    {
        lock (_gate)
        {
            if (!_stores.TryGetValue(area, out var store))
            {
                store = CreateStateStore(area);
                _stores[area] = store;
            }

            return store;
        }
    }

    protected abstract IStateStore CreateStateStore(string area);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
