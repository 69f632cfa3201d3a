using System.Text.Json;
using System.Text.RegularExpressions;
using Memfun.McpServer.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Tests.Mcp;

public sealed class MemoryToolsTests
{
    private static Dictionary<string, string?> Env(TempWorkspace home) => new() { ["MEMFUN_HOME"] = home.Path };

    [Fact]
    public async Task Remember_recall_list_and_forget_work_end_to_end_and_MEMORY_md_is_a_resource()
    {
        using var ws = new TempWorkspace();
        using var home = new TempWorkspace("memfun-home");
        await using var client = await MemfunServerProcess.StartStdioAsync(ws.Path, Env(home));

        var tools = (await client.ListToolsAsync()).ToDictionary(t => t.Name);
        Assert.True(tools["recall"].ProtocolTool.Annotations?.ReadOnlyHint);
        Assert.True(tools["forget"].ProtocolTool.Annotations?.DestructiveHint);
        Assert.False(tools["remember"].ProtocolTool.Annotations?.ReadOnlyHint);
        Assert.NotNull(tools["memory_list"].ProtocolTool.OutputSchema);

        var remembered = await client.CallToolAsync("remember", new Dictionary<string, object?> { ["text"] = "Migrations run with `make migrate`.", ["tags"] = new[] { "db" } });
        Assert.NotEqual(true, remembered.IsError);
        Assert.Equal("p1", remembered.StructuredContent!.Value.GetProperty("id").GetString());
        await client.CallToolAsync("remember", new Dictionary<string, object?> { ["text"] = "Prefers tabs over spaces.", ["scope"] = "user" });

        var recall = await client.CallToolAsync("recall", new Dictionary<string, object?> { ["query"] = "how do I run database migrations" });
        Assert.Contains("[p1] Migrations run with `make migrate`. (db)", recall.Text());
        Assert.Equal("p1", recall.StructuredContent!.Value.GetProperty("memories")[0].GetProperty("id").GetString());

        var list = await client.CallToolAsync("memory_list", new Dictionary<string, object?> { ["limit"] = 1 });
        Assert.Equal(2, list.StructuredContent!.Value.GetProperty("total").GetInt32());
        Assert.Equal(1, list.StructuredContent!.Value.GetProperty("nextOffset").GetInt32());

        var resources = await client.ListResourcesAsync();
        var memoryMd = Assert.Single(resources, r => r.Uri == "memfun://workspace/MEMORY.md");
        Assert.Equal("text/markdown", memoryMd.MimeType);
        var read = await client.ReadResourceAsync("memfun://workspace/MEMORY.md");
        var text = Assert.IsType<TextResourceContents>(Assert.Single(read.Contents)).Text;
        Assert.Contains("- Migrations run with `make migrate`. <!-- mem:p1 -->", text);

        var bad = await client.CallToolAsync("remember", new Dictionary<string, object?> { ["text"] = "x", ["scope"] = "team" });
        Assert.True(bad.IsError);
        Assert.Contains("scope must be 'project' or 'user'", bad.Text());

        var forget = await client.CallToolAsync("forget", new Dictionary<string, object?> { ["target"] = "p1" });
        Assert.Contains("Forgot 1: p1", forget.Text());
        Assert.DoesNotContain("make migrate", File.ReadAllText(ws.Full("MEMORY.md")));
    }

    [Fact]
    public async Task With_a_home_folder_that_does_not_exist_a_memory_is_listed_once()
    {
        // Services and CI often run with HOME set to a folder that is not there; the user store must not become
        // the workspace's own .memfun store.
        using var ws = new TempWorkspace();
        using var scratch = new TempWorkspace("memfun-home");
        var home = Path.Combine(scratch.Path, "missing");
        await using var client = await MemfunServerProcess.StartStdioAsync(ws.Path, new Dictionary<string, string?> { ["HOME"] = home, ["MEMFUN_HOME"] = null });

        var remembered = await client.CallToolAsync("remember", new Dictionary<string, object?> { ["text"] = "Builds run with make." });
        var list = await client.CallToolAsync("memory_list", new Dictionary<string, object?>());

        Assert.Equal("p1", remembered.StructuredContent!.Value.GetProperty("id").GetString());
        Assert.Equal(1, list.StructuredContent!.Value.GetProperty("total").GetInt32());
        Assert.DoesNotContain("u1", list.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_remember_and_recall_from_several_server_processes_lose_nothing()
    {
        using var ws = new TempWorkspace();
        using var home = new TempWorkspace("memfun-home");
        const int processes = 3, perProcess = 25;
        var clients = await Task.WhenAll(Enumerable.Range(0, processes).Select(_ => MemfunServerProcess.StartStdioAsync(ws.Path, Env(home))));
        try
        {
            await Task.WhenAll(clients.Select((client, p) => Task.Run(async () =>
            {
                for (var i = 0; i < perProcess; i++)
                {
                    var scope = i % 5 == 0 ? "user" : "project";
                    var r = await client.CallToolAsync("remember", new Dictionary<string, object?> { ["text"] = $"Process {p} fact {i} about widget{p}x{i}.", ["scope"] = scope });
                    Assert.NotEqual(true, r.IsError);
                    var hit = await client.CallToolAsync("recall", new Dictionary<string, object?> { ["query"] = $"widget{p}x{i}", ["k"] = 1 });
                    Assert.Contains($"widget{p}x{i}", hit.Text());
                }
            })));

            foreach (var client in clients)
            {
                var list = await client.CallToolAsync("memory_list", new Dictionary<string, object?> { ["limit"] = 200 });
                Assert.Equal(processes * perProcess, list.StructuredContent!.Value.GetProperty("total").GetInt32());
            }

            var markers = Regex.Matches(File.ReadAllText(ws.Full("MEMORY.md")), @"<!-- mem:[pu]\d+ -->").Select(m => m.Value).ToList();
            Assert.Equal(processes * perProcess, markers.Distinct().Count());
            Assert.Equal(markers.Count, markers.Distinct().Count());
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
