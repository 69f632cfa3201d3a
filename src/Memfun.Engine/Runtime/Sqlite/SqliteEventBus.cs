using System.Threading.Channels;
using Memfun.Engine.Runtime.Abstractions;
using Microsoft.Data.Sqlite;

namespace Memfun.Engine.Runtime.Sqlite;

/// <summary>The SQLite bus: events appended to one table by a group-committing writer; subscribers poll it
/// (woken at once by publishers in the same process).</summary>
internal sealed class SqliteEventBus : IEventBus, IAsyncDisposable
{
    private const int MaxBatch = 2048;

    private readonly SqliteDatabase _db;
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Doorbell _published = new();
    private readonly Task _writer;

    public SqliteEventBus(SqliteDatabase db)
    {
        _db = db;
        _writer = Task.Run(WriteLoopAsync);
    }

    public bool IsDurable => true;

    public ValueTask<long> PublishAsync(string topic, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        TopicPattern.ValidateTopic(topic);
        var pending = new Pending(topic, data.ToArray(), new TaskCompletionSource<long>());
        if (!_pending.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(SqliteEventBus));
        }

        return new ValueTask<long>(pending.Done.Task.WaitAsync(cancellationToken));
    }

    public ValueTask<IRuntimeSubscription<BusEvent>> SubscribeAsync(string pattern, SubscribeOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= SubscribeOptions.Default;
        var parsed = TopicPattern.Parse(pattern);
        var after = options.From is { } from
            ? Math.Max(from, 1) - 1
            : _db.Read(c =>
            {
                using var cmd = c.CreateCommand();
                cmd.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM events";
                return (long)cmd.ExecuteScalar()!;
            });
        var sub = new ChannelSubscription<BusEvent>(options.BufferCapacity);
        sub.Start(ct => PollAsync(parsed, after, sub.Writer, ct));
        return ValueTask.FromResult<IRuntimeSubscription<BusEvent>>(sub);
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task PollAsync(TopicPattern pattern, long after, ChannelWriter<BusEvent> writer, CancellationToken cancellationToken)
    {
        using var connection = _db.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT seq, topic, data, ts FROM events WHERE seq > @after ORDER BY seq LIMIT 1000";
        var p = cmd.Parameters.Add("@after", SqliteType.Integer);
        var idle = 1;
        while (!cancellationToken.IsCancellationRequested)
        {
            var next = _published.Next;
            p.Value = after;
            var batch = new List<BusEvent>();
            using (var reader = cmd.ExecuteReader())
            {
                while (reader.Read())
                {
                    after = reader.GetInt64(0);
                    var topic = reader.GetString(1);
                    if (pattern.Matches(topic))
                    {
                        batch.Add(new BusEvent(topic, (byte[])reader.GetValue(2), after, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
                    }
                }
            }

            foreach (var e in batch)
            {
                await writer.WriteAsync(e, cancellationToken).ConfigureAwait(false);
            }

            if (batch.Count > 0 || p.Value is long before && before != after)
            {
                idle = 1;
                continue;
            }

            // Nothing new: wait for a local publish, or poll for other processes' writes with backoff.
            await Doorbell.WaitAsync(next, TimeSpan.FromMilliseconds(idle), cancellationToken).ConfigureAwait(false);
            idle = Math.Min(idle * 2, 25);
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                var first = await _db.WriteAsync(c =>
                {
                    var cmd = SqliteDatabase.Command(c, "INSERT INTO events(topic, data, ts) VALUES (@t, @d, @ts)");
                    var t = cmd.Parameters.Add("@t", SqliteType.Text);
                    var d = cmd.Parameters.Add("@d", SqliteType.Blob);
                    cmd.Parameters.AddWithValue("@ts", SqliteDatabase.NowMs());
                    foreach (var item in batch)
                    {
                        t.Value = item.Topic;
                        d.Value = item.Data;
                        cmd.ExecuteNonQuery();
                    }

                    // The transaction holds the write lock, so the batch's AUTOINCREMENT sequences are consecutive and
                    // end at the last insert's rowid (cheaper than a RETURNING reader per row).
                    var last = (long)SqliteDatabase.Command(c, "SELECT last_insert_rowid()").ExecuteScalar()!;
                    var seqs = new long[batch.Count];
                    for (var i = 0; i < seqs.Length; i++)
                    {
                        seqs[i] = last - (seqs.Length - 1 - i);
                    }

                    return seqs;
                }).ConfigureAwait(false);
                _published.Ring();
                // One thread-pool hop completes the batch (publishers' continuations run there), not one per event.
                ThreadPool.UnsafeQueueUserWorkItem(static state =>
                {
                    for (var i = 0; i < state.Items.Length; i++)
                    {
                        state.Items[i].Done.TrySetResult(state.Seqs[i]);
                    }
                }, (Items: batch.ToArray(), Seqs: first), preferLocal: false);
            }
            catch (Exception ex)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static state =>
                {
                    foreach (var item in state.Items)
                    {
                        item.Done.TrySetException(state.Error);
                    }
                }, (Items: batch.ToArray(), Error: ex), preferLocal: false);
            }
        }
    }

    private sealed record Pending(string Topic, byte[] Data, TaskCompletionSource<long> Done);
}
