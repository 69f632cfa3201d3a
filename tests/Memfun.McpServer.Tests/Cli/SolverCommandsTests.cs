using System.Diagnostics;
using System.Text.Json;
using Memfun.McpServer.Tests.Infrastructure;
using Memfun.Testing;

namespace Memfun.McpServer.Tests.Cli;

/// <summary><c>memfun init</c> and the agent sub-commands, run as the real executable.</summary>
public sealed class SolverCommandsTests
{
    private static Task<(int Exit, string Stdout, string Stderr)> RunAsync(string workspace, IDictionary<string, string?> env, string? stdin, params string[] args) =>
        MemfunServerProcess.RunCommandAsync(workspace, env, stdin, args);

    [Fact]
    public async Task Init_with_flags_writes_the_user_config_without_the_key_and_stores_the_key_with_mode_0600_bound_to_its_endpoint()
    {
        using var ws = new TempWorkspace();
        using var home = new TempWorkspace("memfun-home");
        home.Write("config.toml", "[log]\nlevel = \"Debug\"\n");
        var env = new Dictionary<string, string?> { ["MEMFUN_HOME"] = home.Path };

        var (exit, stdout, stderr) = await RunAsync(ws.Path, env, "sk-test-very-secret",
            "init", "--provider", "openai", "--model", "gpt-4o-mini", "--base-url", "http://localhost:11434/v1", "--api-key-stdin", "--backend", "nats", "-w", ws.Path);

        Assert.True(exit == 0, stderr);
        Assert.False(File.Exists(ws.Full("memfun.toml")), "init writes the user's config, not the project's");
        var toml = home.Read("config.toml");
        Assert.Contains("provider = \"openai\"", toml, StringComparison.Ordinal);
        Assert.Contains("model = \"gpt-4o-mini\"", toml, StringComparison.Ordinal);
        Assert.Contains("tier = \"nats\"", toml, StringComparison.Ordinal);
        Assert.Contains("level = \"Debug\"", toml, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-test-very-secret", toml, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-test-very-secret", stdout + stderr, StringComparison.Ordinal);
        var credentials = Path.Combine(home.Path, "credentials.json");
        Assert.Contains("sk-test-very-secret", File.ReadAllText(credentials), StringComparison.Ordinal);
        Assert.Contains("\"base_url\": \"http://localhost:11434/v1\"", File.ReadAllText(credentials), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(credentials));
        }
    }

    [Fact]
    public async Task Ask_with_json_answers_from_the_configured_endpoint_and_exits_zero()
    {
        using var ws = new TempWorkspace();
        ws.Write("calc.py", "def add(a, b):\n    return a + b\n");
        ws.Write("memfun.toml", "[llm]\nmodel = \"stub\"\n");
        using var stub = new StubModelServer();
        stub.ThenOpenAi("It adds two numbers (calc.py:1).");
        var env = new Dictionary<string, string?>
        {
            ["MEMFUN_LLM__PROVIDER"] = "openai", ["MEMFUN_LLM__API_KEY_ENV"] = "MEMFUN_TEST_STUB_KEY",
            ["MEMFUN_LLM__BASE_URL"] = stub.BaseUrl.ToString(), ["MEMFUN_TEST_STUB_KEY"] = "sk-x",
        };

        var (exit, stdout, stderr) = await RunAsync(ws.Path, env, null, "ask", "What does add do?", "--json", "-w", ws.Path);

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("Answered", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("It adds two numbers (calc.py:1).", json.RootElement.GetProperty("answer").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("llmCalls").GetInt32());
    }

    [Fact]
    public async Task Review_without_a_configured_provider_exits_3_with_the_configuration_message()
    {
        using var ws = new TempWorkspace();
        ws.Write("calc.py", "x = 1\n");

        var (exit, _, stderr) = await RunAsync(ws.Path, new Dictionary<string, string?>(), null, "review", ".", "-w", ws.Path);

        Assert.Equal(3, exit);
        Assert.Contains("memfun init", stderr, StringComparison.Ordinal);
    }
}
