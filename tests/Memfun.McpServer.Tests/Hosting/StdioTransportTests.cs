using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Memfun.McpServer.Tests.Infrastructure;

namespace Memfun.McpServer.Tests.Hosting;

/// <summary>The stdio wire behaviour of the built server, spoken raw: bad lines, huge lines, early EOF.</summary>
public sealed class StdioTransportTests : IDisposable
{
    private readonly TempWorkspace _ws = new();
    private string _stdout = string.Empty;

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task Requests_written_before_stdin_closes_are_all_answered()
    {
        var lines = new List<string> { MemfunServerProcess.InitializeLine(), """{"jsonrpc":"2.0","method":"notifications/initialized"}""" };
        for (var i = 100; i < 160; i++)
        {
            lines.Add(i % 2 == 0
                ? $$"""{"jsonrpc":"2.0","id":{{i}},"method":"ping"}"""
                : $$"""{"jsonrpc":"2.0","id":{{i}},"method":"tools/list"}""");
        }

        var (responses, process) = await ExchangeAsync(lines);

        var ids = responses.Select(r => r["id"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : -1).ToHashSet();
        for (var i = 100; i < 160; i++)
        {
            Assert.True(ids.Contains(i), $"No answer to request {i}; answers: {string.Join(",", ids.Order())}\n{process}");
        }

        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task A_malformed_line_gets_a_parse_error_with_a_null_id_and_the_server_stays_up()
    {
        var (responses, process) = await ExchangeAsync([
            MemfunServerProcess.InitializeLine(),
            "{this is not json",
            """{"jsonrpc":"2.0","id":2,"method":"ping"}""",
        ]);

        var parseError = Assert.Single(responses, r => r["error"]?["code"]?.GetValue<int>() == -32700);
        Assert.True(parseError.ContainsKey("id"), parseError.ToJsonString());
        Assert.Null(parseError["id"]);
        Assert.Contains(responses, r => IdIs(r, 2) && r["result"] is not null);
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task Json_that_is_not_a_request_gets_invalid_request_with_the_id_when_it_can_be_read()
    {
        var (responses, _) = await ExchangeAsync([
            MemfunServerProcess.InitializeLine(),
            """{"jsonrpc":"2.0","id":"wrong-type","method":42}""",
            "[1,2,3]",
            """{"jsonrpc":"2.0","id":3,"method":"ping"}""",
        ]);

        Assert.Contains(responses, r => r["id"]?.GetValue<string>() == "wrong-type" && r["error"]?["code"]?.GetValue<int>() == -32600);
        Assert.Contains(responses, r => r["id"] is null && r["error"]?["code"]?.GetValue<int>() == -32600);
        Assert.Contains(responses, r => IdIs(r, 3) && r["result"] is not null);
    }

    [Fact]
    public async Task An_unknown_method_gets_method_not_found()
    {
        var (responses, _) = await ExchangeAsync([
            MemfunServerProcess.InitializeLine(),
            """{"jsonrpc":"2.0","method":"notifications/initialized"}""",
            """{"jsonrpc":"2.0","id":7,"method":"no/such/method"}""",
        ]);

        Assert.Contains(responses, r => IdIs(r, 7) && r["error"]?["code"]?.GetValue<int>() == -32601);
    }

    [Fact]
    public async Task A_50_MB_message_is_refused_with_its_id_and_the_next_request_is_answered()
    {
        var big = """{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"write_file","arguments":{"path":"big.txt","content":" """.TrimEnd() + new string('a', 50_000_000) + "\"}}}";
        var (responses, process) = await ExchangeAsync([
            MemfunServerProcess.InitializeLine(),
            big,
            """{"jsonrpc":"2.0","id":10,"method":"ping"}""",
        ]);

        var refused = Assert.Single(responses, r => IdIs(r, 9));
        Assert.Equal(-32600, refused["error"]?["code"]?.GetValue<int>());
        Assert.Contains("over this server's limit", refused["error"]?["message"]?.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(responses, r => IdIs(r, 10) && r["result"] is not null);
        Assert.False(File.Exists(_ws.Full("big.txt")));
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task A_request_that_never_finishes_is_cancelled_after_the_drain_period_and_the_server_exits()
    {
        // The fixture tool elicits from a client that declared elicitation and then closed stdin: no answer can come.
        var (responses, process) = await ExchangeAsync(
            [
                MemfunServerProcess.InitializeLine(capabilities: """{"elicitation":{}}"""),
                """{"jsonrpc":"2.0","method":"notifications/initialized"}""",
                """{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"test_streaming_elicitation","arguments":{}}}""",
                """{"jsonrpc":"2.0","id":6,"method":"ping"}""",
            ],
            ["--conformance-fixtures", "--drain-timeout", "8"]);

        Assert.Contains(responses, r => IdIs(r, 6) && r["result"] is not null);
        Assert.Contains(responses, r => r["method"]?.GetValue<string>() == "elicitation/create");
        Assert.DoesNotContain(responses, r => IdIs(r, 5));
        Assert.Contains("were still running", process.StandardErrorText, StringComparison.Ordinal);
        Assert.True(process.HasExited);
    }

    [Fact]
    public async Task Nothing_but_json_rpc_reaches_stdout_even_at_trace_level()
    {
        var (responses, process) = await ExchangeAsync(
            [MemfunServerProcess.InitializeLine(), """{"jsonrpc":"2.0","id":2,"method":"ping"}"""],
            ["--log-level", "Trace"]);

        Assert.Equal(2, responses.Count);
        Assert.Contains("dbug:", process.StandardErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Code_and_non_ascii_text_go_out_as_written_with_only_what_json_requires_escaped()
    {
        const string Code = "if (a => b < c && d > e) { s = \"caf\u00e9 \u00b7 \u2014\" + '\\'; }\tend";
        File.WriteAllText(Path.Combine(_ws.Path, "code.cs"), Code + "\n");

        var (responses, _) = await ExchangeAsync([
            MemfunServerProcess.InitializeLine(),
            """{"jsonrpc":"2.0","method":"notifications/initialized"}""",
            """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"read_file","arguments":{"path":"code.cs"}}}""",
        ]);

        var text = responses.Single(r => IdIs(r, 2))["result"]!["content"]![0]!["text"]!.GetValue<string>();
        Assert.Contains(Code, text, StringComparison.Ordinal);
        var line = _stdout.Split('\n').Single(l => l.Contains("\"id\":2", StringComparison.Ordinal));
        // Raw on the wire, as a Node server writes them (the default encoder sent \u003E, \u0026, \u00E9 …).
        Assert.Contains("a => b < c && d > e", line, StringComparison.Ordinal);
        Assert.Contains("caf\u00e9 \u00b7 \u2014", line, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u00", line, StringComparison.Ordinal);
        // JSON's own escapes stay: the quote, the backslash and the tab.
        Assert.Contains("s = \\\"caf", line, StringComparison.Ordinal);
        Assert.Contains("'\\\\'", line, StringComparison.Ordinal);
        Assert.Contains("\\tend", line, StringComparison.Ordinal);
    }

    private static bool IdIs(JsonObject response, int id) =>
        response["id"] is JsonValue v && v.TryGetValue<int>(out var n) && n == id;

    /// <summary>Writes every line, closes stdin, and reads stdout to the end; each stdout line must be a JSON object.</summary>
    private async Task<(List<JsonObject> Responses, Finished Process)> ExchangeAsync(IReadOnlyList<string> lines, IEnumerable<string>? extraArgs = null)
    {
        // A generous drain unless the test sets one: these tests are about what is answered, not about
        // how fast a loaded machine answers (the drain only lasts until everything is answered).
        var args = extraArgs?.ToList() ?? [];
        if (!args.Contains("--drain-timeout"))
        {
            args.AddRange(["--drain-timeout", "60"]);
        }

        using var process = MemfunServerProcess.StartRawStdio(_ws.Path, args);
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stdin = process.StandardInput.BaseStream;
        foreach (var line in lines)
        {
            await stdin.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
        }

        await stdin.FlushAsync();
        process.StandardInput.Close();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"memfun did not exit within 180 s of stdin closing.\n{await stderr}");
        }

        var finished = new Finished(process.ExitCode, true, await stderr);
        var responses = new List<JsonObject>();
        _stdout = await stdout;
        foreach (var line in _stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(line);
            }
            catch (JsonException ex)
            {
                throw new Xunit.Sdk.XunitException($"stdout carried a line that is not JSON ({ex.Message}): {line[..Math.Min(200, line.Length)]}");
            }

            responses.Add(Assert.IsType<JsonObject>(node));
        }

        return (responses, finished);
    }

    private sealed record Finished(int ExitCode, bool HasExited, string StandardErrorText)
    {
        public override string ToString() => $"exit {ExitCode}; stderr:\n{StandardErrorText}";
    }
}
