using System.Collections.Concurrent;

namespace Memfun.Tools.Files;

/// <summary>
/// Remembers, per MCP session, which file ranges were shown and the content hash they had, so a
/// re-read of an unchanged range can answer "unchanged since your last read" instead of the text.
/// </summary>
/// <remarks>
/// Thread-safe. Bounded: at most <see cref="MaxSessions"/> sessions (least recently used dropped) and
/// <see cref="MaxEntriesPerSession"/> ranges per session (oldest dropped). Writes through the tools call
/// <see cref="Invalidate"/> so that a changed file is always shown again, in every session.
/// </remarks>
internal sealed class ReadCache
{
    public const int MaxSessions = 256;
    public const int MaxEntriesPerSession = 2048;

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    /// <summary>
    /// Records that <paramref name="session"/> was shown <paramref name="range"/> of <paramref name="path"/>
    /// with content hash <paramref name="hash"/>; returns true when that same range with that same hash
    /// was shown before (and not invalidated since).
    /// </summary>
    public bool Remember(string session, string path, string range, string hash)
    {
        var s = _sessions.GetOrAdd(session, _ => new Session());
        s.Touched = Environment.TickCount64;
        if (_sessions.Count > MaxSessions)
        {
            Evict();
        }

        var key = (path, range);
        lock (s.Entries)
        {
            var seen = s.Entries.TryGetValue(key, out var previous) && previous == hash;
            if (!seen)
            {
                if (s.Entries.Count >= MaxEntriesPerSession)
                {
                    s.Entries.Clear();
                }

                s.Entries[key] = hash;
            }

            return seen;
        }
    }

    /// <summary>Forgets every range of <paramref name="path"/> in every session (the file was written).</summary>
    public void Invalidate(string path)
    {
        foreach (var s in _sessions.Values)
        {
            lock (s.Entries)
            {
                foreach (var key in s.Entries.Keys.Where(k => k.Path == path).ToList())
                {
                    s.Entries.Remove(key);
                }
            }
        }
    }

    private void Evict()
    {
        foreach (var oldest in _sessions.OrderBy(kv => kv.Value.Touched).Take(_sessions.Count - MaxSessions).ToList())
        {
            _sessions.TryRemove(oldest.Key, out _);
        }
    }

    private sealed class Session
    {
        public Dictionary<(string Path, string Range), string> Entries { get; } = [];

        public long Touched { get; set; }
    }
}
