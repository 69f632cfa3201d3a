using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Memfun.Engine.Memory;

/// <summary>
/// One SQLite memory store (a file per scope): rows with text, tags, source and times, an FTS5 index
/// (Porter stemming; no prefix index, recall matches whole words) ranked with BM25, and the
/// <c>mirror</c> table that records which entries <c>MEMORY.md</c> shows and with what text.
/// </summary>
/// <remarks>
/// <para>Thread-safe: a write connection and a read connection (searches), each serialised by its own
/// lock, so a recall never waits behind a write of this process. Safe across processes: WAL journal,
/// <c>busy_timeout</c>, and a retry loop around writes, so concurrent writers wait rather than fail.
/// Ids are never reused (AUTOINCREMENT), so a deleted id in <c>MEMORY.md</c> can never name a new entry.</para>
/// <para>Speed of search: the read connection keeps its prepared statements; the number of rows each
/// query term matches is cached and the cache is dropped whenever the content version (a counter kept
/// by triggers on every insert, delete or edit, from any process) changes; last-used updates of recall
/// are queued and written in one batch shortly after, not inside the recall.</para>
/// </remarks>
internal sealed class MemoryStore : IDisposable
{
    private const int BusyTimeoutMs = 10_000;
    private const int TermCacheLimit = 20_000;
    private static readonly TimeSpan TouchDelay = TimeSpan.FromSeconds(1);
    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;

    // Searches: their own connection, statements prepared once, term row counts cached per content version.
    private readonly Lock _readGate = new();
    private readonly Dictionary<string, long> _termRows = new(StringComparer.Ordinal);
    private SqliteConnection? _read;
    private SqliteCommand? _versionCommand;
    private SqliteCommand? _countCommand;
    private SqliteCommand? _searchCommand;
    private long _termRowsVersion = -1;

    // Last-used updates from recall, written in one batch after TouchDelay (id → (time, uses)).
    private readonly Lock _touchGate = new();
    private readonly Dictionary<long, (long At, int Uses)> _pendingTouches = [];
    private Timer? _touchTimer;
    private bool _disposed;

    public MemoryStore(string path, MemoryScope scope)
    {
        Scope = scope;
        Path = path;
        Memfun.Tools.Workspace.StateFolder.EnsureFor(path);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = BusyTimeoutMs / 1000,
        }.ToString());
        _connection.Open();
        Retry(() =>
        {
            Exec($"PRAGMA busy_timeout={BusyTimeoutMs};");
            Exec("PRAGMA journal_mode=WAL;");
            Exec("PRAGMA synchronous=NORMAL;");
            using var tx = _connection.BeginTransaction(deferred: false);
            Exec("""
                CREATE TABLE IF NOT EXISTS memories(
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  text TEXT NOT NULL,
                  norm TEXT NOT NULL,
                  tags TEXT NOT NULL DEFAULT '',
                  source TEXT NOT NULL DEFAULT '',
                  created_at INTEGER NOT NULL,
                  last_used_at INTEGER NOT NULL,
                  use_count INTEGER NOT NULL DEFAULT 0);
                CREATE INDEX IF NOT EXISTS memories_norm ON memories(norm);
                CREATE VIRTUAL TABLE IF NOT EXISTS memories_fts USING fts5(
                  text, tags, content='memories', content_rowid='id',
                  tokenize='porter unicode61 remove_diacritics 2');
                CREATE TRIGGER IF NOT EXISTS memories_ai AFTER INSERT ON memories BEGIN
                  INSERT INTO memories_fts(rowid, text, tags) VALUES (new.id, new.text, new.tags);
                END;
                CREATE TRIGGER IF NOT EXISTS memories_ad AFTER DELETE ON memories BEGIN
                  INSERT INTO memories_fts(memories_fts, rowid, text, tags) VALUES ('delete', old.id, old.text, old.tags);
                END;
                CREATE TRIGGER IF NOT EXISTS memories_au AFTER UPDATE OF text, tags ON memories BEGIN
                  INSERT INTO memories_fts(memories_fts, rowid, text, tags) VALUES ('delete', old.id, old.text, old.tags);
                  INSERT INTO memories_fts(rowid, text, tags) VALUES (new.id, new.text, new.tags);
                END;
                CREATE TABLE IF NOT EXISTS mirror(id TEXT PRIMARY KEY, text TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
                INSERT OR IGNORE INTO meta(key, value) VALUES ('content_version', 0);
                CREATE TRIGGER IF NOT EXISTS memories_version_ai AFTER INSERT ON memories BEGIN
                  UPDATE meta SET value = value + 1 WHERE key = 'content_version';
                END;
                CREATE TRIGGER IF NOT EXISTS memories_version_ad AFTER DELETE ON memories BEGIN
                  UPDATE meta SET value = value + 1 WHERE key = 'content_version';
                END;
                CREATE TRIGGER IF NOT EXISTS memories_version_au AFTER UPDATE OF text, tags ON memories BEGIN
                  UPDATE meta SET value = value + 1 WHERE key = 'content_version';
                END;
                """, tx);
            tx.Commit();
        });
    }

    public MemoryScope Scope { get; }

    public string Path { get; }

    private char Prefix => Scope == MemoryScope.Project ? 'p' : 'u';

    public MemoryEntry Add(string text, IReadOnlyList<string> tags, string source, DateTimeOffset now)
    {
        lock (_gate)
        {
            return Retry(() =>
            {
                using var cmd = _connection.CreateCommand();
                cmd.CommandText = """
                    INSERT INTO memories(text, norm, tags, source, created_at, last_used_at) VALUES ($t, $n, $g, $s, $c, $c)
                    RETURNING id;
                    """;
                cmd.Parameters.AddWithValue("$t", text);
                cmd.Parameters.AddWithValue("$n", MemoryQuery.Normalize(text));
                cmd.Parameters.AddWithValue("$g", JoinTags(tags));
                cmd.Parameters.AddWithValue("$s", source);
                cmd.Parameters.AddWithValue("$c", now.ToUnixTimeMilliseconds());
                var id = (long)cmd.ExecuteScalar()!;
                return new MemoryEntry(Id(id), Scope, text, tags, source, now, now);
            });
        }
    }

    /// <summary>Adds many rows in one transaction (benchmarks and imports).</summary>
    public void AddMany(IEnumerable<(string Text, IReadOnlyList<string> Tags)> items, string source, DateTimeOffset now)
    {
        lock (_gate)
        {
            using var tx = _connection.BeginTransaction(deferred: false);
            using var cmd = _connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO memories(text, norm, tags, source, created_at, last_used_at) VALUES ($t, $n, $g, $s, $c, $c);";
            var t = cmd.Parameters.Add("$t", SqliteType.Text);
            var n = cmd.Parameters.Add("$n", SqliteType.Text);
            var g = cmd.Parameters.Add("$g", SqliteType.Text);
            cmd.Parameters.AddWithValue("$s", source);
            cmd.Parameters.AddWithValue("$c", now.ToUnixTimeMilliseconds());
            foreach (var (text, tags) in items)
            {
                t.Value = text;
                n.Value = MemoryQuery.Normalize(text);
                g.Value = JoinTags(tags);
                cmd.ExecuteNonQuery();
            }

            tx.Commit();
        }
    }

    public MemoryEntry? FindNormalized(string normalized)
    {
        lock (_gate)
        {
            return Query("SELECT id, text, tags, source, created_at, last_used_at, 0.0 FROM memories WHERE norm = $n LIMIT 1;",
                p => p.AddWithValue("$n", normalized)).FirstOrDefault();
        }
    }

    public MemoryEntry? Get(long id)
    {
        FlushTouches();
        lock (_gate)
        {
            return Query("SELECT id, text, tags, source, created_at, last_used_at, 0.0 FROM memories WHERE id = $id;",
                p => p.AddWithValue("$id", id)).FirstOrDefault();
        }
    }

    /// <summary>The best <paramref name="limit"/> matches of an FTS5 expression, best first (score = −BM25, higher is better).</summary>
    public List<MemoryEntry> Search(string ftsQuery, int limit)
    {
        lock (_readGate)
        {
            OpenReadConnection();
            return SearchLocked(ftsQuery, limit);
        }
    }

    /// <summary>
    /// BM25 search over OR-ed phrases, pruned for speed on big stores: phrases are taken rarest first
    /// while the rows they match stay within <paramref name="rowBudget"/> (the rarest always), so BM25 is
    /// computed for a bounded number of rows. Very common terms, which weigh little in BM25, are the ones
    /// dropped; on small stores nothing is dropped. Phrases that match nothing are left out.
    /// </summary>
    /// <remarks>Each phrase's row count is counted once and cached until the store's content changes.</remarks>
    public List<MemoryEntry> SearchPruned(IReadOnlyList<string> phrases, int limit, int rowBudget)
    {
        if (phrases.Count == 0)
        {
            return [];
        }

        lock (_readGate)
        {
            OpenReadConnection();
            if (phrases.Count == 1)
            {
                return SearchLocked(phrases[0], limit);
            }

            var version = (long)_versionCommand!.ExecuteScalar()!;
            if (version != _termRowsVersion || _termRows.Count > TermCacheLimit)
            {
                _termRows.Clear();
                _termRowsVersion = version;
            }

            var counted = new List<(string Phrase, long Rows)>(phrases.Count);
            foreach (var phrase in phrases)
            {
                if (!_termRows.TryGetValue(phrase, out var rows))
                {
                    _countCommand!.Parameters[0].Value = phrase;
                    rows = (long)_countCommand.ExecuteScalar()!;
                    _termRows[phrase] = rows;
                }

                if (rows > 0)
                {
                    counted.Add((phrase, rows));
                }
            }

            if (counted.Count == 0)
            {
                return [];
            }

            counted.Sort((a, b) => a.Rows.CompareTo(b.Rows));
            var kept = new StringBuilder(counted[0].Phrase);
            var total = counted[0].Rows;
            for (var i = 1; i < counted.Count && total + counted[i].Rows <= rowBudget; i++)
            {
                kept.Append(" OR ").Append(counted[i].Phrase);
                total += counted[i].Rows;
            }

            return SearchLocked(kept.ToString(), limit);
        }
    }

    /// <summary>Marks entries used now, at once (a write).</summary>
    public void Touch(IEnumerable<long> ids, DateTimeOffset now)
    {
        var list = ids.ToList();
        if (list.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            Retry(() =>
            {
                using var cmd = _connection.CreateCommand();
                cmd.CommandText = $"UPDATE memories SET last_used_at = $now, use_count = use_count + 1 WHERE id IN ({string.Join(',', list)});";
                cmd.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
                cmd.ExecuteNonQuery();
            });
        }
    }

    /// <summary>
    /// Marks entries used, in a batch written about a second later (or at <see cref="FlushTouches"/>,
    /// a list or get of this store, or dispose), so a recall does no write of its own.
    /// </summary>
    public void TouchLater(IEnumerable<long> ids, DateTimeOffset now)
    {
        var at = now.ToUnixTimeMilliseconds();
        lock (_touchGate)
        {
            if (_disposed)
            {
                return;
            }

            foreach (var id in ids)
            {
                _pendingTouches[id] = _pendingTouches.TryGetValue(id, out var was) ? (Math.Max(was.At, at), was.Uses + 1) : (at, 1);
            }

            if (_pendingTouches.Count > 0 && _touchTimer is null)
            {
                _touchTimer = new Timer(static state => ((MemoryStore)state!).FlushTouchesInBackground(), this, TouchDelay, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Writes the queued last-used updates now (one transaction).</summary>
    public void FlushTouches()
    {
        lock (_gate)
        {
            KeyValuePair<long, (long At, int Uses)>[] batch;
            lock (_touchGate)
            {
                _touchTimer?.Dispose();
                _touchTimer = null;
                if (_pendingTouches.Count == 0 || _disposed)
                {
                    return;
                }

                batch = [.. _pendingTouches];
                _pendingTouches.Clear();
            }

            Retry(() =>
            {
                using var tx = _connection.BeginTransaction(deferred: false);
                using var cmd = _connection.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = "UPDATE memories SET last_used_at = max(last_used_at, $at), use_count = use_count + $n WHERE id = $id;";
                var at = cmd.Parameters.Add("$at", SqliteType.Integer);
                var n = cmd.Parameters.Add("$n", SqliteType.Integer);
                var id = cmd.Parameters.Add("$id", SqliteType.Integer);
                foreach (var (rowId, touch) in batch)
                {
                    at.Value = touch.At;
                    n.Value = touch.Uses;
                    id.Value = rowId;
                    cmd.ExecuteNonQuery();
                }

                tx.Commit();
            });
        }
    }

    public bool UpdateText(long id, string text)
    {
        lock (_gate)
        {
            return Retry(() =>
            {
                using var cmd = _connection.CreateCommand();
                cmd.CommandText = "UPDATE memories SET text = $t, norm = $n WHERE id = $id;";
                cmd.Parameters.AddWithValue("$t", text);
                cmd.Parameters.AddWithValue("$n", MemoryQuery.Normalize(text));
                cmd.Parameters.AddWithValue("$id", id);
                return cmd.ExecuteNonQuery() > 0;
            });
        }
    }

    public int Delete(IEnumerable<long> ids)
    {
        var list = ids.ToList();
        if (list.Count == 0)
        {
            return 0;
        }

        lock (_gate)
        {
            return Retry(() =>
            {
                using var cmd = _connection.CreateCommand();
                cmd.CommandText = $"DELETE FROM memories WHERE id IN ({string.Join(',', list)});";
                return cmd.ExecuteNonQuery();
            });
        }
    }

    /// <summary>Entries whose text contains <paramref name="contains"/> (case-insensitive), tagged <paramref name="tag"/>, newest first.</summary>
    public (List<MemoryEntry> Items, int Total) List(string? contains, string? tag, int offset, int limit)
    {
        FlushTouches();
        lock (_gate)
        {
            var where = new List<string>();
            void Bind(SqliteParameterCollection p)
            {
                if (contains is not null)
                {
                    p.AddWithValue("$like", "%" + EscapeLike(contains) + "%");
                }

                if (tag is not null)
                {
                    p.AddWithValue("$tag", "%," + EscapeLike(tag.ToLowerInvariant()) + ",%");
                }

                p.AddWithValue("$off", offset);
                p.AddWithValue("$lim", limit);
            }

            if (contains is not null)
            {
                where.Add("text LIKE $like ESCAPE '\\'");
            }

            if (tag is not null)
            {
                where.Add("(',' || tags || ',') LIKE $tag ESCAPE '\\'");
            }

            var clause = where.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", where);
            var items = Query($"SELECT id, text, tags, source, created_at, last_used_at, 0.0 FROM memories{clause} ORDER BY id DESC LIMIT $lim OFFSET $off;", Bind);
            using var count = _connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM memories{clause};";
            Bind(count.Parameters);
            var total = System.Convert.ToInt32(count.ExecuteScalar(), CultureInfo.InvariantCulture);
            return (items, total);
        }
    }

    public int Count()
    {
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM memories;";
            return System.Convert.ToInt32(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
    }

    // ----- the mirror: what MEMORY.md shows (kept in the project store) -----

    public Dictionary<string, string> Mirror()
    {
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT id, text FROM mirror;";
            using var reader = cmd.ExecuteReader();
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            while (reader.Read())
            {
                map[reader.GetString(0)] = reader.GetString(1);
            }

            return map;
        }
    }

    public void SetMirror(string id, string? text)
    {
        lock (_gate)
        {
            Retry(() =>
            {
                using var cmd = _connection.CreateCommand();
                cmd.CommandText = text is null
                    ? "DELETE FROM mirror WHERE id = $id;"
                    : "INSERT INTO mirror(id, text) VALUES ($id, $t) ON CONFLICT(id) DO UPDATE SET text = excluded.text;";
                cmd.Parameters.AddWithValue("$id", id);
                if (text is not null)
                {
                    cmd.Parameters.AddWithValue("$t", text);
                }

                cmd.ExecuteNonQuery();
            });
        }
    }

    public string Id(long rowId) => Prefix + rowId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes queued last-used updates and closes both connections.</summary>
    public void Dispose()
    {
        try
        {
            FlushTouches();
        }
        catch (SqliteException)
        {
            // Last-used times are advisory: a store too busy to take them at shutdown loses only them.
        }

        lock (_gate)
        {
            lock (_touchGate)
            {
                _disposed = true;
                _touchTimer?.Dispose();
                _touchTimer = null;
            }

            _connection.Dispose();
        }

        lock (_readGate)
        {
            _versionCommand?.Dispose();
            _countCommand?.Dispose();
            _searchCommand?.Dispose();
            _read?.Dispose();
            _read = null;
        }
    }

    internal static string JoinTags(IReadOnlyList<string> tags) => string.Join(',', tags);

    private void FlushTouchesInBackground()
    {
        try
        {
            FlushTouches();
        }
        catch (SqliteException)
        {
            // Advisory data: after the retries, a store locked this long loses this batch of last-used times.
        }
        catch (InvalidOperationException)
        {
            // Disposed meanwhile.
        }
    }

    /// <summary>Opens the search connection once: WAL reader, query-only, memory-mapped, statements prepared once.</summary>
    private void OpenReadConnection()
    {
        if (_read is not null)
        {
            return;
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        var read = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = BusyTimeoutMs / 1000,
        }.ToString());
        read.Open();
        foreach (var pragma in new[] { $"PRAGMA busy_timeout={BusyTimeoutMs};", "PRAGMA query_only=ON;", "PRAGMA mmap_size=268435456;", "PRAGMA cache_size=-16384;" })
        {
            using var cmd = read.CreateCommand();
            cmd.CommandText = pragma;
            cmd.ExecuteNonQuery();
        }

        _versionCommand = read.CreateCommand();
        _versionCommand.CommandText = "SELECT value FROM meta WHERE key = 'content_version';";
        _versionCommand.Prepare();
        _countCommand = read.CreateCommand();
        _countCommand.CommandText = "SELECT count(*) FROM memories_fts WHERE memories_fts MATCH $q;";
        _countCommand.Parameters.Add("$q", SqliteType.Text);
        _countCommand.Prepare();
        _searchCommand = read.CreateCommand();
        _searchCommand.CommandText = """
            SELECT m.id, m.text, m.tags, m.source, m.created_at, m.last_used_at, -f.score
            FROM (SELECT rowid, bm25(memories_fts, 1.0, 0.75) AS score FROM memories_fts WHERE memories_fts MATCH $q
                  ORDER BY score LIMIT $k) f
            JOIN memories m ON m.id = f.rowid ORDER BY f.score;
            """;
        _searchCommand.Parameters.Add("$q", SqliteType.Text);
        _searchCommand.Parameters.Add("$k", SqliteType.Integer);
        _searchCommand.Prepare();
        _read = read;
    }

    private List<MemoryEntry> SearchLocked(string ftsQuery, int limit)
    {
        _searchCommand!.Parameters[0].Value = ftsQuery;
        _searchCommand.Parameters[1].Value = limit;
        return ReadEntries(_searchCommand);
    }

    private List<MemoryEntry> Query(string sql, Action<SqliteParameterCollection> bind)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        bind(cmd.Parameters);
        return ReadEntries(cmd);
    }

    private List<MemoryEntry> ReadEntries(SqliteCommand cmd)
    {
        using var reader = cmd.ExecuteReader();
        var list = new List<MemoryEntry>();
        while (reader.Read())
        {
            var tags = reader.GetString(2);
            list.Add(new MemoryEntry(
                Id(reader.GetInt64(0)),
                Scope,
                reader.GetString(1),
                tags.Length == 0 ? [] : tags.Split(','),
                reader.GetString(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                reader.GetDouble(6)));
        }

        return list;
    }

    private void Exec(string sql, SqliteTransaction? tx = null)
    {
        using var cmd = _connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static string EscapeLike(string s) =>
        s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private static void Retry(Action action) => Retry(() => { action(); return 0; });

    private static T Retry<T>(Func<T> action)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return action();
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode is 5 or 6 && attempt < 20)
            {
                // SQLITE_BUSY / SQLITE_LOCKED past busy_timeout: another process holds the write lock; wait and retry.
                Thread.Sleep(20 + (attempt * 25));
            }
        }
    }
}
