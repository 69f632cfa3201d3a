using Memfun.Engine.Runtime.Abstractions;
using StackExchange.Redis;

namespace Memfun.Engine.Runtime.Redis;

/// <summary>The Redis tier: one multiplexed connection; streams for events and tasks, hashes for state, pub/sub for watches.</summary>
internal sealed class RedisBackend : RuntimeBackend
{
    private readonly ConnectionMultiplexer _connection;
    private readonly string _prefix;

    private RedisBackend(ConnectionMultiplexer connection, string address, string prefix, TaskQueueOptions taskOptions)
    {
        _connection = connection;
        Address = address;
        Server = "Redis at " + address;
        _prefix = prefix;
        Database = connection.GetDatabase();
        EventBus = new RedisEventBus(this);
        TaskQueue = new RedisTaskQueue(this, taskOptions);
    }

    public override string Tier => "redis";

    public override string Address { get; }

    /// <summary>The server as errors name it ("Redis at …"), for <see cref="RuntimeRetry"/>.</summary>
    public string Server { get; }

    public IDatabase Database { get; }

    public ISubscriber Subscriber => _connection.GetSubscriber();

    public override IEventBus EventBus { get; }

    public override ITaskQueue TaskQueue { get; }

    /// <summary>Connects to <paramref name="url"/> (<c>redis://host:port</c> or <c>host:port</c>); fails with one clear
    /// message naming the address when nothing answers.</summary>
    public static async Task<RedisBackend> ConnectAsync(string url, string prefix, TaskQueueOptions? taskOptions = null, CancellationToken cancellationToken = default)
    {
        var address = url.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) ? url["redis://".Length..].TrimEnd('/') : url;
        var options = ConfigurationOptions.Parse(address);
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = 5000;
        options.ConnectRetry = 1;
        options.ReconnectRetryPolicy = new LinearRetry(250);
        ConnectionMultiplexer connection;
        try
        {
            connection = await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisException)
        {
            throw new RuntimeUnavailableException(
                $"Cannot reach Redis at {address}: nothing answered. Start redis-server there, or set [backend.redis] url in ~/.memfun/config.toml (or --url).", ex);
        }

        return new RedisBackend(connection, address, prefix, taskOptions ?? TaskQueueOptions.Default);
    }

    public RedisKey Key(string name) => _prefix + ":" + name;

    protected override IStateStore CreateStateStore(string area) => new RedisStateStore(this, area);

    public override async ValueTask DisposeAsync()
    {
        await ((RedisEventBus)EventBus).DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
