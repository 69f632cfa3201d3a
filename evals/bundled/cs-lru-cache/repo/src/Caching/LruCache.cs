namespace Caching;

/// <summary>
/// A fixed-capacity cache that evicts the least recently used entry when full.
/// Reading an entry with <see cref="TryGet"/> counts as a use. Not thread-safe.
/// </summary>
public sealed class LruCache<TKey, TValue> where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<Entry>> _map = [];
    private readonly LinkedList<Entry> _order = new(); // most recently used first

    public LruCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
    }

    public int Capacity { get; }

    public int Count => _map.Count;

    public CacheStatistics Statistics { get; } = new();

    /// <summary>Raised with the key and value of each entry evicted to make room.</summary>
    public event Action<TKey, TValue>? Evicted;

    public bool TryGet(TKey key, out TValue value)
    {
        if (_map.TryGetValue(key, out var node))
        {
            Statistics.Hits++;
            value = node.Value.Value;
            return true;
        }
        Statistics.Misses++;
        value = default!;
        return false;
    }

    public void Set(TKey key, TValue value)
    {
        if (_map.TryGetValue(key, out var existing))
        {
            existing.Value = new Entry(key, value);
            return;
        }
        if (_map.Count == Capacity)
        {
            var oldest = _order.Last!;
            _order.RemoveLast();
            _map.Remove(oldest.Value.Key);
            Evicted?.Invoke(oldest.Value.Key, oldest.Value.Value);
        }
        _map[key] = _order.AddFirst(new Entry(key, value));
    }

    public bool Remove(TKey key)
    {
        if (!_map.Remove(key, out var node))
        {
            return false;
        }
        _order.Remove(node);
        return true;
    }

    /// <summary>Keys from most to least recently used.</summary>
    public IEnumerable<TKey> KeysByRecency() => _order.Select(e => e.Key);

    private readonly record struct Entry(TKey Key, TValue Value);
}
