namespace Memfun.Engine.Tests.Runtime.Servers;

/// <summary>One real <c>nats-server -js</c> per test collection, storing JetStream under a temporary folder.</summary>
public sealed class NatsServerFixture : IAsyncLifetime
{
    private ServerProcess? _server;

    public ServerProcess Server => _server ?? throw new InvalidOperationException("The NATS fixture did not start.");

    public string Url => $"nats://127.0.0.1:{Server.Port}";

    public async Task InitializeAsync() =>
        _server = await ServerProcess.StartAsync("nats-server", "nats-server", (port, dir) =>
            ["-js", "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-sd", dir]);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class NatsCollection : ICollectionFixture<NatsServerFixture>
{
    public const string Name = "nats-server";
}
