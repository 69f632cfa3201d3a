// Sampling (deprecated by the 2026-07-28 protocol, MCP9005) is how this test host lends its model.
#pragma warning disable MCP9005
using System.Collections.Concurrent;
using System.Text.Json;
using Memfun.McpServer.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using static Memfun.McpServer.Tests.Infrastructure.HostModelReplies;

namespace Memfun.McpServer.Tests.Agents;

/// <summary>
/// A code-producing specialist called directly (<c>coder_agent</c>) is followed by the quality pipeline: the built
/// server over stdio, the test client's sampling as the model, a real <c>[verify]</c> command on real files.
/// </summary>
public sealed class SpecialistQualityEndToEndTests
{
    private const string Calc = "def add(a, b):\n    return a + b\n";

    /// <summary>The coder adds mul with a bug; the fix pass repairs it; the review accepts it.</summary>
    private static CreateMessageResult Answer(CreateMessageRequestParams request)
    {
        var system = request.SystemPrompt ?? string.Empty;
        if (system.Contains("repairing a change you made", StringComparison.Ordinal))
        {
            return Text(JsonSerializer.Serialize(new
            {
                summary = "Multiply, not add.",
                operations = new[] { new { op = "edit", path = "calc.py", old = "def mul(a, b):\n    return a + b", @new = "def mul(a, b):\n    return a * b" } },
            }));
        }

        if (system.Contains("You review a change made by a coding agent", StringComparison.Ordinal))
        {
            return Text("""{"verdict": "ok", "problems": [], "summary": "mul is added and checked."}""");
        }

        if (request.Messages.Count > 0 && request.Messages[^1].Content.Any(c => c is ToolResultContentBlock))
        {
            return Text("Added mul(a, b) to calc.py.");
        }

        return system.Contains("You are the coder", StringComparison.Ordinal)
            ? ToolUse("edit_file", new { path = "calc.py", old_text = "    return a + b\n", new_text = "    return a + b\n\n\ndef mul(a, b):\n    return a + b\n" })
            : Text("Nothing to do.");
    }

    [Fact]
    public async Task A_direct_coder_call_that_breaks_the_checks_is_fixed_reviewed_and_reported_with_its_quality_verdict()
    {
        using var ws = new TempWorkspace();
        ws.Write("calc.py", Calc);
        // Verification commands are the user's setting (variables, ~/.memfun/config.toml), never a project file's.
        var env = new Dictionary<string, string?> { ["MEMFUN_VERIFY__COMMAND"] = "python3 -c 'import calc; assert calc.mul(2, 3) == 6'" };
        var systems = new ConcurrentQueue<string>();
        var options = new McpClientOptions { ProtocolVersion = "2025-11-25" };
        options.Handlers.SamplingHandler = (request, _, _) =>
        {
            systems.Enqueue(request!.SystemPrompt ?? string.Empty);
            return ValueTask.FromResult(Answer(request));
        };
        await using var client = await MemfunServerProcess.StartStdioAsync(ws.Path, env, clientOptions: options);
        await client.ListToolsAsync(); // as a host does: the agent tools appear on the first list

        var result = await client.CallToolAsync("coder_agent", new Dictionary<string, object?> { ["task"] = "Add mul(a, b) to calc.py" });

        var text = result.Text();
        Assert.False(result.IsError, text);
        var report = Assert.IsType<JsonElement>(result.StructuredContent);
        Assert.Equal("ok", report.GetProperty("verdict").GetString());
        var quality = report.GetProperty("quality");
        Assert.Equal("ok", quality.GetProperty("verdict").GetString());
        Assert.Equal(1, quality.GetProperty("fixCycles").GetInt32());
        Assert.Equal(["calc.py"], quality.GetProperty("changedFiles").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(
            [("agent", false), ("fix 1", true)],
            quality.GetProperty("lint").EnumerateArray().Select(l => (l.GetProperty("phase").GetString(), l.GetProperty("passed").GetBoolean())));
        Assert.Equal("ok", quality.GetProperty("review").GetProperty("verdict").GetString());
        Assert.Contains("Quality: ok", text, StringComparison.Ordinal);
        Assert.Contains("def mul(a, b):\n    return a * b\n", ws.Read("calc.py"), StringComparison.Ordinal);
        // Two agent turns, one fix pass, one review: nothing else was asked of the model.
        Assert.Equal(4, systems.Count);
    }

    [Fact]
    public async Task A_non_code_producing_agent_gets_no_quality_pipeline()
    {
        using var ws = new TempWorkspace();
        ws.Write("calc.py", Calc);
        var calls = 0;
        var options = new McpClientOptions { ProtocolVersion = "2025-11-25" };
        options.Handlers.SamplingHandler = (request, _, _) =>
        {
            Interlocked.Increment(ref calls);
            return ValueTask.FromResult(Text("calc.py defines add(a, b)."));
        };
        await using var client = await MemfunServerProcess.StartStdioAsync(ws.Path, clientOptions: options);

        // No tools/list first: a host may call an agent tool straight away.
        var result = await client.CallToolAsync("file_agent", new Dictionary<string, object?> { ["task"] = "What does calc.py define?" });

        Assert.False(result.IsError, result.Text());
        var report = Assert.IsType<JsonElement>(result.StructuredContent);
        Assert.Equal("ok", report.GetProperty("verdict").GetString());
        Assert.True(!report.TryGetProperty("quality", out var q) || q.ValueKind == JsonValueKind.Null);
        Assert.Equal(1, calls);
    }
}
