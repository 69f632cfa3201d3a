using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Memfun.Tools.CodeMap;

/// <summary>
/// The persistent cache of the code map: one row per file (path, size, modification time, content hash,
/// extracted symbols as JSON) in SQLite (WAL) at <c>.memfun/codemap.db</c>.
/// </summary>
/// <remarks>Not thread-safe: the <see cref="CodeMapService"/> serialises its calls.</remarks>
internal sealed class CodeMapStore : IDisposable
{
    /// <summary>Bumped whenever an extractor changes what it produces: rows of older versions are re-parsed.</summary>
    public const int ExtractorVersion = 1;

    private readonly SqliteConnection _connection;

    private CodeMapStore(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (creating) the store at <paramref name="path"/>; null when it cannot be opened (read-only workspace).</summary>
    public static CodeMapStore? TryOpen(string path)
    {
        try
        {
            Workspace.StateFolder.EnsureFor(path);
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            connection.Open();
            using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = """
                    PRAGMA journal_mode=WAL;
                    PRAGMA synchronous=NORMAL;
                    CREATE TABLE IF NOT EXISTS files(
                        path TEXT PRIMARY KEY,
                        size INTEGER NOT NULL,
                        mtime INTEGER NOT NULL,
                        hash TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        language TEXT NOT NULL,
                        lines INTEGER NOT NULL,
                        symbols TEXT NOT NULL);
                    """;
                cmd.ExecuteNonQuery();
            }

            return new CodeMapStore(connection);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Every row of the current extractor version.</summary>
    public IEnumerable<CachedFile> LoadAll()
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT path, size, mtime, hash, language, lines, symbols FROM files WHERE version = $v";
        cmd.Parameters.AddWithValue("$v", ExtractorVersion);
        using var reader = cmd.ExecuteReader();
        var list = new List<CachedFile>();
        while (reader.Read())
        {
            var symbols = JsonSerializer.Deserialize(reader.GetString(6), CodeMapJsonContext.Default.ListCodeSymbol) ?? [];
            var path = reader.GetString(0);
            list.Add(new CachedFile(
                path,
                reader.GetInt64(1),
                reader.GetInt64(2),
                reader.GetString(3),
                new CodeMapFile(path, reader.GetString(4), reader.GetInt32(5), symbols)));
        }

        return list;
    }

    /// <summary>Writes <paramref name="changed"/> and deletes <paramref name="removed"/> in one transaction.</summary>
    public void Save(IReadOnlyCollection<CachedFile> changed, IReadOnlyCollection<string> removed)
    {
        if (changed.Count == 0 && removed.Count == 0)
        {
            return;
        }

        using var tx = _connection.BeginTransaction();
        using (var upsert = _connection.CreateCommand())
        {
            upsert.Transaction = tx;
            upsert.CommandText = """
                INSERT INTO files(path, size, mtime, hash, version, language, lines, symbols)
                VALUES ($p, $s, $m, $h, $v, $l, $n, $y)
                ON CONFLICT(path) DO UPDATE SET size=$s, mtime=$m, hash=$h, version=$v, language=$l, lines=$n, symbols=$y
                """;
            var p = upsert.Parameters.Add("$p", SqliteType.Text);
            var s = upsert.Parameters.Add("$s", SqliteType.Integer);
            var m = upsert.Parameters.Add("$m", SqliteType.Integer);
            var h = upsert.Parameters.Add("$h", SqliteType.Text);
            var v = upsert.Parameters.Add("$v", SqliteType.Integer);
            var l = upsert.Parameters.Add("$l", SqliteType.Text);
            var n = upsert.Parameters.Add("$n", SqliteType.Integer);
            var y = upsert.Parameters.Add("$y", SqliteType.Text);
            upsert.Prepare();
            foreach (var f in changed)
            {
                p.Value = f.Path;
                s.Value = f.Size;
                m.Value = f.MTimeTicks;
                h.Value = f.Hash;
                v.Value = ExtractorVersion;
                l.Value = f.Map.Language;
                n.Value = f.Map.Lines;
                y.Value = JsonSerializer.Serialize(f.Map.Symbols, CodeMapJsonContext.Default.IReadOnlyListCodeSymbol);
                upsert.ExecuteNonQuery();
            }
        }

        using (var delete = _connection.CreateCommand())
        {
            delete.Transaction = tx;
            delete.CommandText = "DELETE FROM files WHERE path = $p";
            var p = delete.Parameters.Add("$p", SqliteType.Text);
            foreach (var r in removed)
            {
                p.Value = r;
                delete.ExecuteNonQuery();
            }
        }

        tx.Commit();
    }

    public void Dispose() => _connection.Dispose();
}

/// <summary>One file's cached map with what validates it.</summary>
internal sealed record CachedFile(string Path, long Size, long MTimeTicks, string Hash, CodeMapFile Map);
