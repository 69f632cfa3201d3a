namespace Memfun.Engine.Tests.Runtime.Servers;

/// <summary>One real <c>redis-server</c> per test collection: append-only file fsynced on every write, no RDB snapshots.</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private ServerProcess? _server;

    public ServerProcess Server => _server ?? throw new InvalidOperationException("The Redis fixture did not start.");

    public string Url => $"redis://127.0.0.1:{Server.Port}";

    public async Task InitializeAsync() =>
        _server = await ServerProcess.StartAsync("redis-server", "redis-server", (port, dir) =>
            ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "yes", "--appendfsync", "always", "--dir", dir]);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "redis-server";
}
