using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Memfun.Bench.Runtime;

/// <summary>The bare Microsoft.Data.Sqlite reference: WAL, inserts grouped in transactions of <c>window</c> rows,
/// a reader polling by sequence; tasks as rows leased with UPDATE and acked with DELETE.</summary>
internal static class BareSqliteBench
{
    private static SqliteConnection Open(string path)
    {
        var c = new SqliteConnection($"Data Source={path}");
        c.Open();
        Exec(c, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;");
        return c;
    }

    private static void Exec(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public static async Task<BenchResult> ThroughputAsync(string path, int count, int window)
    {
        using (var setup = Open(path))
        {
            Exec(setup, "CREATE TABLE IF NOT EXISTS ev (seq INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT, data BLOB, ts INTEGER)");
        }

        var reader = Task.Run(() =>
        {
            using var c = Open(path);
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT seq, topic, data FROM ev WHERE seq > @s ORDER BY seq LIMIT 1000";
            var p = cmd.Parameters.Add("@s", SqliteType.Integer);
            long last = 0;
            var n = 0;
            while (n < count)
            {
                p.Value = last;
                using var r = cmd.ExecuteReader();
                var any = false;
                while (r.Read())
                {
                    last = r.GetInt64(0);
                    _ = r.GetString(1);
                    _ = (byte[])r.GetValue(2);
                    n++;
                    any = true;
                }

                if (!any)
                {
                    Thread.Sleep(1);
                }
            }
        });
        var clock = Stopwatch.StartNew();
        using (var w = Open(path))
        {
            using var insert = w.CreateCommand();
            insert.CommandText = "INSERT INTO ev(topic, data, ts) VALUES ('bench.tp', @d, 0)";
            var d = insert.Parameters.Add("@d", SqliteType.Blob);
            for (var i = 0; i < count; i += window)
            {
                Exec(w, "BEGIN IMMEDIATE");
                for (var j = i; j < Math.Min(count, i + window); j++)
                {
                    d.Value = new byte[64];
                    insert.ExecuteNonQuery();
                }

                Exec(w, "COMMIT");
            }
        }

        await reader;
        return new BenchResult("sqlite", "publish→deliver", "bare", count / clock.Elapsed.TotalSeconds);
    }

    public static Task<BenchResult> TasksAsync(string path, int count, int window)
    {
        using var c = Open(path);
        Exec(c, "CREATE TABLE IF NOT EXISTS q (n INTEGER PRIMARY KEY AUTOINCREMENT, payload BLOB, state INTEGER)");
        var clock = Stopwatch.StartNew();
        using var insert = c.CreateCommand();
        insert.CommandText = "INSERT INTO q(payload, state) VALUES (@p, 0)";
        var p = insert.Parameters.Add("@p", SqliteType.Blob);
        for (var i = 0; i < count; i += window)
        {
            Exec(c, "BEGIN IMMEDIATE");
            for (var j = i; j < Math.Min(count, i + window); j++)
            {
                p.Value = new byte[64];
                insert.ExecuteNonQuery();
            }

            Exec(c, "COMMIT");
        }

        using var lease = c.CreateCommand();
        lease.CommandText = "UPDATE q SET state = 1 WHERE n IN (SELECT n FROM q WHERE state = 0 ORDER BY n LIMIT 100) RETURNING n";
        using var ack = c.CreateCommand();
        ack.CommandText = "DELETE FROM q WHERE n = @n";
        var n = ack.Parameters.Add("@n", SqliteType.Integer);
        var acked = 0;
        while (acked < count)
        {
            Exec(c, "BEGIN IMMEDIATE");
            var ids = new List<long>();
            using (var r = lease.ExecuteReader())
            {
                while (r.Read())
                {
                    ids.Add(r.GetInt64(0));
                }
            }

            Exec(c, "COMMIT");
            Exec(c, "BEGIN IMMEDIATE");
            foreach (var id in ids)
            {
                n.Value = id;
                ack.ExecuteNonQuery();
            }

            Exec(c, "COMMIT");
            acked += ids.Count;
        }

        return Task.FromResult(new BenchResult("sqlite", "enqueue→lease→ack", "bare", count / clock.Elapsed.TotalSeconds));
    }
}
