using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Memfun.McpServer.Tests.Infrastructure;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Tests.Mcp;

/// <summary>
/// The contract every tool and resource keeps with a host, over a real <c>memfun serve --stdio</c> without a model:
/// arguments checked before anything runs (the same way on every tool), missing resources answered with the
/// protocol's not-found error, structured results that carry what the text does, progress before the answer.
/// </summary>
public sealed class ToolContractEndToEndTests : IAsyncLifetime
{
    private readonly TempWorkspace _workspace = new("memfun-contract");
    private McpClient _client = null!;

    public async Task InitializeAsync()
    {
        _workspace.Write("src/app.py", "class App:\n    def run(self, port: int) -> None:\n        pass\n");
        _client = await MemfunServerProcess.StartStdioAsync(_workspace.Path, NoModel());
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        _workspace.Dispose();
    }

    [Fact]
    public async Task Every_tool_refuses_an_unknown_argument_and_names_its_arguments()
    {
        var tools = await _client.ListToolsAsync();

        Assert.True(tools.Count > 30, $"only {tools.Count} tools listed");
        foreach (var tool in tools)
        {
            var result = await _client.CallToolAsync(tool.Name, new Dictionary<string, object?> { ["zz_not_an_argument"] = 1 });

            Assert.True(result.IsError, tool.Name);
            var text = result.Text();
            Assert.StartsWith($"Invalid arguments for '{tool.Name}': ", text, StringComparison.Ordinal);
            Assert.Contains("'zz_not_an_argument' is not an argument of this tool", text, StringComparison.Ordinal);
            var properties = tool.ProtocolTool.InputSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
            Assert.Contains(properties.Count == 0 ? "This tool takes no arguments." : "Arguments: " + properties[0] + " (", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("solve", """{"task": ""}""", "'task' is empty")]
    [InlineData("fix", """{"problem": "  "}""", "'problem' is empty")]
    [InlineData("analyze", """{"path": "/etc"}""", "The path '/etc' resolves outside the workspace root")]
    [InlineData("review", """{"path": "does/not/exist.cs"}""", "'does/not/exist.cs' does not exist in the workspace")]
    [InlineData("rlm_run", """{"task": "count the files", "max_iterations": 0}""", "max_iterations must be between 1 and 200; it was 0")]
    [InlineData("git_status", """{"porcelain": true}""", "'porcelain' is not an argument of this tool. This tool takes no arguments.")]
    [InlineData("read_file", """{"path": "src/app.py", "lines": 3}""", "'lines' is not an argument of this tool. Arguments: path (string, required), offset (")]
    public async Task A_bad_argument_is_named_before_a_model_is_looked_for(string tool, string arguments, string expected)
    {
        var args = JsonSerializer.Deserialize<Dictionary<string, object?>>(arguments)!;

        var result = await _client.CallToolAsync(tool, args);

        Assert.True(result.IsError);
        Assert.Contains(expected, result.Text(), StringComparison.Ordinal);
        Assert.DoesNotContain("language model", result.Text(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_missing_resource_is_not_found_with_the_protocols_code()
    {
        (string Uri, string Message)[] missing =
        [
            ("memfun://workflows/wf-nope", "There is no workflow 'wf-nope'"),
            ("memfun://rlm/traces/nope", "There is no trace 'nope'"),
            ("skill://no-such-skill/SKILL.md", "No skill file is served at skill://no-such-skill/SKILL.md"),
            ("skill://review-code/NOPE.md", "The skill 'review-code' has no file 'NOPE.md'"),
            ("memfun://no/such/thing", ""),
        ];
        await using var old = await MemfunServerProcess.StartStdioAsync(_workspace.Path, NoModel(), new McpClientOptions { ProtocolVersion = "2025-11-25" });
        var sdkOwn = await Assert.ThrowsAsync<McpProtocolException>(() => _client.ReadResourceAsync("memfun://no/such/thing").AsTask());

        foreach (var (uri, message) in missing)
        {
            var error = await Assert.ThrowsAsync<McpProtocolException>(() => old.ReadResourceAsync(uri).AsTask());
            var current = await Assert.ThrowsAsync<McpProtocolException>(() => _client.ReadResourceAsync(uri).AsTask());

            Assert.True(error.ErrorCode == McpErrorCode.ResourceNotFound, $"{uri} on 2025-11-25: {error.ErrorCode} {error.Message}");
            Assert.True(current.ErrorCode == sdkOwn.ErrorCode, $"{uri}: {current.ErrorCode}, the SDK's own not-found: {sdkOwn.ErrorCode}");
            Assert.Contains(message, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Code_maps_structured_result_carries_the_map_of_its_text()
    {
        var result = await _client.CallToolAsync("code_map", new Dictionary<string, object?>());

        var structured = JsonSerializer.SerializeToElement(result.StructuredContent);
        Assert.Equal(result.Text(), structured.GetProperty("map").GetString());
        Assert.Contains("2: def run(self, port: int) -> None", structured.GetProperty("map").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_progress_notification_of_a_call_comes_before_its_answer()
    {
        // Raw stdio: the order on the wire is what a host sees. Each folder is mapped afresh, so each call parses and reports.
        for (var d = 0; d < 6; d++)
        {
            for (var f = 0; f < 40; f++)
            {
                _workspace.Write($"pkg{d}/m{f}.py", $"def f{f}(x):\n    return x\n\nclass C{f}:\n    def m(self):\n        return {f}\n");
            }
        }

        using var server = MemfunServerProcess.StartRawStdio(_workspace.Path);
        try
        {
            var wire = new RawWire(server);
            await wire.SendAsync(MemfunServerProcess.InitializeLine());
            await wire.ReadUntilAsync(m => m["id"]?.GetValue<int>() == 1);
            await wire.SendAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
            var progressSeen = 0;
            var late = new List<string>();
            for (var d = 0; d < 6; d++)
            {
                var id = 10 + d;
                await wire.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"code_map\",\"arguments\":{\"path\":\"pkg" + d
                    + "\"},\"_meta\":{\"progressToken\":\"map-" + d + "\"}}}");
                var before = await wire.ReadUntilAsync(m => m["id"]?.GetValue<int>() == id);
                var progress = before.Where(m => (string?)m["method"] == "notifications/progress").Select(m => (string?)m["params"]?["progressToken"]).ToList();
                progressSeen += progress.Count(t => t == $"map-{d}");
                late.AddRange(progress.Where(t => t != $"map-{d}").Select(t => t ?? "(none)"));
            }

            // A ping answered after every call: anything the server wrote after the last answer is read before the pong.
            await wire.SendAsync("""{"jsonrpc":"2.0","id":99,"method":"ping"}""");
            late.AddRange(from m in await wire.ReadUntilAsync(m => m["id"]?.GetValue<int>() == 99)
                          where (string?)m["method"] == "notifications/progress"
                          select (string)m["params"]!["progressToken"]!);

            Assert.True(progressSeen > 0, "no progress notification was sent at all");
            Assert.Empty(late);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    /// <summary>The environment of a server without a model: its own user folder, no provider.</summary>
    private static Dictionary<string, string?> NoModel() => new()
    {
        ["MEMFUN_HOME"] = Path.Combine(Path.GetTempPath(), "memfun-home-" + Guid.NewGuid().ToString("N")),
    };

    /// <summary>Line-delimited JSON-RPC over a raw server process.</summary>
    private sealed class RawWire(Process server)
    {
        public async Task SendAsync(string line)
        {
            await server.StandardInput.WriteLineAsync(line);
            await server.StandardInput.FlushAsync();
        }

        /// <summary>Reads messages until one matches <paramref name="last"/>; returns those before it.</summary>
        public async Task<List<JsonNode>> ReadUntilAsync(Func<JsonNode, bool> last)
        {
            var seen = new List<JsonNode>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            while (await server.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                var message = JsonNode.Parse(line)!;
                if (message["id"] is JsonValue id && id.TryGetValue<int>(out _) && last(message))
                {
                    return seen;
                }

                seen.Add(message);
            }

            throw new InvalidOperationException("The server closed its output. Read: " + string.Join("\n", seen));
        }
    }
}
