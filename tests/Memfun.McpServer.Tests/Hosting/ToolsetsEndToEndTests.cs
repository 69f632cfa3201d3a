// Sampling (deprecated by the 2026-07-28 protocol, MCP9005) is how this test host lends its model.
#pragma warning disable MCP9005
using System.Text.Json;
using Memfun.McpServer.Hosting;
using Memfun.McpServer.Tests.Infrastructure;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using static Memfun.McpServer.Tests.Infrastructure.HostModelReplies;

namespace Memfun.McpServer.Tests.Hosting;

/// <summary>
/// The footprint of <c>tools/list</c> in a host's context, and toolsets (<c>memfun serve --toolsets</c>,
/// <c>[mcp] toolsets</c>): the built server as a real process, listed over raw stdio or the SDK client.
/// </summary>
public sealed class ToolsetsEndToEndTests : IDisposable
{
    private static readonly string[] CodeTools = ["code_map", "edit_file", "git_diff", "git_log", "git_show", "git_status", "list_files", "read_file", "run_cmd", "search", "write_file"];

    private readonly TempWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task The_default_listing_fits_the_size_budget()
    {
        var (listing, _) = await ListRawAsync();
        var footprint = ToolListFootprint.Measure(listing);

        // Issue 14: was 75,613 characters whole and about 32,000 model-facing for 40 tools.
        Assert.True(footprint.Tools >= 40, $"only {footprint.Tools} tools listed");
        Assert.True(footprint.Whole <= 40_000, $"tools/list is {footprint.Whole:N0} characters; the budget is 40,000");
        Assert.True(footprint.ModelFacing <= 24_000, $"the model-facing part of tools/list is {footprint.ModelFacing:N0} characters; the budget is 24,000");
    }

    [Fact]
    public async Task The_code_toolsets_serve_only_their_tools_within_12000_characters()
    {
        var (listing, stderr) = await ListRawAsync("--toolsets", "files,search,git");
        var footprint = ToolListFootprint.Measure(listing);

        Assert.Equal(CodeTools, listing.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        Assert.True(footprint.Whole <= 12_000, $"the code toolsets list {footprint.Whole:N0} characters; the budget is 12,000");
        Assert.Contains("toolsets: files,search,git", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_toolset_left_out_takes_its_resources_and_prompts_and_its_tools_are_unknown()
    {
        await using var client = await MemfunServerProcess.StartStdioAsync(_ws.Path, extraArgs: ["--toolsets", "files,search"]);

        var tools = (await client.ListToolsAsync()).Select(t => t.Name).ToList();
        var resources = (await client.ListResourcesAsync()).Select(r => r.Uri).ToList();
        var templates = (await client.ListResourceTemplatesAsync()).Select(r => r.UriTemplate).ToList();
        var refused = await Assert.ThrowsAsync<McpProtocolException>(async () =>
            await client.CallToolAsync("remember", new Dictionary<string, object?> { ["text"] = "The tests run with ./test.sh." }));

        Assert.Contains("read_file", tools);
        Assert.DoesNotContain("remember", tools);
        Assert.DoesNotContain("git_status", tools);
        Assert.Contains("memfun://workspace/code-map", resources.Concat(templates));
        Assert.DoesNotContain(resources.Concat(templates), u => u.Contains("MEMORY.md", StringComparison.Ordinal) || u.StartsWith("memfun://workflows", StringComparison.Ordinal) || u.StartsWith("memfun://rlm", StringComparison.Ordinal) || u.StartsWith("skill://", StringComparison.Ordinal));
        Assert.Null(client.ServerCapabilities.Prompts);
        Assert.Contains("Unknown tool: 'remember'", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_ws.Path, "MEMORY.md")));
    }

    [Fact]
    public async Task The_configuration_chooses_the_toolsets_and_the_flag_wins()
    {
        _ws.Write("memfun.toml", "[mcp]\ntoolsets = [\"memory\"]\n");
        await using (var fromConfig = await MemfunServerProcess.StartStdioAsync(_ws.Path))
        {
            Assert.Equal(["forget", "memory_list", "recall", "remember"], (await fromConfig.ListToolsAsync()).Select(t => t.Name).Order(StringComparer.Ordinal));
        }

        await using var fromFlag = await MemfunServerProcess.StartStdioAsync(_ws.Path, extraArgs: ["--toolsets", "web"]);
        Assert.Equal(["web_fetch", "web_search"], (await fromFlag.ListToolsAsync()).Select(t => t.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_unknown_toolset_is_a_clear_error()
    {
        var (exit, stdout, stderr) = await MemfunServerProcess.RunCommandAsync(_ws.Path, new Dictionary<string, string?>(), null, "serve", "--toolsets", "files,serach", "--workspace", _ws.Path);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("Unknown toolset 'serach'", stderr, StringComparison.Ordinal);
        Assert.Contains("files, search, git, memory, skills, web, rlm, solver, agents", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_still_reaches_a_tool_its_host_was_not_served()
    {
        _ws.Write("calc.py", "def add(a, b):\n    return a + b\n");
        var options = new McpClientOptions { ProtocolVersion = "2025-11-25" };
        options.Handlers.SamplingHandler = (request, _, _) =>
        {
            var last = request!.Messages.Count > 0 ? request.Messages[^1] : null;
            var result = last?.Content.OfType<ToolResultContentBlock>().FirstOrDefault();
            return ValueTask.FromResult(result is null
                ? ToolUse("read_file", new { path = "calc.py" })
                : Text("read_file said: " + string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text))));
        };
        await using var client = await MemfunServerProcess.StartStdioAsync(_ws.Path, clientOptions: options, extraArgs: ["--toolsets", "agents"]);

        var tools = (await client.ListToolsAsync()).Select(t => t.Name).ToList();
        var answer = await client.CallToolAsync("file_agent", new Dictionary<string, object?> { ["task"] = "What does calc.py define?" });

        Assert.DoesNotContain("read_file", tools);
        Assert.Contains("file_agent", tools);
        Assert.False(answer.IsError, answer.Text());
        Assert.True(answer.Text().Contains("def add(a, b)", StringComparison.Ordinal), answer.Text());
    }

    /// <summary>Starts the server with <paramref name="args"/>, lists its tools over raw stdio; returns the listing's result and the server's stderr.</summary>
    private async Task<(JsonElement Result, string Stderr)> ListRawAsync(params string[] args)
    {
        using var process = MemfunServerProcess.StartRawStdio(_ws.Path, args);
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        process.BeginErrorReadLine();
        try
        {
            await process.StandardInput.WriteLineAsync(MemfunServerProcess.InitializeLine());
            await process.StandardInput.WriteLineAsync("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            await process.StandardInput.WriteLineAsync("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
            await process.StandardInput.FlushAsync();
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                using var message = JsonDocument.Parse(line);
                if (message.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.GetInt32() == 2)
                {
                    lock (stderr)
                    {
                        return (message.RootElement.GetProperty("result").Clone(), stderr.ToString());
                    }
                }
            }

            throw new InvalidOperationException($"The server closed stdout before answering tools/list: {stderr}");
        }
        finally
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
