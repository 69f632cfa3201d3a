using System.Globalization;

namespace Memfun.Engine.Tests.Runtime.Servers;

/// <summary>Three <c>nats-server -js</c> processes clustered on loopback ports (each with its own store folder and name
/// <c>s0</c>–<c>s2</c>), for the runtime with three replicas. Uses only nats-server 2.9 options.</summary>
public sealed class NatsClusterFixture : IAsyncLifetime
{
    private readonly List<ServerProcess> _servers = [];

    /// <summary>The servers; <c>Servers[i]</c> is named <c>s{i}</c> in the cluster.</summary>
    public IReadOnlyList<ServerProcess> Servers => _servers;

    /// <summary>All three client addresses, comma-separated (the client fails over between them).</summary>
    public string Url => NatsCluster.UrlOf(_servers);

    /// <summary>The server named <paramref name="name"/> (<c>s0</c>–<c>s2</c>).</summary>
    public ServerProcess ByName(string name) => _servers[int.Parse(name.AsSpan(1), CultureInfo.InvariantCulture)];

    public async Task InitializeAsync() => _servers.AddRange(await NatsCluster.StartAsync());

    public async Task DisposeAsync()
    {
        foreach (var s in _servers)
        {
            await s.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class NatsClusterCollection : ICollectionFixture<NatsClusterFixture>
{
    public const string Name = "nats-cluster";
}
