using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.Stored;

namespace Memfun.Engine.Tests.Runtime.Contracts;

/// <summary>The <see cref="IToolRegistry"/> contract, run unchanged on every tier.</summary>
public abstract class ToolRegistryContract : ContractTestBase
{
    private protected ToolRegistryContract(TierHarness harness) : base(harness) { }

    private async Task<IToolRegistry> RegistryAsync() => new StoredToolRegistry((await OpenAsync()).StateStore(RuntimeAreas.Tools));

    [Fact]
    public async Task A_tool_registered_on_one_node_is_discovered_by_another()
    {
        var nodeA = await RegistryAsync();
        var nodeB = await RegistryAsync();
        await nodeA.RegisterAsync(new ToolDescriptor("grep_logs", "Search the logs", """{"type":"object","properties":{"q":{"type":"string"}}}""", "node-a"), Ct);
        await nodeB.RegisterAsync(new ToolDescriptor("build", "Build the project", """{"type":"object"}""", "node-b"), Ct);
        Assert.Equal(["build", "grep_logs"], (await nodeB.ListAsync(Ct)).Select(t => t.Name));
        var tool = await nodeB.GetAsync("grep_logs", Ct);
        Assert.Equal(("node-a", "Search the logs"), (tool!.Node, tool.Description));
        Assert.Contains("\"q\"", tool.InputSchema, StringComparison.Ordinal);
        Assert.True(await nodeA.UnregisterAsync("build", Ct));
        Assert.Equal(["grep_logs"], (await nodeB.ListAsync(Ct)).Select(t => t.Name));
    }

    [Fact]
    public async Task A_tool_whose_schema_is_not_a_json_object_is_refused()
    {
        var registry = await RegistryAsync();
        var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await registry.RegisterAsync(new ToolDescriptor("t", "d", "[1,2]", "n"), Ct));
        Assert.Contains("JSON object", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(async () => await registry.RegisterAsync(new ToolDescriptor("t", "d", "{nope", "n"), Ct));
    }
}
