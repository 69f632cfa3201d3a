using System.Text.Json;
using Memfun.McpServer.Tests.Infrastructure;
using Memfun.Testing;

namespace Memfun.McpServer.Tests.Cli;

/// <summary>
/// Each <c>memfun init</c> choice (Anthropic, OpenAI, Ollama, a custom endpoint) followed by
/// <c>memfun agent run coder</c> as the real executable against a loopback stand-in speaking that provider's wire format:
/// the request declares the tools, the model's edit lands on disk, and the tool's result goes back in the next request.
/// </summary>
public sealed class ProviderRunEndToEndTests
{
    private const string Calc = "def add(a, b):\n    return a + b\n";
    private const string CoderTask = "Add a sub(a, b) function to calc.py";

    private static readonly object Edit = new { path = "calc.py", old_text = "    return a + b\n", new_text = "    return a + b\n\n\ndef sub(a, b):\n    return a - b\n" };

    private const string Review = """{"verdict": "ok", "problems": [], "summary": "sub is added and checked."}""";

    public static TheoryData<string> Choices => new() { "anthropic", "openai", "ollama", "custom" };

    [Theory]
    [MemberData(nameof(Choices))]
    public async Task Init_then_a_coder_run_declares_the_tools_applies_the_edit_and_sends_the_result_back(string choice)
    {
        using var ws = new TempWorkspace();
        using var home = new TempWorkspace("memfun-home");
        ws.Write("calc.py", Calc);
        ws.Write("memfun.toml", "[verify]\ncommand = \"python3 -c 'import calc; assert calc.sub(5, 3) == 2'\"\n[dashboard]\nenabled = false\n");
        using var stub = new StubModelServer();
        var anthropic = choice == "anthropic";
        if (anthropic)
        {
            stub.Then(StubModelServer.AnthropicTurn(null, [new StubModelServer.ToolCall("toolu_01", "edit_file", Edit)]))
                .Then(StubModelServer.AnthropicTurn("Added sub(a, b) to calc.py."))
                .Then(StubModelServer.AnthropicTurn(Review));
        }
        else
        {
            stub.Then(StubModelServer.OpenAiTurn(null, [new StubModelServer.ToolCall("call_01", "edit_file", Edit)]))
                .Then(StubModelServer.OpenAiTurn("Added sub(a, b) to calc.py."))
                .Then(StubModelServer.OpenAiTurn(Review));
        }

        string[] init = choice switch
        {
            "custom" => ["init", "--provider", "custom", "--base-url", stub.BaseUrl.ToString(), "--model", "stub-model", "-y", "-w", ws.Path],
            _ => ["init", "--provider", choice, "--model", "stub-model", "-y", "-w", ws.Path],
        };
        var (initExit, initOut, initErr) = await MemfunServerProcess.RunCommandAsync(ws.Path, new Dictionary<string, string?> { ["MEMFUN_HOME"] = home.Path }, null, init);
        Assert.True(initExit == 0, initErr + initOut);
        Assert.Contains(choice switch { "anthropic" => "provider anthropic", "openai" => "provider openai", "ollama" => "(ollama at http://localhost:11434/v1)", _ => $"(custom at {stub.BaseUrl})" }, initOut, StringComparison.Ordinal);

        // The endpoint of the run is the stub: through the environment, as a user's gateway or test setup would give it.
        var env = new Dictionary<string, string?>
        {
            ["MEMFUN_HOME"] = home.Path,
            ["MEMFUN_LLM__BASE_URL"] = anthropic ? $"http://127.0.0.1:{stub.Port}" : stub.BaseUrl.ToString(),
            ["MEMFUN_LLM__RETRY_BASE_DELAY_MS"] = "1",
            [anthropic ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY"] = choice == "ollama" ? null : "sk-e2e-secret",
        };
        var (exit, stdout, stderr) = await MemfunServerProcess.RunCommandAsync(ws.Path, env, null, "agent", "run", "coder", CoderTask, "--json", "-w", ws.Path);

        Assert.True(exit == 0, stderr + stdout);
        using var report = JsonDocument.Parse(stdout);
        Assert.Equal("ok", report.RootElement.GetProperty("verdict").GetString());
        Assert.Contains("def sub(a, b):\n    return a - b\n", ws.Read("calc.py"), StringComparison.Ordinal);
        Assert.Equal(anthropic ? "/v1/messages" : "/v1/chat/completions", stub.Requests[0].Path);
        using var first = JsonDocument.Parse(stub.Requests[0].Body);
        Assert.Contains("edit_file", ToolNames(first.RootElement, anthropic));
        using var second = JsonDocument.Parse(stub.Requests[1].Body);
        var (callId, result) = Assert.Single(ToolResults(second.RootElement, anthropic));
        Assert.Equal(anthropic ? "toolu_01" : "call_01", callId);
        Assert.Contains("calc.py", result, StringComparison.Ordinal);
        Assert.DoesNotContain("ERROR", result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_coder_run_that_changes_nothing_reports_no_change_and_exits_one()
    {
        using var ws = new TempWorkspace();
        ws.Write("calc.py", Calc);
        ws.Write("memfun.toml", "[dashboard]\nenabled = false\n");
        using var stub = new StubModelServer();
        stub.Then(StubModelServer.OpenAiTurn("sub(a, b) would subtract b from a; I did not change anything."));
        // The provider is the user's choice (a project file may not set it): given through MEMFUN_* variables.
        var env = new Dictionary<string, string?>
        {
            ["MEMFUN_LLM__PROVIDER"] = "openai", ["MEMFUN_LLM__MODEL"] = "stub-model", ["MEMFUN_LLM__BASE_URL"] = stub.BaseUrl.ToString(),
            ["OPENAI_API_KEY"] = "sk-x", ["MEMFUN_HOME"] = Path.Combine(ws.Path, ".home"),
        };

        var (exit, stdout, stderr) = await MemfunServerProcess.RunCommandAsync(ws.Path, env, null, "agent", "run", "coder", CoderTask, "-w", ws.Path);

        Assert.True(exit == 1, stderr + stdout);
        Assert.Contains("coder agent: no change (completed)", stdout, StringComparison.Ordinal);
        Assert.Equal(Calc, ws.Read("calc.py"));
    }

    private static List<string> ToolNames(JsonElement request, bool anthropic) =>
        [.. request.GetProperty("tools").EnumerateArray().Select(t => (anthropic ? t.GetProperty("name") : t.GetProperty("function").GetProperty("name")).GetString()!)];

    private static List<(string CallId, string Text)> ToolResults(JsonElement request, bool anthropic)
    {
        var messages = request.GetProperty("messages").EnumerateArray().ToList();
        if (!anthropic)
        {
            return [.. messages.Where(m => m.GetProperty("role").GetString() == "tool").Select(m => (m.GetProperty("tool_call_id").GetString()!, Text(m.GetProperty("content"))))];
        }

        return [.. messages.Where(m => m.GetProperty("content").ValueKind == JsonValueKind.Array)
            .SelectMany(m => m.GetProperty("content").EnumerateArray())
            .Where(b => b.GetProperty("type").GetString() == "tool_result")
            .Select(b => (b.GetProperty("tool_use_id").GetString()!, Text(b.GetProperty("content"))))];
    }

    private static string Text(JsonElement content) => content.ValueKind == JsonValueKind.String
        ? content.GetString()!
        : string.Concat(content.EnumerateArray().Select(p => p.GetProperty("text").GetString()));
}
