using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Memfun.Engine.Runtime.Abstractions;
using Microsoft.Data.Sqlite;

namespace Memfun.Engine.Runtime.Sqlite;

/// <summary>One area of the SQLite <c>kv</c> table. Every write appends to <c>kv_log</c>, whose sequence is the
/// revision and which watchers poll.</summary>
internal sealed class SqliteStateStore(SqliteDatabase db, string area, Doorbell written) : IStateStore
{
    private const long LogKept = 100_000;
    private static long s_writes;

    public ValueTask<StateEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        RuntimeNames.ValidateKey(key);
        return ValueTask.FromResult(db.Read(c =>
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT value, revision FROM kv WHERE area = @a AND key = @k AND (expires_at IS NULL OR expires_at > @now)";
            cmd.Parameters.AddWithValue("@a", area);
            cmd.Parameters.AddWithValue("@k", key);
            cmd.Parameters.AddWithValue("@now", SqliteDatabase.NowMs());
            using var r = cmd.ExecuteReader();
            return r.Read() ? new StateEntry(key, (byte[])r.GetValue(0), r.GetInt64(1)) : null;
        }));
    }

    public async ValueTask<long> PutAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        RuntimeNames.ValidateKey(key);
        var revision = await db.WriteAsync(c => WriteRow(c, key, value, ttl), cancellationToken).ConfigureAwait(false);
        written.Ring();
        return revision;
    }

    public async ValueTask<long?> TryUpdateAsync(string key, ReadOnlyMemory<byte> value, long expectedRevision, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        RuntimeNames.ValidateKey(key);
        var revision = await db.WriteAsync<long?>(c =>
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT revision FROM kv WHERE area = @a AND key = @k AND (expires_at IS NULL OR expires_at > @now)";
            cmd.Parameters.AddWithValue("@a", area);
            cmd.Parameters.AddWithValue("@k", key);
            cmd.Parameters.AddWithValue("@now", SqliteDatabase.NowMs());
            var current = cmd.ExecuteScalar() is long r ? r : 0;
            return current == expectedRevision ? WriteRow(c, key, value, ttl) : null;
        }, cancellationToken).ConfigureAwait(false);
        if (revision is not null)
        {
            written.Ring();
        }

        return revision;
    }

    public async ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        RuntimeNames.ValidateKey(key);
        var existed = await db.WriteAsync(c =>
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "DELETE FROM kv WHERE area = @a AND key = @k RETURNING expires_at";
            cmd.Parameters.AddWithValue("@a", area);
            cmd.Parameters.AddWithValue("@k", key);
            using var r = cmd.ExecuteReader();
            if (!r.Read())
            {
                return false;
            }

            var live = r.IsDBNull(0) || r.GetInt64(0) > SqliteDatabase.NowMs();
            r.Close();
            Log(c, key, deleted: true);
            return live;
        }, cancellationToken).ConfigureAwait(false);
        written.Ring();
        return existed;
    }

    public async IAsyncEnumerable<StateEntry> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var entries = db.Read(c =>
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = """
                SELECT key, value, revision FROM kv
                WHERE area = @a AND key >= @p AND key < @end AND (expires_at IS NULL OR expires_at > @now) ORDER BY key
                """;
            cmd.Parameters.AddWithValue("@a", area);
            cmd.Parameters.AddWithValue("@p", prefix);
            cmd.Parameters.AddWithValue("@end", prefix + "\U0010FFFF");
            cmd.Parameters.AddWithValue("@now", SqliteDatabase.NowMs());
            using var r = cmd.ExecuteReader();
            var list = new List<StateEntry>();
            while (r.Read())
            {
                list.Add(new StateEntry(r.GetString(0), (byte[])r.GetValue(1), r.GetInt64(2)));
            }

            return list;
        });
        foreach (var e in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return e;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public ValueTask<IRuntimeSubscription<StateChange>> WatchAsync(string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var after = db.Read(c =>
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM kv_log";
            return (long)cmd.ExecuteScalar()!;
        });
        var sub = new ChannelSubscription<StateChange>(0);
        sub.Start(ct => PollAsync(prefix, after, sub.Writer, ct));
        return ValueTask.FromResult<IRuntimeSubscription<StateChange>>(sub);
    }

    private async Task PollAsync(string prefix, long after, ChannelWriter<StateChange> writer, CancellationToken cancellationToken)
    {
        var idle = 1;
        while (!cancellationToken.IsCancellationRequested)
        {
            var next = written.Next;
            var changes = db.Read(c =>
            {
                using var cmd = c.CreateCommand();
                cmd.CommandText = """
                    SELECT l.seq, l.key, l.deleted, kv.value, kv.revision FROM kv_log l
                    LEFT JOIN kv ON kv.area = l.area AND kv.key = l.key
                    WHERE l.seq > @after AND l.area = @a ORDER BY l.seq LIMIT 1000
                    """;
                cmd.Parameters.AddWithValue("@after", after);
                cmd.Parameters.AddWithValue("@a", area);
                using var r = cmd.ExecuteReader();
                var list = new List<StateChange>();
                while (r.Read())
                {
                    after = r.GetInt64(0);
                    var key = r.GetString(1);
                    if (!key.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    // The log row says what happened; the value is the one current now (a later write may have replaced it).
                    list.Add(r.GetInt64(2) != 0 || r.IsDBNull(3)
                        ? new StateChange(key, null)
                        : new StateChange(key, new StateEntry(key, (byte[])r.GetValue(3), Math.Max(r.GetInt64(4), r.GetInt64(0)))));
                }

                return list;
            });
            foreach (var change in changes)
            {
                await writer.WriteAsync(change, cancellationToken).ConfigureAwait(false);
            }

            if (changes.Count > 0)
            {
                idle = 1;
                continue;
            }

            await Doorbell.WaitAsync(next, TimeSpan.FromMilliseconds(idle), cancellationToken).ConfigureAwait(false);
            idle = Math.Min(idle * 2, 50);
        }
    }

    private long WriteRow(SqliteConnection c, string key, ReadOnlyMemory<byte> value, TimeSpan? ttl)
    {
        var revision = Log(c, key, deleted: false);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "INSERT OR REPLACE INTO kv(area, key, value, revision, expires_at) VALUES (@a, @k, @v, @r, @e)";
        cmd.Parameters.AddWithValue("@a", area);
        cmd.Parameters.AddWithValue("@k", key);
        cmd.Parameters.Add("@v", SqliteType.Blob).Value = value.ToArray();
        cmd.Parameters.AddWithValue("@r", revision);
        cmd.Parameters.AddWithValue("@e", ttl is { } t ? SqliteDatabase.NowMs() + (long)t.TotalMilliseconds : DBNull.Value);
        cmd.ExecuteNonQuery();
        return revision;
    }

    private long Log(SqliteConnection c, string key, bool deleted)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "INSERT INTO kv_log(area, key, deleted) VALUES (@a, @k, @d) RETURNING seq";
        cmd.Parameters.AddWithValue("@a", area);
        cmd.Parameters.AddWithValue("@k", key);
        cmd.Parameters.AddWithValue("@d", deleted ? 1 : 0);
        var seq = (long)cmd.ExecuteScalar()!;
        if (Interlocked.Increment(ref s_writes) % 1000 == 0)
        {
            using var prune = c.CreateCommand();
            prune.CommandText = "DELETE FROM kv_log WHERE seq < @keep";
            prune.Parameters.AddWithValue("@keep", seq - LogKept);
            prune.ExecuteNonQuery();
        }

        return seq;
    }
}
