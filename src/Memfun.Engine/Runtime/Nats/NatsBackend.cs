using Memfun.Engine.Runtime.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;

namespace Memfun.Engine.Runtime.Nats;

/// <summary>The NATS JetStream tier: a stream for events, a work-queue stream for tasks, a KV bucket per state area.</summary>
/// <remarks>Works with nats-server 2.9 (Debian's): it uses no 2.10+ field (single <c>FilterSubject</c>, no per-key TTL —
/// TTLs are kept in the value and honoured on read).</remarks>
internal sealed class NatsBackend : RuntimeBackend
{
    private readonly NatsConnection _connection;

    private NatsBackend(NatsConnection connection, string address, string prefix, TaskQueueOptions taskOptions, int replicas)
    {
        _connection = connection;
        Address = address;
        Server = "NATS at " + address;
        Replicas = replicas;
        Prefix = NatsKeys.Name(prefix);
        JetStream = new NatsJSContext(connection);
        KeyValue = new NatsKVContext(JetStream);
        EventBus = new NatsEventBus(this);
        TaskQueue = new NatsTaskQueue(this, taskOptions);
    }

    public override string Tier => "nats";

    public override string Address { get; }

    /// <summary>The server as errors name it ("NATS at …"), for <see cref="RuntimeRetry"/>.</summary>
    public string Server { get; }

    /// <summary>Replicas of every stream and KV bucket memfun creates (1 on one server, 3 in a cluster).</summary>
    public int Replicas { get; }

    /// <summary>The subject/stream prefix, e.g. <c>memfun</c>.</summary>
    public string Prefix { get; }

    public NatsJSContext JetStream { get; }

    public NatsKVContext KeyValue { get; }

    public override IEventBus EventBus { get; }

    public override ITaskQueue TaskQueue { get; }

    /// <summary>Connects to <paramref name="url"/> (one address, or several seed servers of a cluster separated by commas;
    /// the client fails over between them) and checks that JetStream is on; fails with one clear message naming the address.</summary>
    /// <param name="url">The server, or the cluster's seed servers, comma-separated.</param>
    /// <param name="prefix">Prefix of subjects, streams and buckets.</param>
    /// <param name="taskOptions">Task queue settings.</param>
    /// <param name="replicas">Replicas of each stream and bucket created (1–5; 3 for a three-server cluster).</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    public static async Task<NatsBackend> ConnectAsync(string url, string prefix, TaskQueueOptions? taskOptions = null, int replicas = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(replicas, 5);
        var connection = new NatsConnection(new NatsOpts
        {
            Url = url,
            Name = "memfun",
            ConnectTimeout = TimeSpan.FromSeconds(5),
            MaxReconnectRetry = -1,
            ReconnectWaitMin = TimeSpan.FromMilliseconds(100),
            ReconnectWaitMax = TimeSpan.FromSeconds(1),
        });
        try
        {
            await connection.ConnectAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NatsException ex)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new RuntimeUnavailableException(
                $"Cannot reach NATS at {url}: nothing answered. Start 'nats-server -js' there, or set [backend.nats] url in ~/.memfun/config.toml (or --url).", ex);
        }

        var backend = new NatsBackend(connection, url, prefix, taskOptions ?? TaskQueueOptions.Default, replicas);
        try
        {
            await backend.JetStream.GetAccountInfoAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NatsJSException or NatsNoRespondersException or NatsException)
        {
            await backend.DisposeAsync().ConfigureAwait(false);
            throw new RuntimeUnavailableException(
                $"NATS at {url} answers but JetStream is off: start the server with -js (and -sd DIR for a store folder).", ex);
        }

        return backend;
    }

    protected override IStateStore CreateStateStore(string area) => new NatsStateStore(this, NatsKeys.Name(Prefix + "_" + area));

    public override async ValueTask DisposeAsync() => await _connection.DisposeAsync().ConfigureAwait(false);
}
