using System.Text.Json.Nodes;
using Memfun.McpServer.Tests.Infrastructure;
using Memfun.McpServer.Tests.Infrastructure.Hosts;
using Xunit.Abstractions;

namespace Memfun.McpServer.Tests.Interop;

/// <summary>
/// Real hosts (Claude Code, Codex CLI, Gemini CLI, from npm) drive memfun through <see cref="MemfunSession"/>
/// against a scripted model on loopback (<see cref="ScriptedModelServer"/>), configured as docs/hosts.md says.
/// A test fails when a step's result is missing, rejected by the host, or lacks what the model must read.
/// </summary>
/// <remarks>
/// The memfun entry is mcp.json.example's, adapted to run the built server (<c>dotnet memfun.dll</c> on the test
/// workspace) or, for HTTP, pointed at a server on a free port. Each host gets a throwaway HOME and no network
/// but loopback; its telemetry, error reports and update checks are off. One class: the hosts run one at a time.
/// </remarks>
public sealed class RealHostTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(6);
    private readonly TempWorkspace _ws = MemfunSession.CreateWorkspace();
    private readonly TempWorkspace _home = new("memfun-host-home");

    public void Dispose()
    {
        _ws.Dispose();
        _home.Dispose();
    }

    [Theory]
    [InlineData("memfun")]
    [InlineData("memfun-http")]
    public async Task Claude_Code_completes_the_session_and_expands_a_prompt(string entry)
    {
        await using var http = entry == "memfun-http" ? await MemfunServerProcess.StartHttpAsync(_ws.Path) : null;
        var prefix = $"mcp__{entry}__";
        // Claude Code 2.x defers MCP tools behind ToolSearch: the model selects the session's tools first.
        var select = new ScriptedToolCall("ToolSearch", null, _ => new JsonObject
        {
            ["query"] = "select:" + string.Join(',', MemfunSession.Steps.Select(s => prefix + s.Tool).Distinct()),
            ["max_results"] = 20,
        });
        using var model = new ScriptedModelServer([select, .. MemfunSession.Script(t => prefix + t)]);
        var config = _home.Write("mcp.json", new JsonObject { ["mcpServers"] = new JsonObject { [entry] = Entry(entry, http) } }.ToJsonString());

        var run = await RealHost.RunAsync(
            RealHost.ClaudeCode,
            ["-p", $"/{prefix}explain-code src/app.py", "--mcp-config", config, "--strict-mcp-config", "--allowedTools", $"mcp__{entry}", "--output-format", "json"],
            _home.Path,
            _ws.Path,
            new Dictionary<string, string?>
            {
                ["ANTHROPIC_BASE_URL"] = model.BaseUrl,
                ["ANTHROPIC_API_KEY"] = "sk-stub-not-a-key",
                ["DISABLE_TELEMETRY"] = "1",
                ["DISABLE_ERROR_REPORTING"] = "1",
                ["DISABLE_AUTOUPDATER"] = "1",
                ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1",
                ["MCP_TIMEOUT"] = "180000",
                ["MCP_TOOL_TIMEOUT"] = "180000",
            },
            Deadline);

        // The MCP prompt, invoked as Claude Code's slash command, reached the model expanded.
        Assert.Contains("Explain **src/app.py**", model.FirstUserText, StringComparison.Ordinal);
        AssertSession(run, model, offset: 1);
    }

    /// <summary>Codex CLI has no way to invoke an MCP prompt (it lists none), so its session is the tools alone.</summary>
    [Fact]
    public async Task Codex_completes_the_session()
    {
        using var model = new ScriptedModelServer(MemfunSession.Script(t => t, ns: "mcp__memfun"));
        var codexHome = Path.Combine(_home.Path, ".codex");
        Directory.CreateDirectory(codexHome);
        var entry = Entry("memfun", null);
        File.WriteAllText(Path.Combine(codexHome, "config.toml"), $$"""
            model = "stub-model"
            model_provider = "stub"
            approval_policy = "never"
            sandbox_mode = "workspace-write"
            check_for_update_on_startup = false

            [features]
            tool_search = false
            tool_search_always_defer_mcp_tools = false

            [analytics]
            enabled = false

            [feedback]
            enabled = false

            [otel]
            exporter = "none"

            [model_providers.stub]
            name = "stub"
            base_url = "{{model.BaseUrl}}/v1"
            wire_api = "responses"
            env_key = "STUB_API_KEY"

            [mcp_servers.memfun]
            command = {{entry["command"]!.ToJsonString()}}
            args = {{entry["args"]!.ToJsonString()}}
            required = true
            startup_timeout_sec = 180
            tool_timeout_sec = 180
            default_tools_approval_mode = "approve"
            """);

        var run = await RealHost.RunAsync(
            RealHost.Codex,
            ["exec", "--skip-git-repo-check", "-C", _ws.Path, "Run the memfun session."],
            _home.Path,
            _ws.Path,
            new Dictionary<string, string?> { ["CODEX_HOME"] = codexHome, ["STUB_API_KEY"] = "sk-stub-not-a-key" },
            Deadline);

        AssertSession(run, model);
    }

    [Fact]
    public async Task Gemini_CLI_completes_the_session_and_expands_a_prompt()
    {
        using var model = new ScriptedModelServer(MemfunSession.Script(t => "mcp_memfun_" + t));
        var entry = Entry("memfun", null);
        entry["timeout"] = 180_000;
        var gemini = Path.Combine(_home.Path, ".gemini");
        Directory.CreateDirectory(gemini);
        File.WriteAllText(Path.Combine(gemini, "settings.json"), new JsonObject
        {
            ["general"] = new JsonObject { ["enableAutoUpdate"] = false, ["enableAutoUpdateNotification"] = false },
            ["privacy"] = new JsonObject { ["usageStatisticsEnabled"] = false },
            ["telemetry"] = new JsonObject { ["enabled"] = false },
            ["security"] = new JsonObject
            {
                ["auth"] = new JsonObject { ["selectedType"] = "gemini-api-key" },
                ["folderTrust"] = new JsonObject { ["enabled"] = true },
            },
            ["mcpServers"] = new JsonObject { ["memfun"] = entry },
        }.ToJsonString());
        File.WriteAllText(Path.Combine(gemini, "trustedFolders.json"), new JsonObject { [_ws.Path] = "TRUST_FOLDER" }.ToJsonString());

        var run = await RealHost.RunAsync(
            RealHost.Gemini,
            ["-p", "/explain-code src/app.py", "--approval-mode", "yolo", "-m", "gemini-2.5-flash"],
            _home.Path,
            _ws.Path,
            new Dictionary<string, string?> { ["GEMINI_API_KEY"] = "stub-not-a-key", ["GOOGLE_GEMINI_BASE_URL"] = model.BaseUrl },
            Deadline);

        // The MCP prompt, invoked as Gemini CLI's slash command, reached the model expanded.
        Assert.Contains("Explain **src/app.py**", model.FirstUserText, StringComparison.Ordinal);
        AssertSession(run, model);
    }

    /// <summary>
    /// mcp.json.example's entry: the stdio one runs the built server on the test workspace (the example's
    /// <c>memfun</c> command is <c>dotnet memfun.dll</c> here); the HTTP one names the test server's URL.
    /// </summary>
    private JsonObject Entry(string name, HttpServerProcess? http)
    {
        var example = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "mcp.json.example")))!;
        var entry = example["mcpServers"]![name]!.DeepClone().AsObject();
        if (http is not null)
        {
            entry["url"] = http.Endpoint.ToString();
            return entry;
        }

        Assert.Equal("memfun", entry["command"]!.GetValue<string>());
        entry["command"] = "dotnet";
        entry["args"] = new JsonArray([MemfunServerProcess.ServerDll, .. entry["args"]!.AsArray().Select(a => a!.GetValue<string>()), "--workspace", _ws.Path]);
        return entry;
    }

    private void AssertSession(NodeRun run, ScriptedModelServer model, int offset = 0)
    {
        var results = model.Results;
        output.WriteLine("What the host showed the model:\n" + MemfunSession.Table(results));
        var problems = MemfunSession.Problems(results, offset);
        Assert.True(
            problems.Count == 0 && model.Finished && run.ExitCode == 0,
            $"The session did not complete ({problems.Count} problem(s), exit {run.ExitCode}):\n{string.Join("\n", problems)}\n\n" +
            $"What the model saw:\n{MemfunSession.Table(results)}\n\nRequests: {string.Join(", ", model.Requests.Take(60))}\n\n{Tail(run)}");

        Assert.Equal("def main():\n    print('hello, host')\n", _ws.Read("src/app.py"));
        Assert.Equal("written by the host\n", _ws.Read("notes/new.txt"));
    }

    private static string Tail(NodeRun run)
    {
        var text = run.ToString();
        return text.Length <= 6000 ? text : "…" + text[^6000..];
    }
}
