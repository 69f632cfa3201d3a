using System.Text.Json;
using Memfun.McpServer.Tests.Infrastructure;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Tests.Rlm;

/// <summary>One `memfun serve --stdio` shared by the REPL tool tests.</summary>
public sealed class RlmServerFixture : IAsyncLifetime
{
    public TempWorkspace Workspace { get; } = new("memfun-rlm");

    public McpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Workspace.Write("data/numbers.txt", string.Join("\n", Enumerable.Range(1, 100)));
        Client = await MemfunServerProcess.StartStdioAsync(Workspace.Path);
    }

    public async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        Workspace.Dispose();
    }
}

public sealed class RlmToolsTests(RlmServerFixture fixture) : IClassFixture<RlmServerFixture>
{
    private McpClient Client => fixture.Client;

    [Fact]
    public async Task The_repl_tools_keep_state_between_calls_and_list_variables()
    {
        var session = await StartAsync();

        var first = await Exec(session, "var nums = read_file(\"data/numbers.txt\").Split('\\n').Select(int.Parse).ToList();");
        var second = await Exec(session, "nums.Where(n => n % 10 == 0).Sum()");
        var vars = await Client.CallToolAsync("repl_vars", new Dictionary<string, object?> { ["session"] = session });

        Assert.NotEqual(true, first.IsError);
        Assert.Equal("550", second.Text().Trim());
        Assert.Equal("ok", second.StructuredContent!.Value.GetProperty("outcome").GetString());
        Assert.Contains("nums: global::System.Collections.Generic.List<int>".Replace("global::", string.Empty, StringComparison.Ordinal), vars.Text(), StringComparison.Ordinal);
        Assert.Contains("(size 100)", vars.Text(), StringComparison.Ordinal);
        await StopAsync(session);
    }

    [Fact]
    public async Task A_crashing_session_leaves_the_server_and_other_sessions_up()
    {
        var victim = await StartAsync();
        var bystander = await StartAsync();
        await Exec(bystander, "var mine = \"still here\";");

        var crash = await Exec(victim, "int Down(int n) => Down(n + 1) + 1; Down(0)");
        var other = await Exec(bystander, "mine");
        var recovered = await Exec(victim, "1 + 2");

        Assert.True(crash.IsError);
        Assert.Contains("stack overflow", crash.Text(), StringComparison.Ordinal);
        Assert.Equal("still here", other.Text().Trim());
        Assert.Equal("3", recovered.Text().Split('\n')[^1].Trim());
        await StopAsync(victim);
        await StopAsync(bystander);
    }

    [Fact]
    public async Task Confinement_holds_from_inside_the_script()
    {
        var session = await StartAsync();
        var r = await Exec(session, "read_file(\"../../etc/passwd\")");

        Assert.True(r.IsError);
        Assert.Contains("outside the workspace", r.Text(), StringComparison.Ordinal);
        Assert.DoesNotContain("root:", r.Text(), StringComparison.Ordinal);
        await StopAsync(session);
    }

    [Fact]
    public async Task Every_step_is_readable_as_a_trace_resource()
    {
        var session = await StartAsync();
        await Exec(session, "var traced = 7 * 6;");

        var resource = await Client.ReadResourceAsync($"memfun://rlm/traces/{session}");
        var json = ((TextResourceContents)resource.Contents[0]).Text;
        using var doc = JsonDocument.Parse(json);

        Assert.Equal("repl", doc.RootElement.GetProperty("kind").GetString());
        var step = doc.RootElement.GetProperty("steps")[0];
        Assert.Equal("var traced = 7 * 6;", step.GetProperty("code").GetString());
        Assert.Equal("Ok", step.GetProperty("outcome").GetString());
        Assert.True(step.GetProperty("durationMs").GetDouble() > 0);
        await StopAsync(session);
    }

    [Fact]
    public async Task An_unknown_session_is_a_tool_error_that_says_what_to_do()
    {
        var r = await Exec("nope", "1");
        Assert.True(r.IsError);
        Assert.Contains("Start one with repl_start", r.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_repl_host_command_is_hidden_from_help()
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet", [MemfunServerProcess.ServerDll, "--help"]) { RedirectStandardOutput = true };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var help = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();

        Assert.Contains("serve", help, StringComparison.Ordinal);
        Assert.DoesNotContain("repl-host", help, StringComparison.Ordinal);
    }

    private async Task<string> StartAsync()
    {
        var r = await Client.CallToolAsync("repl_start", new Dictionary<string, object?>());
        Assert.NotEqual(true, r.IsError);
        return r.StructuredContent!.Value.GetProperty("session").GetString()!;
    }

    private Task<CallToolResult> Exec(string session, string code) =>
        Client.CallToolAsync("repl_exec", new Dictionary<string, object?> { ["session"] = session, ["code"] = code }).AsTask();

    private async Task StopAsync(string session) =>
        await Client.CallToolAsync("repl_stop", new Dictionary<string, object?> { ["session"] = session });
}

public sealed class RlmServerLifetimeTests
{
    [Fact]
    public async Task No_repl_host_process_outlives_the_server_when_its_stdin_closes()
    {
        using var ws = new TempWorkspace("memfun-rlm-life");
        var client = await MemfunServerProcess.StartStdioAsync(ws.Path);
        var started = await client.CallToolAsync("repl_start", new Dictionary<string, object?>());
        var pid = started.StructuredContent!.Value.GetProperty("hostPid").GetInt32();
        Assert.True(Directory.Exists($"/proc/{pid}"), "the REPL host should be running");

        await client.DisposeAsync();

        for (var i = 0; i < 100 && Directory.Exists($"/proc/{pid}"); i++)
        {
            await Task.Delay(100);
        }

        Assert.False(Directory.Exists($"/proc/{pid}"), $"repl-host {pid} is still running after the server stopped");
    }

    [Fact]
    public async Task Ending_an_http_mcp_session_stops_its_repl_sessions()
    {
        using var ws = new TempWorkspace("memfun-rlm-http");
        await using var server = await MemfunServerProcess.StartHttpAsync(ws.Path);
        // An MCP session exists in the initialize-handshake era (2025-11-25); the stateless 2026-07-28 protocol
        // has none, and its REPLs end by the idle timeout instead.
        var client = await server.ConnectAsync(options: new ModelContextProtocol.Client.McpClientOptions { ProtocolVersion = "2025-11-25" });
        var started = await client.CallToolAsync("repl_start", new Dictionary<string, object?>());
        var pid = started.StructuredContent!.Value.GetProperty("hostPid").GetInt32();
        Assert.True(Directory.Exists($"/proc/{pid}"), "the REPL host should be running");

        await client.DisposeAsync();

        for (var i = 0; i < 100 && Directory.Exists($"/proc/{pid}"); i++)
        {
            await Task.Delay(100);
        }

        Assert.False(Directory.Exists($"/proc/{pid}"), $"repl-host {pid} is still running after its MCP session ended");
        Assert.False(server.Process.HasExited);
    }

    [Fact]
    public async Task Rlm_run_drives_the_repl_with_the_hosts_model_through_sampling()
    {
        using var ws = new TempWorkspace("memfun-rlm-run");
        for (var i = 0; i < 50; i++)
        {
            ws.Write($"src/f{i}.txt", i % 5 == 0 ? "TODO fix me\n" : "done\n");
        }

        var replies = new Queue<string>([
            "```csharp\nvar todo = search(\"TODO\", \"src\").Count();\nConsole.WriteLine(todo);\n```",
            "```csharp\nFINAL($\"{todo} files have a TODO\");\n```",
        ]);
        var prompts = new List<string>();
        var options = new McpClientOptions
        {
            Handlers = new McpClientHandlers
            {
#pragma warning disable MCP9005 // Sampling is how this server reaches the host's model when no provider is configured.
                SamplingHandler = (request, _, _) =>
                {
                    lock (prompts)
                    {
                        prompts.Add(request!.SystemPrompt + "\n" + string.Join("\n", request.Messages.SelectMany(m => m.Content.OfType<TextContentBlock>()).Select(b => b.Text)));
                        return ValueTask.FromResult(new CreateMessageResult
                        {
                            Model = "scripted",
                            Role = Role.Assistant,
                            Content = [new TextContentBlock { Text = replies.Dequeue() }],
                        });
                    }
                },
#pragma warning restore MCP9005
            },
        };
        await using var client = await MemfunServerProcess.StartStdioAsync(ws.Path, clientOptions: options);
        var progress = new List<ProgressNotificationValue>();

        var result = await client.CallToolAsync("rlm_run", new Dictionary<string, object?> { ["task"] = "How many files have a TODO?" },
            new SyncProgress(progress.Add));

        Assert.NotEqual(true, result.IsError);
        Assert.Equal("10 files have a TODO", result.StructuredContent!.Value.GetProperty("answer").GetString());
        Assert.Equal("final", result.StructuredContent!.Value.GetProperty("finish").GetString());
        Assert.Contains("read_file", prompts[0], StringComparison.Ordinal);
        Assert.Contains("10", prompts[1], StringComparison.Ordinal);
        Assert.NotEmpty(progress);
    }

    private sealed class SyncProgress(Action<ProgressNotificationValue> report) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value)
        {
            lock (this)
            {
                report(value);
            }
        }
    }
}
