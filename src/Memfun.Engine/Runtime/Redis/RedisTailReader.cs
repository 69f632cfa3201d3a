using System.Globalization;
using System.Threading.Channels;
using Memfun.Engine.Runtime.Abstractions;
using StackExchange.Redis;

namespace Memfun.Engine.Runtime.Redis;

/// <summary>Follows the end of the event stream with a blocking <c>XREAD</c> on a connection of its own and hands each
/// new entry straight to the subscriptions that are live, so delivery costs one round trip after the publish.</summary>
/// <remarks>
/// <para>One reader per bus, started by the first subscription. Its connection is dedicated because
/// StackExchange.Redis multiplexes every caller over one socket: a blocking command on the backend's connection would
/// stall every other command behind it.</para>
/// <para>The contract with the subscriptions (<see cref="Follower"/>): a follower catches up by itself (XRANGE on the
/// shared connection) and asks <see cref="TryGoLive"/> when it has seen the end of the stream at its position P. It
/// becomes live only when the reader has read nothing past P; from then on the reader, under the same lock, gives it
/// every entry with an id above its position, in stream order, and advances its position (also over entries its
/// pattern does not match). A live follower whose channel is full is demoted: taken out of the live set and woken
/// (<see cref="Follower.Demoted"/>), it resumes XRANGE from its last delivered id. So nothing is lost or repeated, and
/// a slow reader never holds up the tail or the other followers.</para>
/// <para>When the reader fails (a server restart, any error) it demotes every live follower, which then poll as
/// before, and carries on from the last id it read once its connection answers again.</para>
/// </remarks>
internal sealed class RedisTailReader : IAsyncDisposable
{
    private const int BlockMilliseconds = 2000;
    private const int BatchSize = 1000;

    private readonly RedisBackend _backend;
    private readonly RedisKey _stream;
    private readonly Doorbell _changed;
    private readonly Lock _gate = new();
    private readonly List<Follower> _live = [];
    private readonly CancellationTokenSource _stop = new();
    private ConnectionMultiplexer? _connection;
    private Task _loop = Task.CompletedTask;
    private StreamId _last;
    private bool _known;
    private bool _healthy;
    private bool _started;
    private bool _disposed;

    /// <summary>Creates a reader of <paramref name="stream"/>; <paramref name="changed"/> is rung when it becomes able
    /// to take followers, so that waiting followers try again at once.</summary>
    public RedisTailReader(RedisBackend backend, RedisKey stream, Doorbell changed)
    {
        _backend = backend;
        _stream = stream;
        _changed = changed;
    }

    /// <summary>The name the reader's connection gives itself (<c>CLIENT LIST</c> shows it).</summary>
    public static string ClientNameFor(RedisKey stream) => "memfun-tail:" + (string?)stream;

    /// <summary>Whether the reader is connected and reading, so that a follower at the end of the stream may go live.</summary>
    public bool IsHealthy
    {
        get
        {
            lock (_gate)
            {
                return _healthy;
            }
        }
    }

    /// <summary>How many followers are live now (for tests and diagnostics).</summary>
    public int LiveCount
    {
        get
        {
            lock (_gate)
            {
                return _live.Count;
            }
        }
    }

    /// <summary>Starts the reading loop (and its connection) if it is not running yet.</summary>
    public void EnsureStarted()
    {
        lock (_gate)
        {
            if (_started || _disposed)
            {
                return;
            }

            _started = true;
            _loop = Task.Run(() => RunAsync(_stop.Token));
        }
    }

    /// <summary>Makes <paramref name="follower"/> live if the reader has read nothing past its position; otherwise (or
    /// while the reader is not healthy) the follower keeps catching up by itself.</summary>
    public bool TryGoLive(Follower follower)
    {
        lock (_gate)
        {
            if (!_healthy || _disposed || _last.CompareTo(follower.Position) > 0)
            {
                return false;
            }

            follower.Demoted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _live.Add(follower);
            return true;
        }
    }

    /// <summary>Takes <paramref name="follower"/> out of the live set (it is ending).</summary>
    public void Leave(Follower follower)
    {
        lock (_gate)
        {
            _live.Remove(follower);
        }
    }

    public async ValueTask DisposeAsync()
    {
        ConnectionMultiplexer? connection;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _healthy = false;
            connection = _connection;
            _connection = null;
            DemoteAllLocked();
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (connection is not null)
        {
            try
            {
                // Without letting commands complete: the pending XREAD BLOCK fails at once instead of running out its block.
                await connection.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
            {
                // A connection already broken has nothing left to close politely.
            }

            await connection.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping is the point.
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = 100;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var db = await ConnectAsync(cancellationToken).ConfigureAwait(false);
                if (!IsHealthy)
                {
                    await BecomeHealthyAsync(db).ConfigureAwait(false);
                }

                StreamId from;
                lock (_gate)
                {
                    from = _last;
                }

                var reply = await db.ExecuteAsync("XREAD", "COUNT", BatchSize, "BLOCK", BlockMilliseconds, "STREAMS", _stream, from.ToString())
                    .ConfigureAwait(false);
                Dispatch(reply);
                backoff = 100;
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Any failure only sends the followers back to polling; the reader retries.
            catch (Exception)
#pragma warning restore CA1031
            {
                lock (_gate)
                {
                    _healthy = false;
                    DemoteAllLocked();
                }

                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                backoff = Math.Min(backoff * 2, 1000);
            }
        }
    }

    /// <summary>Learns where the stream ends the first time, checks the connection answers on later recoveries, then
    /// lets followers go live.</summary>
    private async Task BecomeHealthyAsync(IDatabase db)
    {
        if (!_known)
        {
            var last = await db.StreamRangeAsync(_stream, "-", "+", 1, Order.Descending).ConfigureAwait(false);
            var id = last.Length > 0 ? StreamId.Parse(last[0].Id!) : default;
            lock (_gate)
            {
                _last = id;
                _known = true;
            }
        }
        else
        {
            await db.PingAsync().ConfigureAwait(false);
        }

        lock (_gate)
        {
            _healthy = true;
        }

        _changed.Ring();
    }

    private async Task<IDatabase> ConnectAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_connection is { } existing)
            {
                return existing.GetDatabase();
            }
        }

        var options = ConfigurationOptions.Parse(_backend.Database.Multiplexer.Configuration);
        options.AbortOnConnectFail = false;
        options.ReconnectRetryPolicy = new LinearRetry(250);
        options.ClientName = ClientNameFor(_stream);
        // Only XREAD runs here: without SUBSCRIBE the multiplexer opens no second (pub/sub) socket.
        options.CommandMap = CommandMap.Create(new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "SUBSCRIBE" }, available: false);
        // Not abandoned on cancellation (it would leak): with AbortOnConnectFail off it returns within ConnectTimeout,
        // and a reader disposed meanwhile closes it below.
        var connection = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        lock (_gate)
        {
            if (!_disposed)
            {
                _connection = connection;
                return connection.GetDatabase();
            }
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        throw new OperationCanceledException(cancellationToken);
    }

    /// <summary>Hands the entries of an XREAD reply to the live followers, in order, and advances the reader's position.</summary>
    private void Dispatch(RedisResult reply)
    {
        if (reply.IsNull)
        {
            return;
        }

        var streams = (RedisResult[])reply!;
        if (streams.Length == 0)
        {
            return;
        }

        var entries = (RedisResult[])((RedisResult[])streams[0]!)[1]!;
        lock (_gate)
        {
            foreach (var entry in entries)
            {
                var parts = (RedisResult[])entry!;
                var id = StreamId.Parse((string)parts[0]!);
                _last = id;
                if (_live.Count == 0)
                {
                    continue;
                }

                var (topic, data) = ReadFields((RedisResult[])parts[1]!);
                BusEvent? item = null;
                for (var i = _live.Count - 1; i >= 0; i--)
                {
                    var follower = _live[i];
                    if (follower.Position.CompareTo(id) >= 0)
                    {
                        continue;
                    }

                    if (topic is not null && follower.Pattern.Matches(topic))
                    {
                        item ??= new BusEvent(topic, data, id.Sequence, DateTimeOffset.FromUnixTimeMilliseconds(id.Ms));

                        if (!follower.Writer.TryWrite(item))
                        {
                            _live.RemoveAt(i);
                            follower.Demoted.TrySetResult();
                            continue;
                        }
                    }

                    follower.Position = id;
                }
            }
        }
    }

    private static (string? Topic, byte[] Data) ReadFields(RedisResult[] fields)
    {
        if (fields.Length == 4)
        {
            // PublishAsync writes exactly "t", topic, "d", data: no need to read the names back.
            return ((string?)fields[1], (byte[]?)fields[3] ?? []);
        }

        string? topic = null;
        byte[] data = [];
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            var name = (string?)fields[i];
            if (name == "t")
            {
                topic = (string?)fields[i + 1];
            }
            else if (name == "d")
            {
                data = (byte[]?)fields[i + 1] ?? [];
            }
        }

        return (topic, data);
    }

    private void DemoteAllLocked()
    {
        foreach (var follower in _live)
        {
            follower.Demoted.TrySetResult();
        }

        _live.Clear();
    }

    /// <summary>One subscription's side of the contract: its pattern, its channel, and the id of the last entry it has
    /// been given (or skipped). Written by its own loop while catching up, by the reader (under its lock) while live.</summary>
    internal sealed class Follower(TopicPattern pattern, ChannelWriter<BusEvent> writer, StreamId position)
    {
        public TopicPattern Pattern { get; } = pattern;

        public ChannelWriter<BusEvent> Writer { get; } = writer;

        public StreamId Position { get; set; } = position;

        /// <summary>Completes when the reader takes the follower out of the live set; replaced on each go-live.</summary>
        public TaskCompletionSource Demoted { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>A stream entry id (<c>ms-seq</c>), ordered as Redis orders them.</summary>
    internal readonly record struct StreamId(long Ms, long Seq) : IComparable<StreamId>
    {
        public static StreamId Parse(string id)
        {
            var dash = id.IndexOf('-', StringComparison.Ordinal);
            return new StreamId(
                long.Parse(id.AsSpan(0, dash), CultureInfo.InvariantCulture),
                long.Parse(id.AsSpan(dash + 1), CultureInfo.InvariantCulture));
        }

        /// <summary>The id just before the first id a replay from <paramref name="sequence"/> (inclusive) must include.</summary>
        public static StreamId Before(long sequence) =>
            (sequence & ((1 << 20) - 1)) is var seq && seq > 0
                ? new StreamId(sequence >> 20, seq - 1)
                : new StreamId((sequence >> 20) - 1, long.MaxValue);

        /// <summary>The bus's sequence for this id, as <see cref="RedisStreamIds.ToSequence"/> computes it.</summary>
        public long Sequence => (Ms << 20) | Math.Min(Seq, (1 << 20) - 1);

        public int CompareTo(StreamId other) => Ms != other.Ms ? Ms.CompareTo(other.Ms) : Seq.CompareTo(other.Seq);

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Ms}-{Seq}");
    }
}
