// MCP9005: sampling is obsolete in the newest spec, but it is the zero-configuration path these tests drive.
#pragma warning disable MCP9005
using System.Text.Json;
using Memfun.Engine.Llm;
using Memfun.McpServer.Tests.Infrastructure;
using Memfun.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Tests.Mcp;

/// <summary>The agent tools end to end: the built server over stdio, a real stub model server, real files and checks.</summary>
public sealed class SolverToolsTests
{
    private const string Calc = "def add(a, b):\n    return a + b\n";

    private static string Ops(string summary, params object[] operations) => JsonSerializer.Serialize(new { summary, operations });

    private const string ReviewOk = """{"verdict": "ok", "problems": [], "summary": "fine"}""";

    private static Dictionary<string, string?> StubEnvironment(StubModelServer stub, string? budget = null)
    {
        var env = stub.ClientEnvironment();
        if (budget is not null)
        {
            env["MEMFUN_LLM__REQUEST_TOKEN_BUDGET"] = budget;
        }

        return env;
    }

    private static JsonElement Structured(CallToolResult result) => Assert.IsType<JsonElement>(result.StructuredContent);

    [Fact]
    public async Task Solve_over_an_openai_compatible_endpoint_lands_the_change_after_retrying_a_429_and_a_503()
    {
        using var ws = new TempWorkspace();
        ws.Write("calc.py", Calc);
        using var stub = new StubModelServer();
        stub.ThenStatus(429, retryAfter: "0")
            .ThenStatus(503)
            .ThenOpenAi(Ops("Add mul (with a syntax slip).", new { op = "write", path = "mul.py", content = "def mul(a, b)\n    return a * b\n" }))
            .ThenOpenAi(Ops("Add the colon.", new { op = "edit", path = "mul.py", old = "def mul(a, b)", @new = "def mul(a, b):" }))
            .ThenOpenAi(ReviewOk);
        await using var client = await MemfunServerProcess.StartStdioAsync(ws.Path, StubEnvironment(stub));
        var steps = new List<ProgressNotificationValue>();

        var result = await client.CallToolAsync("solve", new Dictionary<string, object?> { ["task"] = "Add a mul function in mul.py" },
            new SyncProgress(steps));

        Assert.False(result.IsError, result.Text());
        var s = Structured(result);
        Assert.Equal("Completed", s.GetProperty("status").GetString());
        Assert.Equal(3, s.GetProperty("llmCalls").GetInt32());
        Assert.Equal(1, s.GetProperty("fixCycles").GetInt32());
        Assert.Equal(360, s.GetProperty("totalTokens").GetInt64());
        Assert.Equal("def mul(a, b):\n    return a * b\n", ws.Read("mul.py"));
        Assert.Contains("python-syntax [solve]: FAIL", result.Text(), StringComparison.Ordinal);
        Assert.Contains("Review: ok", result.Text(), StringComparison.Ordinal);
        Assert.Equal(5, stub.Requests.Count);
        Assert.All(stub.Requests, r => Assert.Equal("/v1/chat/completions", r.Path));
        Assert.Equal("Bearer sk-stub-secret", stub.Requests[0].Headers["Authorization"]);
        Assert.Contains(steps, p => p.Message == "Solving the task");
        Assert.Contains(steps, p => p.Message == "Reviewing the change");
    }

    [Theory]
    [InlineData("{\"summary\": \"x\", \"operations\": [{\"op\": \"write\", \"path\": \"a.py\", \"content\": \"x = [", "not valid JSON")]
    [InlineData("{\"summary\": \"x\", \"operations\": [{\"op\": \"write\", \"path\": \"ok.py\", \"content\": \"X = 1\\n\"}, {\"op\": \"edit\", \"path\": \"calc.py\", \"old\": \"def nope():\", \"new\": \"def yes():\"}]}", "was not found in 'calc.py'")]
    [InlineData("{\"summary\": \"x\", \"operations\": [{\"op\": \"write\", \"path\": \"ok.py\", \"content\": \"X = 1\\n\"}, {\"op\": \"write\", \"path\": \"../escaped.py\", \"content\": \"X = 1\\n\"}]}", "outside the workspace")]
    public async Task A_malformed_or_invalid_answer_is_a_clear_tool_error_and_the_workspace_stays_untouched(string answer, string reason)
    {
        using var ws = new TempWorkspace();
        ws.Write("calc.py", Calc);
        using var stub = new StubModelServer();
        stub.ThenOpenAi(answer);
        await using var client = await MemfunServerProcess.StartStdioAsync(ws.Path, StubEnvironment(stub));

        var result = await client.CallToolAsync("solve", new Dictionary<string, object?> { ["task"] = "Change calc" });

        Assert.True(result.IsError);
        Assert.Contains(reason, result.Text(), StringComparison.Ordinal);
        Assert.Equal("Rejected", Structured(result).GetProperty("status").GetString());
        Assert.Equal([Path.Combine(ws.Path, "calc.py")], Directory.GetFiles(ws.Path));
        Assert.Equal(Calc, ws.Read("calc.py"));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(ws.Path)!, "escaped.py")));
    }

    [Fact]
    public async Task A_truncated_answer_names_the_workflow_tier_and_changes_nothing()
    {
        using var ws = new TempWorkspace();
        ws.Write("calc.py", Calc);
        using var stub = new StubModelServer();
        stub.ThenOpenAi("{\"summary\": \"x\", \"operations\": [{\"op\": \"write\", \"path\": \"big.py\", \"content\": \"", finishReason: "length");
        await using var client = await MemfunServerProcess.StartStdioAsync(ws.Path, StubEnvironment(stub));

        var result = await client.CallToolAsync("solve", new Dictionary<string, object?> { ["task"] = "Generate a big table" });

        Assert.True(result.IsError);
        Assert.Equal("workflow", Structured(result).GetProperty("escalation").GetString());
        Assert.Contains("Escalate to: workflow", result.Text(), StringComparison.Ordinal);
        Assert.False(File.Exists(ws.Full("big.py")));
    }

    [Fact]
    public async Task Solve_that_cannot_verify_escalates_to_the_workflow_itself_and_reports_the_workflows_result()
    {
        using var ws = new TempWorkspace();
        ws.Write("calc.py", Calc);
        var options = new McpClientOptions { ProtocolVersion = "2025-11-25" };
        options.Handlers.SamplingHandler = (request, _, _) => ValueTask.FromResult(EscalationAnswer(request!));
        await using var client = await MemfunServerProcess.StartStdioAsync(ws.Path, clientOptions: options);
        var steps = new List<ProgressNotificationValue>();

        var result = await client.CallToolAsync("solve", new Dictionary<string, object?> { ["task"] = "Add a mul function in mul.py" }, new SyncProgress(steps));

        Assert.False(result.IsError, result.Text());
        var s = Structured(result);
        Assert.Equal("VerificationFailed", s.GetProperty("status").GetString());
        Assert.Equal("workflow", s.GetProperty("escalation").GetString());
        var escalated = s.GetProperty("escalated");
        Assert.Equal("workflow", escalated.GetProperty("tier").GetString());
        Assert.Equal("completed", escalated.GetProperty("status").GetString());
        Assert.StartsWith("wf-", escalated.GetProperty("workflowId").GetString(), StringComparison.Ordinal);
        var task = Assert.Single(escalated.GetProperty("report").GetProperty("tasks").EnumerateArray());
        Assert.Equal("coder", task.GetProperty("agent").GetString());
        Assert.Equal(["edit_file mul.py"], task.GetProperty("operations").EnumerateArray().Select(o => o.GetString()));
        Assert.Contains("Escalated to the workflow wf-", result.Text(), StringComparison.Ordinal);
        Assert.Contains(steps, p => (p.Message ?? string.Empty).Contains("escalating to the workflow", StringComparison.Ordinal));
        // The solver's broken file was repaired by the workflow's coder, applied once by the coordinator.
        Assert.Equal("def mul(a, b):\n    return a * b\n", ws.Read("mul.py"));
    }

    [Fact]
    public async Task Solve_with_escalate_false_returns_the_solvers_own_result()
    {
        using var ws = new TempWorkspace();
        ws.Write("calc.py", Calc);
        var asked = new List<string>();
        var options = new McpClientOptions { ProtocolVersion = "2025-11-25" };
        options.Handlers.SamplingHandler = (request, _, _) =>
        {
            lock (asked)
            {
                asked.Add(request!.SystemPrompt ?? string.Empty);
            }

            return ValueTask.FromResult(EscalationAnswer(request!));
        };
        await using var client = await MemfunServerProcess.StartStdioAsync(ws.Path, clientOptions: options);

        var result = await client.CallToolAsync("solve", new Dictionary<string, object?> { ["task"] = "Add a mul function in mul.py", ["escalate"] = false });

        var s = Structured(result);
        Assert.Equal("VerificationFailed", s.GetProperty("status").GetString());
        Assert.True(!s.TryGetProperty("escalated", out var e) || e.ValueKind == JsonValueKind.Null);
        Assert.DoesNotContain(asked, a => a.Contains("You decompose", StringComparison.Ordinal));
        Assert.Equal("def mul(a, b)\n    return a * b\n", ws.Read("mul.py"));
    }

    /// <summary>
    /// The host's model for the escalation tests: the solver writes mul.py without its colon and cannot repair it;
    /// the workflow's single coder task adds the colon.
    /// </summary>
    private static CreateMessageResult EscalationAnswer(CreateMessageRequestParams request)
    {
        var system = request.SystemPrompt ?? string.Empty;
        string text;
        if (system.Contains("You decompose", StringComparison.Ordinal))
        {
            text = """{"tasks":[{"id":"t1","description":"Add the missing colon to def mul in mul.py","agent":"coder"}]}""";
        }
        else if (system.Contains("You review the outputs of several agents", StringComparison.Ordinal))
        {
            text = """{"ok": true, "summary": "Consistent.", "revisions": []}""";
        }
        else if (system.Contains("You are the coder", StringComparison.Ordinal))
        {
            if (request.Messages.Count == 0 || !request.Messages[^1].Content.Any(c => c is ToolResultContentBlock))
            {
                return new CreateMessageResult
                {
                    Content = [new ToolUseContentBlock { Id = "call-1", Name = "edit_file", Input = JsonSerializer.SerializeToElement(new { path = "mul.py", old_text = "def mul(a, b)\n", new_text = "def mul(a, b):\n" }) }],
                    Model = "host-model",
                    Role = Role.Assistant,
                    StopReason = "toolUse",
                };
            }

            text = "Added the colon.";
        }
        else if (system.Contains("repairing a change you made", StringComparison.Ordinal))
        {
            text = Ops("Nothing I can see.");
        }
        else if (system.Contains("You review a change made by a coding agent", StringComparison.Ordinal))
        {
            text = ReviewOk;
        }
        else
        {
            text = Ops("Add mul (with a syntax slip).", new { op = "write", path = "mul.py", content = "def mul(a, b)\n    return a * b\n" });
        }

        return new CreateMessageResult { Content = [new TextContentBlock { Text = text }], Model = "host-model", Role = Role.Assistant, StopReason = "endTurn" };
    }

    [Fact]
    public async Task A_request_over_its_token_budget_ends_with_the_budget_error()
    {
        using var ws = new TempWorkspace();
        ws.Write("calc.py", Calc);
        using var stub = new StubModelServer();
        stub.ThenOpenAi(Ops("Add mul.", new { op = "write", path = "mul.py", content = "X = 1\n" }), promptTokens: 400, completionTokens: 50);
        await using var client = await MemfunServerProcess.StartStdioAsync(ws.Path, StubEnvironment(stub, budget: "300"));

        var result = await client.CallToolAsync("solve", new Dictionary<string, object?> { ["task"] = "Add mul" });

        Assert.True(result.IsError);
        Assert.Contains("over its budget of 300 tokens", result.Text(), StringComparison.Ordinal);
        Assert.Equal("BudgetExceeded", Structured(result).GetProperty("status").GetString());
        Assert.False(File.Exists(ws.Full("mul.py")));
    }

    [Fact]
    public async Task Without_a_provider_the_hosts_sampling_answers_and_ask_writes_nothing()
    {
        using var ws = new TempWorkspace();
        ws.Write("calc.py", Calc);
        var seen = new List<CreateMessageRequestParams>();
        var options = new McpClientOptions();
        options.Handlers.SamplingHandler = (request, _, _) =>
        {
            lock (seen)
            {
                seen.Add(request!);
            }

            return ValueTask.FromResult(new CreateMessageResult
            {
                Content = [new TextContentBlock { Text = "add is defined at calc.py:1." }],
                Model = "host-model",
                Role = Role.Assistant,
                StopReason = "endTurn",
            });
        };
        await using var client = await MemfunServerProcess.StartStdioAsync(ws.Path, clientOptions: options);

        var result = await client.CallToolAsync("ask", new Dictionary<string, object?> { ["question"] = "Where is add?" });

        Assert.False(result.IsError, result.Text());
        Assert.Contains("add is defined at calc.py:1.", result.Text(), StringComparison.Ordinal);
        Assert.Equal("Answered", Structured(result).GetProperty("status").GetString());
        var request = Assert.Single(seen);
        Assert.Contains("code assistant", request.SystemPrompt, StringComparison.Ordinal);
        Assert.Equal([Path.Combine(ws.Path, "calc.py")], Directory.GetFiles(ws.Path));
    }

    [Fact]
    public async Task Solve_through_sampling_lands_the_change_in_two_host_calls()
    {
        using var ws = new TempWorkspace();
        ws.Write("calc.py", Calc);
        var answers = new Queue<string>([Ops("Add mul.", new { op = "edit", path = "calc.py", old = "    return a + b\n", @new = "    return a + b\n\n\ndef mul(a, b):\n    return a * b\n" }), ReviewOk]);
        var options = new McpClientOptions();
        options.Handlers.SamplingHandler = (_, _, _) => ValueTask.FromResult(new CreateMessageResult
        {
            Content = [new TextContentBlock { Text = answers.Dequeue() }],
            Model = "host-model",
            Role = Role.Assistant,
        });
        await using var client = await MemfunServerProcess.StartStdioAsync(ws.Path, clientOptions: options);

        var result = await client.CallToolAsync("solve", new Dictionary<string, object?> { ["task"] = "Add mul to calc.py" });

        Assert.False(result.IsError, result.Text());
        Assert.Equal(2, Structured(result).GetProperty("llmCalls").GetInt32());
        Assert.Empty(answers);
        Assert.Contains("def mul(a, b):\n    return a * b", ws.Read("calc.py"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_provider_or_sampling_every_agent_tool_gives_the_one_configuration_message()
    {
        using var ws = new TempWorkspace();
        ws.Write("calc.py", Calc);
        await using var client = await MemfunServerProcess.StartStdioAsync(ws.Path);

        foreach (var (tool, arg, value) in new[] { ("solve", "task", "x"), ("ask", "question", "x"), ("fix", "problem", "x"), ("analyze", "path", "."), ("review", "path", ".") })
        {
            var result = await client.CallToolAsync(tool, new Dictionary<string, object?> { [arg] = value });

            Assert.True(result.IsError);
            Assert.Equal(LlmNotConfiguredException.DefaultMessage, result.Text());
        }
    }

    [Fact]
    public async Task The_agent_tools_are_listed_with_honest_annotations_and_an_output_schema()
    {
        using var ws = new TempWorkspace();
        await using var client = await MemfunServerProcess.StartStdioAsync(ws.Path);

        var tools = (await client.ListToolsAsync()).ToDictionary(t => t.Name);

        Assert.True(tools["solve"].ProtocolTool.Annotations?.DestructiveHint);
        Assert.True(tools["ask"].ProtocolTool.Annotations?.ReadOnlyHint);
        Assert.True(tools["review"].ProtocolTool.Annotations?.ReadOnlyHint);
        Assert.NotNull(tools["solve"].ProtocolTool.OutputSchema);
        Assert.Contains("path", tools["analyze"].JsonSchema.GetRawText(), StringComparison.Ordinal);
    }

    private sealed class SyncProgress(List<ProgressNotificationValue> steps) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value)
        {
            lock (steps)
            {
                steps.Add(value);
            }
        }
    }
}
