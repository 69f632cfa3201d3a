using System.Globalization;
using Memfun.Engine.Runtime.Nats;

namespace Memfun.Engine.Tests.Runtime.Servers;

/// <summary>Starts three <c>nats-server -js</c> processes clustered on loopback ports (each with its own store folder and
/// name <c>s0</c>–<c>s2</c>) and waits until JetStream answers; for <see cref="NatsClusterFixture"/> and the bench.</summary>
public static class NatsCluster
{
    /// <summary>The three servers, started and ready for replicated streams.</summary>
    public static async Task<List<ServerProcess>> StartAsync()
    {
        var servers = new List<ServerProcess>();
        int[] routes = [ServerProcess.FreePort(), ServerProcess.FreePort(), ServerProcess.FreePort()];
        for (var i = 0; i < 3; i++)
        {
            var me = i;
            var others = string.Join(",", Enumerable.Range(0, 3).Where(j => j != me).Select(j => $"nats://127.0.0.1:{routes[j]}"));
            servers.Add(await ServerProcess.StartAsync("nats-server", "nats-server", (port, dir) =>
                ["-js", "-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-sd", dir, "-n", "s" + me.ToString(CultureInfo.InvariantCulture),
                 "--cluster_name", "memfun", "--cluster", $"nats://127.0.0.1:{routes[me]}", "--routes", others]));
        }

        // JetStream in a cluster answers only once its meta leader is elected: wait until a replicated bucket can be made.
        var url = UrlOf(servers);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                await using var probe = await NatsBackend.ConnectAsync(url, "probe", replicas: 3);
                await probe.StateStore("ready").GetAsync("k");
                return servers;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }

    /// <summary>All the servers' client addresses, comma-separated (the client fails over between them).</summary>
    public static string UrlOf(IEnumerable<ServerProcess> servers) => string.Join(",", servers.Select(s => $"nats://127.0.0.1:{s.Port}"));
}
