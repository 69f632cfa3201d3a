using System.Text.Json;
using System.Text.Json.Nodes;
using Memfun.McpServer.Tests.Infrastructure;

namespace Memfun.McpServer.Tests.Interop;

/// <summary>
/// A client nobody here wrote: the MCP Inspector CLI (<c>@modelcontextprotocol/inspector</c> 2.12.0)
/// drives memfun through <c>mcp.json.example</c> as written, with the tool installed the README's way.
/// </summary>
/// <remarks>
/// The stdio entry runs the installed <c>memfun</c> command from PATH. The HTTP entry names
/// <c>http://127.0.0.1:8080/mcp</c>, the server's default address; to stay off a port other work may
/// hold, the test serves a free port and points a copy of the file at it (the only change), and checks
/// separately that the example's address is the default.
/// </remarks>
[Collection(InstalledToolCollection.Name)]
public sealed class InspectorCliTests(InstalledToolFixture tool) : IDisposable
{
    private static readonly string ExampleConfig = Path.Combine(RepoRoot.Path, "mcp.json.example");
    private readonly TempWorkspace _ws = CreateWorkspace();

    public void Dispose() => _ws.Dispose();

    [Theory]
    [InlineData("memfun")]
    [InlineData("memfun-http")]
    public async Task The_example_entry_lists_tools_reads_a_file_lists_prompts_and_reads_MEMORY_md(string server)
    {
        await using var http = await StartForAsync(server);
        var config = ConfigFor(server, http);

        var tools = await InspectAsync(config, server, "--method", "tools/list");
        Assert.Contains(tools["tools"]!.AsArray(), t => t?["name"]?.GetValue<string>() == "read_file");

        var read = await InspectAsync(config, server, "--method", "tools/call", "--tool-name", "read_file", "--tool-arg", "path=src/app.py");
        Assert.NotEqual(true, read["isError"]?.GetValue<bool>());
        Assert.Contains("print('hello')", TextOf(read), StringComparison.Ordinal);

        var prompts = await InspectAsync(config, server, "--method", "prompts/list");
        Assert.NotEmpty(prompts["prompts"]!.AsArray());

        var resources = await InspectAsync(config, server, "--method", "resources/list");
        var memory = resources["resources"]!.AsArray()
            .FirstOrDefault(r => (r?["uri"]?.GetValue<string>() ?? "").EndsWith("MEMORY.md", StringComparison.Ordinal)
                                 || r?["name"]?.GetValue<string>() == "MEMORY.md");
        Assert.True(memory is not null, $"No MEMORY.md resource in: {resources.ToJsonString()}");
        var content = await InspectAsync(config, server, "--method", "resources/read", "--uri", memory!["uri"]!.GetValue<string>());
        Assert.Contains("Remember the milk", TextOf(content), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("memfun")]
    [InlineData("memfun-http")]
    public async Task Strict_tools_list_reports_no_error_severity_schema_problem(string server)
    {
        await using var http = await StartForAsync(server);
        var run = await RunInspectorAsync(ConfigFor(server, http), server, "--method", "tools/list", "--strict");

        Assert.True(run.ExitCode == 0, $"inspector --strict exited {run.ExitCode} (6 means an error-severity schema problem).\n{run}");
    }

    [Fact]
    public void The_example_http_entry_names_the_servers_default_address()
    {
        var config = JsonNode.Parse(File.ReadAllText(ExampleConfig))!;

        Assert.Equal("http://127.0.0.1:8080/mcp", config["mcpServers"]!["memfun-http"]!["url"]!.GetValue<string>());
        Assert.Equal("memfun", config["mcpServers"]!["memfun"]!["command"]!.GetValue<string>());
    }

    /// <summary>Every "text" string anywhere in a result (tool content blocks, resource contents), unescaped.</summary>
    private static string TextOf(JsonNode? node) => node switch
    {
        JsonObject o => string.Join("\n", o.Select(p => p.Key == "text" && p.Value is JsonValue v && v.TryGetValue<string>(out var t) ? t : TextOf(p.Value))),
        JsonArray a => string.Join("\n", a.Select(TextOf)),
        _ => "",
    };

    private static TempWorkspace CreateWorkspace()
    {
        var ws = new TempWorkspace("memfun-inspector");
        ws.Write("src/app.py", "def main():\n    print('hello')\n");
        ws.Write("MEMORY.md", "# Memory\n\n- Remember the milk.\n");
        return ws;
    }

    private async Task<HttpServerProcess?> StartForAsync(string server) =>
        server == "memfun-http" ? await MemfunServerProcess.StartHttpAsync(_ws.Path) : null;

    /// <summary>The example as written, or for the HTTP entry a copy whose URL names the test server's port.</summary>
    private string ConfigFor(string server, HttpServerProcess? http)
    {
        if (server != "memfun-http")
        {
            return ExampleConfig;
        }

        var copy = Path.Combine(_ws.Path, ".mcp.json");
        File.WriteAllText(copy, File.ReadAllText(ExampleConfig).Replace("http://127.0.0.1:8080/mcp", http!.Endpoint.ToString(), StringComparison.Ordinal));
        return copy;
    }

    private async Task<JsonObject> InspectAsync(string config, string server, params string[] args)
    {
        var run = await RunInspectorAsync(config, server, args);
        Assert.True(run.ExitCode == 0, $"inspector {string.Join(' ', args)} failed.\n{run}");
        try
        {
            return JsonNode.Parse(run.StandardOutput)!.AsObject();
        }
        catch (JsonException ex)
        {
            throw new Xunit.Sdk.XunitException($"inspector printed something that is not one JSON object ({ex.Message}).\n{run}");
        }
    }

    private async Task<NodeRun> RunInspectorAsync(string config, string server, params string[] args)
    {
        NodeTools.Require(NodeTools.Inspector);
        Assert.True(File.Exists(tool.Memfun), $"The install step did not produce {tool.Memfun}.\n{tool.InstallOutput}");
        return await NodeTools.RunAsync(
            NodeTools.Inspector,
            ["--cli", "--config", config, "--server", server, "--cwd", _ws.Path, .. args],
            TimeSpan.FromSeconds(90),
            new Dictionary<string, string?>
            {
                ["PATH"] = tool.PathWithTool(),
                ["MCP_INSPECTOR_SECRET_STORE"] = "memory",
            },
            _ws.Path);
    }
}
