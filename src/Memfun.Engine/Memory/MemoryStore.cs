using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Memfun.Engine.Memory;

/// <summary>
/// One SQLite memory store (a file per scope): rows with text, tags, source and times, an FTS5 index
/// (Porter stemming, prefix index) ranked with BM25, and the <c>mirror</c> table that records which
/// entries <c>MEMORY.md</c> shows and with what text.
/// </summary>
/// <remarks>
/// Thread-safe: one connection, calls serialised by a lock. Safe across processes: WAL journal,
/// <c>busy_timeout</c>, and a retry loop around writes, so concurrent writers wait rather than fail.
/// Ids are never reused (AUTOINCREMENT), so a deleted id in <c>MEMORY.md</c> can never name a new entry.
/// </remarks>
internal sealed class MemoryStore : IDisposable
{
    private const int BusyTimeoutMs = 10_000;
    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;

    public MemoryStore(string path, MemoryScope scope)
    {
        Scope = scope;
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
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
                  tokenize='porter unicode61 remove_diacritics 2', prefix='3');
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
        lock (_gate)
        {
            return Query("SELECT id, text, tags, source, created_at, last_used_at, 0.0 FROM memories WHERE id = $id;",
                p => p.AddWithValue("$id", id)).FirstOrDefault();
        }
    }

    /// <summary>The best <paramref name="limit"/> matches of an FTS5 expression, best first (score = −BM25, higher is better).</summary>
    public List<MemoryEntry> Search(string ftsQuery, int limit)
    {
        lock (_gate)
        {
            return Query("""
                SELECT m.id, m.text, m.tags, m.source, m.created_at, m.last_used_at, -f.score
                FROM (SELECT rowid, bm25(memories_fts, 1.0, 0.75) AS score FROM memories_fts WHERE memories_fts MATCH $q
                      ORDER BY score LIMIT $k) f
                JOIN memories m ON m.id = f.rowid ORDER BY f.score;
                """,
                p =>
                {
                    p.AddWithValue("$q", ftsQuery);
                    p.AddWithValue("$k", limit);
                });
        }
    }

    /// <summary>
    /// BM25 search over OR-ed phrases, pruned for speed on big stores: phrases are taken rarest first
    /// while the rows they match stay within <paramref name="rowBudget"/> (the rarest always), so BM25 is
    /// computed for a bounded number of rows. Very common terms, which weigh little in BM25, are the ones
    /// dropped; on small stores nothing is dropped.
    /// </summary>
    public List<MemoryEntry> SearchPruned(IReadOnlyList<string> phrases, int limit, int rowBudget)
    {
        if (phrases.Count == 0)
        {
            return [];
        }

        if (phrases.Count == 1)
        {
            return Search(phrases[0], limit);
        }

        var counted = new List<(string Phrase, long Rows)>(phrases.Count);
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT count(*) FROM memories_fts WHERE memories_fts MATCH $q;";
            var q = cmd.Parameters.Add("$q", SqliteType.Text);
            foreach (var phrase in phrases)
            {
                q.Value = phrase;
                var rows = (long)cmd.ExecuteScalar()!;
                if (rows > 0)
                {
                    counted.Add((phrase, rows));
                }
            }
        }

        if (counted.Count == 0)
        {
            return [];
        }

        counted.Sort((a, b) => a.Rows.CompareTo(b.Rows));
        var kept = new List<string> { counted[0].Phrase };
        var total = counted[0].Rows;
        for (var i = 1; i < counted.Count && total + counted[i].Rows <= rowBudget; i++)
        {
            kept.Add(counted[i].Phrase);
            total += counted[i].Rows;
        }

        return Search(string.Join(" OR ", kept), limit);
    }

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

    public void Dispose() => _connection.Dispose();

    internal static string JoinTags(IReadOnlyList<string> tags) => string.Join(',', tags);

    private List<MemoryEntry> Query(string sql, Action<SqliteParameterCollection> bind)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        bind(cmd.Parameters);
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
