using System.Globalization;
using Memfun.Engine.Runtime.Nats;

namespace Memfun.Engine.Tests.Runtime.Servers;

/// <summary>Three <c>nats-server -js</c> processes clustered on loopback ports (each with its own store folder and name
/// <c>s0</c>–<c>s2</c>), for the runtime with three replicas. Uses only nats-server 2.9 options.</summary>
public sealed class NatsClusterFixture : IAsyncLifetime
{
    private readonly List<ServerProcess> _servers = [];

    /// <summary>The servers; <c>Servers[i]</c> is named <c>s{i}</c> in the cluster.</summary>
    public IReadOnlyList<ServerProcess> Servers => _servers;

    /// <summary>All three client addresses, comma-separated (the client fails over between them).</summary>
    public string Url => string.Join(",", _servers.Select(s => $"nats://127.0.0.1:{s.Port}"));

    /// <summary>The server named <paramref name="name"/> (<c>s0</c>–<c>s2</c>).</summary>
    public ServerProcess ByName(string name) => _servers[int.Parse(name.AsSpan(1), CultureInfo.InvariantCulture)];

    public async Task InitializeAsync()
    {
        int[] routes = [ServerProcess.FreePort(), ServerProcess.FreePort(), ServerProcess.FreePort()];
        for (var i = 0; i < 3; i++)
        {
            var me = i;
            var others = string.Join(",", Enumerable.Range(0, 3).Where(j => j != me).Select(j => $"nats://127.0.0.1:{routes[j]}"));
            _servers.Add(await ServerProcess.StartAsync("nats-server", "nats-server", (port, dir) =>
                ["-js", "-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-sd", dir, "-n", "s" + me.ToString(CultureInfo.InvariantCulture),
                 "--cluster_name", "memfun", "--cluster", $"nats://127.0.0.1:{routes[me]}", "--routes", others]));
        }

        // JetStream in a cluster answers only once its meta leader is elected: wait until a replicated bucket can be made.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                await using var probe = await NatsBackend.ConnectAsync(Url, "probe", replicas: 3);
                await probe.StateStore("ready").GetAsync("k");
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }

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
