using System.Collections.Concurrent;

namespace Memfun.Tools.Web;

/// <summary>Fetched pages by URL, each kept for a fixed time; the oldest go first when the cache is full.</summary>
/// <remarks>Thread-safe. Holds the whole converted content; callers cut it to their length.</remarks>
internal sealed class WebPageCache(TimeSpan duration, int capacity, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset Expires, WebPage Page)> _entries = new(StringComparer.Ordinal);

    public bool TryGet(string url, out WebPage page)
    {
        page = null!;
        if (duration <= TimeSpan.Zero || !_entries.TryGetValue(url, out var entry))
        {
            return false;
        }

        if (entry.Expires <= time.GetUtcNow())
        {
            _entries.TryRemove(url, out _);
            return false;
        }

        page = entry.Page;
        return true;
    }

    public void Add(string url, WebPage page)
    {
        if (duration <= TimeSpan.Zero)
        {
            return;
        }

        _entries[url] = (time.GetUtcNow() + duration, page);
        while (_entries.Count > capacity)
        {
            var oldest = _entries.MinBy(e => e.Value.Expires);
            _entries.TryRemove(oldest.Key, out _);
        }
    }
}
