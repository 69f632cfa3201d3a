// Sampling (deprecated by the 2026-07-28 protocol, MCP9005) is how this test host lends its model.
#pragma warning disable MCP9005
using System.Collections.Concurrent;
using System.Text.Json;
using Memfun.McpServer.Tests.Infrastructure;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using static Memfun.McpServer.Tests.Infrastructure.HostModelReplies;

namespace Memfun.McpServer.Tests.Agents;

/// <summary>
/// The orchestrator end to end over stdio, its model being the test client's own sampling handler: a 3-task
/// DAG on a small real project, one of whose agents calls <c>orchestrate</c> again (depth 2).
/// </summary>
public sealed class OrchestrateEndToEndTests
{
    private const string Calc = "def add(a, b):\n    return a + b\n";

    private const string DeepAgent = """
        ---
        name: deep
        description: Delegates a summary to a nested workflow.
        max_iterations: 3
        tools: [orchestrate]
        code_producing: false
        ---
        You are the deep agent: you hand summaries to the orchestrator.

        ## Capabilities
        Calling orchestrate.

        ## Constraints
        None.

        ## Delegation
        orchestrate.
        """;

    private static string AllText(CreateMessageRequestParams request) =>
        (request.SystemPrompt ?? string.Empty) + "\n" + string.Join("\n", request.Messages.SelectMany(m => m.Content).OfType<TextContentBlock>().Select(t => t.Text));

    private static bool AfterToolResult(CreateMessageRequestParams request) =>
        request.Messages.Count > 0 && request.Messages[^1].Content.Any(c => c is ToolResultContentBlock);

    /// <summary>The host's model, scripted by who is asking.</summary>
    private static CreateMessageResult Answer(CreateMessageRequestParams request)
    {
        var system = request.SystemPrompt ?? string.Empty;
        var text = AllText(request);
        if (system.Contains("You decompose", StringComparison.Ordinal))
        {
            return text.Contains("Summarize the project", StringComparison.Ordinal)
                ? Text("""{"tasks":[{"id":"s1","description":"List the files of the project","agent":"file"}]}""")
                : Text("""
                    {"tasks":[
                      {"id":"t1","description":"Add mul(a, b) to calc.py","agent":"coder"},
                      {"id":"t2","description":"Write test_calc.py for add","agent":"test"},
                      {"id":"t3","description":"Summarize the project with a nested workflow","agent":"deep","depends_on":["t1","t2"]}
                    ]}
                    """);
        }

        if (system.Contains("You review the outputs of several agents", StringComparison.Ordinal))
        {
            return Text("""{"ok": true, "summary": "The outputs are consistent.", "revisions": []}""");
        }

        if (AfterToolResult(request))
        {
            return Text("Done.");
        }

        if (system.Contains("You are the deep agent", StringComparison.Ordinal) && request.Messages.Any(m => m.Content.Any(c => c is ToolResultContentBlock)))
        {
            return Text("Done."); // it orchestrated already; a warning to finish gets its answer, not another workflow
        }

        if (system.Contains("You are the coder", StringComparison.Ordinal))
        {
            return ToolUse("edit_file", new { path = "calc.py", old_text = "    return a + b\n", new_text = "    return a + b\n\n\ndef mul(a, b):\n    return a * b\n" });
        }

        if (system.Contains("You are the test engineer", StringComparison.Ordinal))
        {
            return ToolUse("write_file", new { path = "test_calc.py", content = "from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n" });
        }

        if (system.Contains("You are the deep agent", StringComparison.Ordinal))
        {
            return ToolUse("orchestrate", new { task = "Summarize the project" });
        }

        if (system.Contains("You are the file agent", StringComparison.Ordinal))
        {
            return ToolUse("list_files", new { });
        }

        return Text("Nothing to do.");
    }

    [Fact]
    public async Task Orchestrate_runs_a_three_task_dag_with_a_nested_orchestrate_and_reports_every_task()
    {
        using var ws = new TempWorkspace();
        ws.Write("calc.py", Calc);
        ws.Write("agents/deep/AGENT.md", DeepAgent);
        var requests = new ConcurrentQueue<CreateMessageRequestParams>();
        // Sampling as server-to-client requests belongs to the 2025-11-25 protocol that hosts speak today; under
        // 2026-07-28 each sampling call is an input-required round trip of the whole tool call.
        var options = new McpClientOptions { ProtocolVersion = "2025-11-25" };
        options.Handlers.SamplingHandler = (request, _, _) =>
        {
            requests.Enqueue(request!);
            return ValueTask.FromResult(Answer(request!));
        };
        await using var client = await MemfunServerProcess.StartStdioAsync(ws.Path, clientOptions: options);
        var progress = new ConcurrentQueue<string>();

        var result = await client.CallToolAsync(
            "orchestrate",
            new Dictionary<string, object?> { ["task"] = "Add mul to calc.py with a test, then summarize" },
            new Progress<ProgressNotificationValue>(p => progress.Enqueue(p.Message ?? string.Empty)));

        var text = string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text));
        Assert.False(result.IsError, text);
        var report = result.StructuredContent!.Value;
        Assert.Equal("completed", report.GetProperty("status").GetString());
        // The ladder tried the solver first (the scripted host gives it no usable answer) and escalated.
        Assert.Equal("workflow", report.GetProperty("tier").GetString());
        Assert.Contains(report.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("escalating to the workflow", StringComparison.Ordinal));
        var tasks = report.GetProperty("tasks").EnumerateArray().ToList();
        Assert.Equal(["t1", "t2", "t3"], tasks.Select(t => t.GetProperty("id").GetString()));
        Assert.Equal(["coder", "test", "deep"], tasks.Select(t => t.GetProperty("agent").GetString()));
        Assert.All(tasks, t =>
        {
            Assert.Equal("completed", t.GetProperty("state").GetString());
            Assert.True(t.GetProperty("iterations").GetInt32() >= 1);
            Assert.True(t.GetProperty("tokens").GetInt64() >= 0);
        });
        Assert.Equal(["edit_file calc.py"], tasks[0].GetProperty("operations").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal(["write_file test_calc.py"], tasks[1].GetProperty("operations").EnumerateArray().Select(o => o.GetString()));

        // The coordinator applied both changes once.
        Assert.Contains("def mul(a, b):\n    return a * b", ws.Read("calc.py"), StringComparison.Ordinal);
        Assert.Contains("def test_add", ws.Read("test_calc.py"), StringComparison.Ordinal);

        // The deep agent's orchestrate ran a nested workflow (depth 2) whose file agent listed the files.
        Assert.Contains(requests, r => AllText(r).Contains("Summarize the project", StringComparison.Ordinal) && (r.SystemPrompt ?? string.Empty).Contains("You decompose", StringComparison.Ordinal));
        Assert.True(requests.Any(r => (r.SystemPrompt ?? string.Empty).Contains("You are the file agent", StringComparison.Ordinal)), "the nested workflow's file agent never asked the model:\n" + text);
        Assert.Contains(progress, p => p.StartsWith("task.completed t3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_call_past_the_depth_cap_is_refused_with_a_clear_tool_error()
    {
        using var ws = new TempWorkspace();
        ws.Write("memfun.toml", "[agents]\nmax_depth = 1\n");
        await using var client = await MemfunServerProcess.StartStdioAsync(ws.Path);

        var result = await client.CallToolAsync(new CallToolRequestParams
        {
            Name = "orchestrate",
            Arguments = new Dictionary<string, JsonElement> { ["task"] = JsonSerializer.SerializeToElement("anything") },
            Meta = new System.Text.Json.Nodes.JsonObject { ["memfun/depth"] = 1 },
        });

        Assert.True(result.IsError);
        Assert.Contains("reaches the cap of 1", string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text)), StringComparison.Ordinal);
    }
}
