using System.Runtime.CompilerServices;
using Memfun.Engine.Runtime.Abstractions;
using Microsoft.Data.Sqlite;

namespace Memfun.Engine.Runtime.Sqlite;

/// <summary>The SQLite task queue: one row per task; a lease is an update of <c>visible_at</c> and <c>lease_token</c>
/// in a write transaction, so two processes never lease the same delivery.</summary>
/// <remarks>States: 0 ready, 1 leased, 2 done, 3 dead. A leased row whose <c>visible_at</c> passed is ready again.
/// Done rows are kept for a day (the idempotency window), then removed.</remarks>
internal sealed class SqliteTaskQueue(SqliteDatabase db, TaskQueueOptions options, Doorbell enqueued) : ITaskQueue
{
    private static readonly long DoneKeptMs = (long)TimeSpan.FromDays(1).TotalMilliseconds;
    private long _ops;

    public TaskQueueOptions Options { get; } = options;

    public async ValueTask<string> EnqueueAsync(TaskRequest request, CancellationToken cancellationToken = default)
    {
        var id = RuntimeNames.TaskIdOf(request);
        await db.WriteAsync(c =>
        {
            var cmd = SqliteDatabase.Command(c, """
                INSERT INTO tasks(id, kind, priority, payload, state, visible_at, attempts, lease_token, enqueued_at)
                VALUES (@id, @kind, @p, @payload, 0, 0, 0, 0, @now) ON CONFLICT(id) DO NOTHING
                """);
            cmd.Parameters.AddWithValue("@id", id);
            cmd.Parameters.AddWithValue("@kind", request.Kind);
            cmd.Parameters.AddWithValue("@p", (int)request.Priority);
            cmd.Parameters.Add("@payload", SqliteType.Blob).Value = request.Payload.ToArray();
            cmd.Parameters.AddWithValue("@now", SqliteDatabase.NowMs());
            cmd.ExecuteNonQuery();
            if (Interlocked.Increment(ref _ops) % 5000 == 0)
            {
                var purge = SqliteDatabase.Command(c, "DELETE FROM tasks WHERE state = 2 AND finished_at < @old");
                purge.Parameters.AddWithValue("@old", SqliteDatabase.NowMs() - DoneKeptMs);
                purge.ExecuteNonQuery();
            }

            return 0;
        }, cancellationToken).ConfigureAwait(false);
        enqueued.Ring();
        return id;
    }

    public async ValueTask<IReadOnlyList<TaskLease>> LeaseAsync(IReadOnlyList<string> kinds, int maxCount, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        foreach (var k in kinds)
        {
            RuntimeNames.ValidateKind(k);
        }

        var deadline = DateTimeOffset.UtcNow + wait;
        var idle = 2;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var next = enqueued.Next;
            var leased = await db.WriteAsync(c => TakeLocked(c, kinds, maxCount), cancellationToken).ConfigureAwait(false);
            if (leased.Count > 0)
            {
                return leased;
            }

            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return [];
            }

            var nap = TimeSpan.FromMilliseconds(idle);
            await Doorbell.WaitAsync(next, left < nap ? left : nap, cancellationToken).ConfigureAwait(false);
            idle = Math.Min(idle * 2, 100);
        }
    }

    public async ValueTask<bool> AckAsync(TaskLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var done = await db.WriteAsync(c =>
        {
            var cmd = SqliteDatabase.Command(c, "UPDATE tasks SET state = 2, payload = x'', finished_at = @now WHERE id = @id AND lease_token = @t AND state = 1");
            cmd.Parameters.AddWithValue("@id", lease.Id);
            cmd.Parameters.AddWithValue("@t", (long)lease.Handle!);
            cmd.Parameters.AddWithValue("@now", SqliteDatabase.NowMs());
            return cmd.ExecuteNonQuery() == 1;
        }, cancellationToken).ConfigureAwait(false);
        return done;
    }

    public async ValueTask NackAsync(TaskLease lease, TimeSpan retryDelay, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await db.WriteAsync(c =>
        {
            var cmd = SqliteDatabase.Command(c, """
                UPDATE tasks SET
                    state = CASE WHEN attempts >= @max THEN 3 ELSE 0 END,
                    visible_at = @due, reason = @reason, finished_at = CASE WHEN attempts >= @max THEN @now END
                WHERE id = @id AND lease_token = @t AND state = 1
                """);
            cmd.Parameters.AddWithValue("@max", Options.MaxAttempts);
            cmd.Parameters.AddWithValue("@now", SqliteDatabase.NowMs());
            cmd.Parameters.AddWithValue("@due", SqliteDatabase.NowMs() + (long)retryDelay.TotalMilliseconds);
            cmd.Parameters.AddWithValue("@reason", (object?)reason ?? DBNull.Value);
            cmd.Parameters.AddWithValue("@id", lease.Id);
            cmd.Parameters.AddWithValue("@t", (long)lease.Handle!);
            return cmd.ExecuteNonQuery();
        }, cancellationToken).ConfigureAwait(false);
        enqueued.Ring();
    }

    public async ValueTask ExtendAsync(TaskLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await db.WriteAsync(c =>
        {
            var cmd = SqliteDatabase.Command(c, "UPDATE tasks SET visible_at = @due WHERE id = @id AND lease_token = @t AND state = 1");
            cmd.Parameters.AddWithValue("@due", SqliteDatabase.NowMs() + (long)Options.VisibilityTimeout.TotalMilliseconds);
            cmd.Parameters.AddWithValue("@id", lease.Id);
            cmd.Parameters.AddWithValue("@t", (long)lease.Handle!);
            return cmd.ExecuteNonQuery();
        }, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<DeadTask> ListDeadAsync(string kind, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        RuntimeNames.ValidateKind(kind);
        var dead = db.Read(c =>
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT id, payload, attempts, reason, finished_at FROM tasks WHERE kind = @k AND state = 3 ORDER BY finished_at";
            cmd.Parameters.AddWithValue("@k", kind);
            using var r = cmd.ExecuteReader();
            var list = new List<DeadTask>();
            while (r.Read())
            {
                list.Add(new DeadTask(r.GetString(0), kind, (byte[])r.GetValue(1), r.GetInt32(2), r.IsDBNull(3) ? null : r.GetString(3),
                    DateTimeOffset.FromUnixTimeMilliseconds(r.IsDBNull(4) ? 0 : r.GetInt64(4))));
            }

            return list;
        });
        foreach (var d in dead)
        {
            yield return d;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private List<TaskLease> TakeLocked(SqliteConnection c, IReadOnlyList<string> kinds, int maxCount)
    {
        var now = SqliteDatabase.NowMs();
        var leased = new List<TaskLease>();
        var select = SqliteDatabase.Command(c, """
            SELECT id, priority, payload, attempts, enqueued_at FROM tasks
            WHERE kind = @k AND state < 2 AND visible_at <= @now ORDER BY priority, n LIMIT @n
            """);
        var k = select.Parameters.Add("@k", SqliteType.Text);
        select.Parameters.AddWithValue("@now", now);
        var n = select.Parameters.Add("@n", SqliteType.Integer);
        var update = SqliteDatabase.Command(c, "UPDATE tasks SET state = @s, attempts = @a, visible_at = @due, lease_token = @t, reason = @r, finished_at = @f WHERE id = @id");
        var s = update.Parameters.Add("@s", SqliteType.Integer);
        var a = update.Parameters.Add("@a", SqliteType.Integer);
        update.Parameters.AddWithValue("@due", now + (long)Options.VisibilityTimeout.TotalMilliseconds);
        var t = update.Parameters.Add("@t", SqliteType.Integer);
        var r = update.Parameters.Add("@r", SqliteType.Text);
        var f = update.Parameters.Add("@f", SqliteType.Integer);
        var id = update.Parameters.Add("@id", SqliteType.Text);
        foreach (var kind in kinds)
        {
            if (leased.Count >= maxCount)
            {
                break;
            }

            k.Value = kind;
            n.Value = maxCount - leased.Count;
            var rows = new List<(string Id, int Priority, byte[] Payload, int Attempts, long EnqueuedAt)>();
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    rows.Add((reader.GetString(0), reader.GetInt32(1), (byte[])reader.GetValue(2), reader.GetInt32(3), reader.GetInt64(4)));
                }
            }

            foreach (var row in rows)
            {
                var attempt = row.Attempts + 1;
                var dead = attempt > Options.MaxAttempts;
                var token = Random.Shared.NextInt64(1, long.MaxValue);
                s.Value = dead ? 3 : 1;
                a.Value = dead ? row.Attempts : attempt;
                t.Value = token;
                r.Value = dead ? "lease expired on the last attempt" : DBNull.Value;
                f.Value = dead ? now : DBNull.Value;
                id.Value = row.Id;
                update.ExecuteNonQuery();
                if (!dead)
                {
                    leased.Add(new TaskLease(row.Id, kind, row.Payload, (TaskPriority)row.Priority, attempt, DateTimeOffset.FromUnixTimeMilliseconds(row.EnqueuedAt)) { Handle = token });
                }
            }
        }

        return leased;
    }
}
