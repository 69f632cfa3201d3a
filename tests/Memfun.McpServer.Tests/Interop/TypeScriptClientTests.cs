using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Memfun.McpServer.Tests.Infrastructure;

namespace Memfun.McpServer.Tests.Interop;

/// <summary>
/// memfun driven by the TypeScript SDK client (<c>@modelcontextprotocol/sdk</c> 1.32.x, what Claude Desktop/Code, Cursor,
/// VS Code and the Inspector embed), through <c>ts-client/drive-every-tool.cjs</c>: every tool with good arguments and
/// with bad ones, every resource and a missing one, every prompt. That client validates each structured result against
/// the tool's <c>outputSchema</c> and rejects a mismatch, so a passing run means zero schema mismatches.
/// </summary>
/// <remarks>The model is the client's: MCP sampling answered by the driver with one scripted reply.</remarks>
public sealed class TypeScriptClientTests
{
    private static readonly string Sdk = Path.Combine(NodeTools.Root, "node_modules", "@modelcontextprotocol", "sdk");

    private static readonly string Driver = Path.Combine(RepoRoot.Path, "tests", "Memfun.McpServer.Tests", "Interop", "ts-client", "drive-every-tool.cjs");

    /// <summary>Tools whose good call needs a model or the network: their good call may end in a tool error, never a protocol error.</summary>
    private static readonly string[] MayFail =
        ["web_fetch", "web_search", "run_skill", "solve", "fix", "ask", "analyze", "review", "rlm_run", "orchestrate", "workflow_control"];

    [Theory]
    [InlineData("stdio")]
    [InlineData("http")]
    public async Task Every_tool_resource_and_prompt_ends_in_a_result_or_a_readable_tool_error(string transport)
    {
        NodeTools.Require(Path.Combine(Sdk, "package.json"), Driver);
        using var ws = Workspace();
        var home = Path.Combine(Path.GetTempPath(), "memfun-home-" + Guid.NewGuid().ToString("N"));
        var config = new JsonObject
        {
            ["sdk"] = Sdk,
            ["transport"] = transport,
            ["sampling"] = "The file defines main(), which returns 1.\n\n```csharp\nFINAL(\"main returns 1\");\n```",
            ["promptArgument"] = "src/app.py",
            ["reads"] = new JsonArray("skill://review-code/SKILL.md"),
            ["missing"] = new JsonArray("memfun://workflows/wf-nope", "memfun://rlm/traces/nope", "skill://no-such-skill/SKILL.md"),
            ["good"] = GoodArguments(),
        };
        await using var http = transport == "http"
            ? await MemfunServerProcess.StartHttpAsync(ws.Path, environment: new Dictionary<string, string?> { ["MEMFUN_HOME"] = home })
            : null;
        if (http is null)
        {
            config["command"] = "dotnet";
            config["args"] = new JsonArray(MemfunServerProcess.ServerDll, "serve", "--stdio", "--workspace", ws.Path);
            config["cwd"] = ws.Path;
            config["env"] = new JsonObject { ["MEMFUN_HOME"] = home };
        }
        else
        {
            config["url"] = http.Endpoint.ToString();
        }

        var file = ws.Write(".driver/config.json", config.ToJsonString());
        var run = await NodeTools.RunAsync(Driver, [file], TimeSpan.FromMinutes(20));

        Assert.True(run.ExitCode == 0, run.ToString());
        var report = JsonNode.Parse(run.StandardOutput)!;
        Assert.StartsWith("1.32.", (string?)report["sdkVersion"], StringComparison.Ordinal);
        var calls = report["calls"]!.AsArray().Select(c => c!).ToList();
        var tools = report["tools"]!.AsArray().Select(t => (string)t!).ToList();
        Assert.True(tools.Count >= 35, $"{tools.Count} tools listed");

        var protocolErrors = calls.Where(c => (string?)c["outcome"] == "protocol-error").Select(Describe).ToList();
        Assert.True(protocolErrors.Count == 0, "Protocol errors (a schema mismatch is one):\n" + string.Join("\n", protocolErrors));
        Assert.DoesNotContain(calls, c => (string?)c["outcome"] == "no-good-arguments");
        foreach (var tool in tools)
        {
            var good = Assert.Single(calls, c => (string?)c["tool"] == tool && (string?)c["kind"] == "good");
            Assert.True(MayFail.Contains(tool) || (string?)good["outcome"] == "result", Describe(good));
            foreach (var bad in calls.Where(c => (string?)c["tool"] == tool && (string?)c["kind"] != "good"))
            {
                Assert.True((string?)bad["outcome"] == "tool-error" && ((string?)bad["text"])?.Length > 10, Describe(bad));
            }
        }

        Assert.Contains("main returns 1", Describe(Assert.Single(calls, c => (string?)c["tool"] == "rlm_run" && (string?)c["kind"] == "good")), StringComparison.Ordinal);
        foreach (var read in report["reads"]!.AsArray().Select(r => r!))
        {
            var expected = read["missing"] is null ? "result" : "protocol-error";
            Assert.True((string?)read["outcome"] == expected, read.ToJsonString());
            if (read["missing"] is not null)
            {
                Assert.Equal(-32002, (int?)read["code"]);
            }
        }

        var prompts = report["prompts"]!.AsArray().Select(p => p!).ToList();
        Assert.NotEmpty(prompts);
        Assert.All(prompts, p => Assert.True((string?)p["outcome"] == "result", p.ToJsonString()));
    }

    private static string Describe(JsonNode call) =>
        $"{call["tool"]} [{call["kind"]}] {call["outcome"]} {call["code"]}: {call["message"] ?? call["text"]} (arguments {call["arguments"]?.ToJsonString()})";

    /// <summary>Good arguments per tool, in the order they are called ("$name" takes an earlier result's field).</summary>
    private static JsonObject GoodArguments()
    {
        var good = new JsonObject
        {
            ["read_file"] = Args("""{"path": "src/app.py"}"""),
            ["write_file"] = Args("""{"path": "notes/new.txt", "content": "hello\n"}"""),
            ["edit_file"] = Args("""{"path": "src/app.py", "old_text": "return 1", "new_text": "return 1  # one"}"""),
            ["list_files"] = Args("""{"pattern": "*.py"}"""),
            ["search"] = Args("""{"pattern": "def "}"""),
            ["code_map"] = Args("{}"),
            ["run_cmd"] = Args("""{"command": "echo hi"}"""),
            ["git_status"] = Args("{}"),
            ["git_diff"] = Args("{}"),
            ["git_log"] = Args("{}"),
            ["git_show"] = Args("""{"rev": "HEAD"}"""),
            ["remember"] = Args("""{"text": "The tests run with ./test.sh.", "tags": ["testing"]}"""),
            ["recall"] = Args("""{"query": "how to run the tests"}"""),
            ["memory_list"] = Args("{}"),
            ["forget"] = Args("""{"target": "$id"}"""),
            ["web_fetch"] = Args("""{"url": "http://127.0.0.1:9/"}"""),
            ["web_search"] = Args("""{"query": "memfun"}"""),
            ["run_skill"] = Args("""{"name": "explain-code", "arguments": "src/app.py"}"""),
            ["solve"] = Args("""{"task": "Add a function hello() to src/app.py that returns 'hi'", "escalate": false}"""),
            ["fix"] = Args("""{"problem": "main() should return 2"}"""),
            ["ask"] = Args("""{"question": "What does main return?"}"""),
            ["analyze"] = Args("""{"path": "src/app.py"}"""),
            ["review"] = Args("""{"path": "src"}"""),
            ["rlm_run"] = Args("""{"task": "What does main return?", "max_iterations": 2}"""),
            ["repl_start"] = Args("{}"),
            ["repl_exec"] = Args("""{"session": "$session", "code": "var x = 40 + 2; x"}"""),
            ["repl_vars"] = Args("""{"session": "$session"}"""),
            ["repl_stop"] = Args("""{"session": "$session"}"""),
            ["list_agents"] = Args("{}"),
            ["orchestrate"] = Args("""{"task": "Explain what src/app.py does", "tier": "solver"}"""),
            ["workflow_status"] = Args("{}"),
            ["workflow_control"] = Args("""{"id": "wf-000000000000", "action": "cancel"}"""),
        };
        foreach (var agent in new[] { "coder", "test", "debug", "review", "file", "security", "planner", "web_search", "web_fetch" })
        {
            good[agent + "_agent"] = Args("""{"task": "Say in one sentence what src/app.py does."}""");
        }

        return good;
    }

    private static JsonNode Args(string json) => JsonNode.Parse(json)!;

    private static TempWorkspace Workspace()
    {
        var ws = new TempWorkspace("memfun-ts-client");
        ws.Write("src/app.py", "def main():\n    return 1\n");
        ws.Write("README.md", "# Demo\n\nRun the tests with ./test.sh.\n");
        ws.Write(".gitignore", ".driver/\n.memfun/\n");
        foreach (var args in new[] { "init -q -b main", "add -A", "-c user.name=t -c user.email=t@example.com commit -q -m start" })
        {
            using var git = Process.Start(new ProcessStartInfo("git", args) { WorkingDirectory = ws.Path, RedirectStandardOutput = true, RedirectStandardError = true })!;
            git.WaitForExit();
            Assert.Equal(0, git.ExitCode);
        }

        return ws;
    }
}
