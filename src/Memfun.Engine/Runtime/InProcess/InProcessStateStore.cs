using System.Runtime.CompilerServices;
using Memfun.Engine.Runtime.Abstractions;

namespace Memfun.Engine.Runtime.InProcess;

/// <summary>The in-process state store: a sorted dictionary under a lock.</summary>
internal sealed class InProcessStateStore : IStateStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, Item> _items = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private (string Prefix, ChannelSubscription<StateChange> Sub)[] _watchers = [];
    private long _revision;

    public InProcessStateStore(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    public ValueTask<StateEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        RuntimeNames.ValidateKey(key);
        lock (_gate)
        {
            return ValueTask.FromResult(Live(key) is { } item ? Entry(key, item) : null);
        }
    }

    public ValueTask<long> PutAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        RuntimeNames.ValidateKey(key);
        StateEntry entry;
        lock (_gate)
        {
            entry = Write(key, value, ttl);
        }

        Notify(new StateChange(key, entry));
        return ValueTask.FromResult(entry.Revision);
    }

    public ValueTask<long?> TryUpdateAsync(string key, ReadOnlyMemory<byte> value, long expectedRevision, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        RuntimeNames.ValidateKey(key);
        StateEntry entry;
        lock (_gate)
        {
            var current = Live(key)?.Revision ?? 0;
            if (current != expectedRevision)
            {
                return ValueTask.FromResult<long?>(null);
            }

            entry = Write(key, value, ttl);
        }

        Notify(new StateChange(key, entry));
        return ValueTask.FromResult<long?>(entry.Revision);
    }

    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        RuntimeNames.ValidateKey(key);
        bool existed;
        lock (_gate)
        {
            existed = Live(key) is not null;
            _items.Remove(key);
        }

        if (existed)
        {
            Notify(new StateChange(key, null));
        }

        return ValueTask.FromResult(existed);
    }

    public async IAsyncEnumerable<StateEntry> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<StateEntry> found;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            found = [.. _items.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal) && !(p.Value.ExpiresAt <= now))
                              .Select(p => Entry(p.Key, p.Value))];
        }

        foreach (var entry in found)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public ValueTask<IRuntimeSubscription<StateChange>> WatchAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var sub = new ChannelSubscription<StateChange>(0, singleWriter: false);
        lock (_gate)
        {
            _watchers = [.. _watchers, (prefix, sub)];
        }

        sub.OnDispose(() =>
        {
            lock (_gate)
            {
                _watchers = [.. _watchers.Where(w => w.Sub != sub)];
            }

            return ValueTask.CompletedTask;
        });
        return ValueTask.FromResult<IRuntimeSubscription<StateChange>>(sub);
    }

    private Item? Live(string key)
    {
        if (!_items.TryGetValue(key, out var item))
        {
            return null;
        }

        if (item.ExpiresAt <= _time.GetUtcNow())
        {
            _items.Remove(key);
            return null;
        }

        return item;
    }

    private StateEntry Write(string key, ReadOnlyMemory<byte> value, TimeSpan? ttl)
    {
        var item = new Item(value.ToArray(), ++_revision, ttl is { } t ? _time.GetUtcNow() + t : null);
        _items[key] = item;
        return Entry(key, item);
    }

    private void Notify(StateChange change)
    {
        foreach (var (prefix, sub) in Volatile.Read(ref _watchers))
        {
            if (change.Key.StartsWith(prefix, StringComparison.Ordinal))
            {
                sub.Writer.TryWrite(change);
            }
        }
    }

    private static StateEntry Entry(string key, Item item) => new(key, item.Value, item.Revision);

    private sealed record Item(byte[] Value, long Revision, DateTimeOffset? ExpiresAt);
}
