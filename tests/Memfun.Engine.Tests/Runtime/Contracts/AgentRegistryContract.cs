using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.Stored;

namespace Memfun.Engine.Tests.Runtime.Contracts;

/// <summary>The <see cref="IAgentRegistry"/> contract, run unchanged on every tier.</summary>
public abstract class AgentRegistryContract : ContractTestBase
{
    private protected AgentRegistryContract(TierHarness harness) : base(harness) { }

    private async Task<IAgentRegistry> RegistryAsync() => new StoredAgentRegistry((await OpenAsync()).StateStore(RuntimeAreas.Agents));

    private static AgentRegistration Agent(string id, TimeSpan stale, params string[] caps) =>
        new(id, "Agent " + id, caps, stale, new Dictionary<string, string> { ["host"] = "test" });

    [Fact]
    public async Task Agents_are_discovered_by_every_capability_asked_for()
    {
        var registry = await RegistryAsync();
        await registry.RegisterAsync(Agent("coder-1", TimeSpan.FromMinutes(1), "code", "test"), Ct);
        await registry.RegisterAsync(Agent("writer-1", TimeSpan.FromMinutes(1), "docs"), Ct);
        await registry.RegisterAsync(Agent("coder-2", TimeSpan.FromMinutes(1), "code"), Ct);
        Assert.Equal(["coder-1", "coder-2"], (await registry.DiscoverAsync(["CODE"], Ct)).Select(a => a.Id).Order());
        Assert.Equal(["coder-1"], (await registry.DiscoverAsync(["code", "test"], Ct)).Select(a => a.Id));
        Assert.Empty(await registry.DiscoverAsync(["fly"], Ct));
        var listed = await registry.ListAsync(Ct);
        Assert.Equal(3, listed.Count);
        Assert.Equal("test", listed.First(a => a.Id == "writer-1").Metadata["host"]);
    }

    [Fact]
    public async Task An_agent_without_heartbeats_expires_and_a_heartbeat_keeps_one_alive()
    {
        var registry = await RegistryAsync();
        // Wide margins: a heartbeat every 0.5 s against a 4 s lifetime holds even on a loaded machine.
        await registry.RegisterAsync(Agent("quiet", TimeSpan.FromSeconds(4), "x"), Ct);
        await registry.RegisterAsync(Agent("chatty", TimeSpan.FromSeconds(4), "x"), Ct);
        for (var i = 0; i < 11; i++)
        {
            await Task.Delay(500, Ct);
            Assert.True(await registry.HeartbeatAsync("chatty", Ct));
        }

        Assert.Equal(["chatty"], (await registry.DiscoverAsync(["x"], Ct)).Select(a => a.Id));
        Assert.False(await registry.HeartbeatAsync("quiet", Ct));
    }

    [Fact]
    public async Task Unregister_removes_an_agent_and_bad_ids_are_refused()
    {
        var registry = await RegistryAsync();
        await registry.RegisterAsync(Agent("gone", TimeSpan.FromMinutes(1), "x"), Ct);
        Assert.True(await registry.UnregisterAsync("gone", Ct));
        Assert.Empty(await registry.ListAsync(Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await registry.RegisterAsync(Agent("no spaces", TimeSpan.FromMinutes(1)), Ct));
    }
}
