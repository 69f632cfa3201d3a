using System.Diagnostics;
using System.Text.Json;
using Memfun.McpServer.Tests.Infrastructure;
using Memfun.Testing;

namespace Memfun.McpServer.Tests.Cli;

/// <summary><c>memfun skill run</c> and <c>memfun agent run</c> as the real executable, with a stub model: output and exit codes.</summary>
public sealed class OneShotCommandTests
{
    private static Task<(int Exit, string Stdout, string Stderr)> RunAsync(string workspace, IDictionary<string, string?> env, params string[] args) =>
        MemfunServerProcess.RunCommandAsync(workspace, env, null, args);

    private const string Toml = "[llm]\nmodel = \"stub\"\n[dashboard]\nenabled = false\n";

    /// <summary>The provider and where its key is: the user's settings (variables here), never a project file's.</summary>
    private static Dictionary<string, string?> Env(StubModelServer stub) => new()
    {
        ["MEMFUN_LLM__PROVIDER"] = "openai", ["MEMFUN_LLM__API_KEY_ENV"] = "MEMFUN_TEST_STUB_KEY",
        ["MEMFUN_LLM__BASE_URL"] = stub.BaseUrl.ToString(), ["MEMFUN_TEST_STUB_KEY"] = "sk-x",
    };

    [Fact]
    public async Task Skill_run_with_json_answers_from_the_model_and_exits_zero()
    {
        using var ws = new TempWorkspace();
        ws.Write("calc.py", "def add(a, b):\n    return a + b\n");
        ws.Write("memfun.toml", Toml);
        using var stub = new StubModelServer();
        stub.ThenOpenAi("add returns the sum of its two arguments.");
        var env = Env(stub);

        var (exit, stdout, stderr) = await RunAsync(ws.Path, env, "skill", "run", "explain-code", "calc.py", "--json", "-w", ws.Path);

        Assert.True(exit == 0, stderr + stdout);
        using var json = JsonDocument.Parse(stdout);
        Assert.True(json.RootElement.GetProperty("ranWithModel").GetBoolean());
        Assert.Equal("add returns the sum of its two arguments.", json.RootElement.GetProperty("answer").GetString());
        Assert.Contains("calc.py", stub.Requests.Single().Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Skill_run_without_a_model_prints_the_instructions_and_exits_3_and_an_unknown_skill_exits_1()
    {
        using var ws = new TempWorkspace();
        ws.Write("calc.py", "x = 1\n");

        var (exit, stdout, stderr) = await RunAsync(ws.Path, new Dictionary<string, string?>(), "skill", "run", "explain-code", "calc.py", "-w", ws.Path);
        var (unknownExit, _, unknownErr) = await RunAsync(ws.Path, new Dictionary<string, string?>(), "skill", "run", "no-such-skill", "--json", "-w", ws.Path);

        Assert.True(exit == 3, stderr + stdout);
        Assert.Contains("calc.py", stdout, StringComparison.Ordinal);
        Assert.Equal(1, unknownExit);
        Assert.Contains("explain-code", unknownErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_run_with_json_reports_the_agents_verdict_and_tokens_and_exits_zero()
    {
        using var ws = new TempWorkspace();
        ws.Write("calc.py", "def add(a, b):\n    return a + b\n");
        ws.Write("memfun.toml", Toml);
        using var stub = new StubModelServer();
        stub.ThenOpenAi("calc.py looks correct: add has no defects.", promptTokens: 300, completionTokens: 12);
        var env = Env(stub);

        var (exit, stdout, stderr) = await RunAsync(ws.Path, env, "agent", "run", "review", "Review calc.py for defects.", "--json", "-w", ws.Path);

        Assert.True(exit == 0, stderr + stdout);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("ok", json.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(312, json.RootElement.GetProperty("totalTokens").GetInt64());
        Assert.Contains("no defects", json.RootElement.GetProperty("answer").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_run_exits_3_without_a_model_2_for_an_unknown_agent_and_0_for_help()
    {
        using var ws = new TempWorkspace();

        var (noModel, _, noModelErr) = await RunAsync(ws.Path, new Dictionary<string, string?>(), "agent", "run", "review", "Review it.", "-w", ws.Path);
        var (unknown, _, unknownErr) = await RunAsync(ws.Path, new Dictionary<string, string?>(), "agent", "run", "nobody", "Do it.", "-w", ws.Path);
        var (help, helpOut, _) = await RunAsync(ws.Path, new Dictionary<string, string?>(), "agent", "run", "--help");

        Assert.True(noModel == 3, noModelErr);
        Assert.Contains("memfun init", noModelErr, StringComparison.Ordinal);
        Assert.True(unknown == 2, unknownErr);
        Assert.Contains("review", unknownErr, StringComparison.Ordinal);
        Assert.Equal(0, help);
        Assert.Contains("--json", helpOut, StringComparison.Ordinal);
    }
}
