using System.Diagnostics;
using System.Text.Json;
using Memfun.McpServer.Tests.Infrastructure;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Tests.Security;

/// <summary>
/// Children of the server (run_cmd, the REPL) try what a hostile repository's code would: read the
/// server's environment and the user's credentials, kill the server, flood the REPL protocol pipe, and,
/// as one HTTP client, reach another client's REPL. Real server, real bubblewrap, real processes.
/// </summary>
public sealed class HostileChildProcessTests
{
    private const string Canary = "canary-7f3a9c21";

    [Fact]
    public async Task Run_cmd_cannot_read_the_servers_environment_nor_kill_it()
    {
        using var ws = new TempWorkspace("memfun-hostile-cmd");
        await using var server = await MemfunServerProcess.StartHttpAsync(ws.Path, environment: new Dictionary<string, string?> { ["OPENAI_API_KEY"] = Canary });
        await using var client = await server.ConnectAsync();
        var pid = server.Process.Id;

        var environ = await RunCmd(client, $"cat /proc/{pid}/environ; tr '\\0' '\\n' < /proc/{pid}/environ; echo done");
        Assert.DoesNotContain(Canary, environ, StringComparison.Ordinal);
        Assert.Contains("done", environ, StringComparison.Ordinal);

        await RunCmd(client, $"kill -9 {pid}; kill -TERM {pid}; echo tried");

        Assert.Contains("still serving", await RunCmd(client, "echo still serving"), StringComparison.Ordinal);
        Assert.False(server.Process.HasExited, "run_cmd killed the server");
    }

    [Fact]
    public async Task A_repl_script_sees_neither_the_users_secrets_nor_the_servers_process()
    {
        using var ws = new TempWorkspace("memfun-hostile-repl");
        ws.Write("visible.txt", "workspace file");
        // Outside /tmp: the REPL's private /tmp would hide a home under /tmp whatever else it does.
        var home = Path.Combine("/var/tmp", "memfun-home-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(home, ".memfun"));
        File.WriteAllText(Path.Combine(home, ".memfun", "canary.txt"), Canary);
        File.WriteAllText(Path.Combine(home, ".git-credentials"), $"https://user:{Canary}@example.com\n");
        File.WriteAllText(Path.Combine(home, ".npmrc"), $"//registry.npmjs.org/:_authToken={Canary}\n");
        try
        {
            await using var server = await MemfunServerProcess.StartHttpAsync(ws.Path, environment: new Dictionary<string, string?>
            {
                ["HOME"] = home,
                ["OPENAI_API_KEY"] = Canary,
            });
            await using var client = await server.ConnectAsync();
            var session = await StartRepl(client);
            var pid = server.Process.Id;

            var output = await Exec(client, session, $$"""
                string Try(string path) { try { return File.ReadAllText(path); } catch (Exception e) { return "denied: " + e.GetType().Name; } }
                Console.WriteLine(Try("{{home}}/.memfun/canary.txt"));
                Console.WriteLine(Try("{{home}}/.git-credentials"));
                Console.WriteLine(Try("{{home}}/.npmrc"));
                Console.WriteLine(Try("/proc/{{pid}}/environ"));
                Console.WriteLine("server visible: " + Directory.Exists("/proc/{{pid}}"));
                Console.WriteLine("processes: " + System.Diagnostics.Process.GetProcesses().Length);
                Console.WriteLine(Try("{{ws.Full("visible.txt")}}"));
                """);

            Assert.DoesNotContain(Canary, output, StringComparison.Ordinal);
            Assert.Contains("server visible: False", output, StringComparison.Ordinal);
            Assert.Contains("workspace file", output, StringComparison.Ordinal);
            var processes = int.Parse(output.Split("processes: ")[1].Split('\n')[0].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(processes <= 3, $"the REPL sees {processes} processes: it shares the server's PID namespace");
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task A_repl_writing_an_endless_protocol_line_is_stopped_with_a_clear_error()
    {
        using var ws = new TempWorkspace("memfun-hostile-flood");
        await using var server = await MemfunServerProcess.StartHttpAsync(ws.Path);
        await using var client = await server.ConnectAsync();
        var session = await StartRepl(client);

        var flood = await client.CallToolAsync("repl_exec", new Dictionary<string, object?>
        {
            ["session"] = session,
            ["code"] = """
                var pipe = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle((IntPtr)1, false), FileAccess.Write);
                var block = new byte[1 << 20];
                Array.Fill(block, (byte)'a');
                while (true) { pipe.Write(block); }
                """,
        });

        Assert.True(flood.IsError);
        Assert.Contains("protocol message longer than the limit", flood.Text(), StringComparison.Ordinal);
        Assert.False(server.Process.HasExited);
        server.Process.Refresh();
        Assert.True(server.Process.WorkingSet64 < 1L << 30, $"the server holds {server.Process.WorkingSet64 >> 20} MiB after the flood");

        // The session goes on in a fresh process.
        Assert.Contains("42", await Exec(client, session, "Console.WriteLine(6 * 7);"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_clients_cannot_reach_each_others_repl_sessions_nor_traces()
    {
        using var ws = new TempWorkspace("memfun-hostile-owners");
        await using var server = await MemfunServerProcess.StartHttpAsync(ws.Path);
        await using var statelessA = await server.ConnectAsync();
        await using var statefulB = await server.ConnectAsync(options: new McpClientOptions { ProtocolVersion = "2025-11-25" });
        await using var statelessC = await server.ConnectAsync();

        var a = await StartRepl(statelessA);
        var b = await StartRepl(statefulB);
        Assert.Contains("1", await Exec(statelessA, a, "var mine = 1; Console.WriteLine(mine);"), StringComparison.Ordinal);

        // B (a protocol session) cannot use A's REPL even knowing its id; A cannot use B's.
        Assert.True((await ExecRaw(statefulB, a, "Console.WriteLine(mine);")).IsError);
        Assert.True((await ExecRaw(statelessA, b, "Console.WriteLine(1);")).IsError);
        Assert.True((await ExecRaw(statelessC, b, "Console.WriteLine(1);")).IsError);

        // Nobody is shown another client's trace, and reading it by id fails.
        foreach (var (client, foreign) in new[] { (statelessC, a), (statelessC, b), (statefulB, a), (statelessA, b) })
        {
            var list = await ReadText(client, "memfun://rlm/traces");
            Assert.DoesNotContain(foreign, list, StringComparison.Ordinal);
        }

        await Assert.ThrowsAsync<McpProtocolException>(() => ReadText(statefulB, $"memfun://rlm/traces/{a}"));
        await Assert.ThrowsAsync<McpProtocolException>(() => ReadText(statelessA, $"memfun://rlm/traces/{b}"));

        // Each reads its own; a stateless session id is unguessable (it is that client's key).
        Assert.Contains("mine", await ReadText(statelessA, $"memfun://rlm/traces/{a}"), StringComparison.Ordinal);
        Assert.Contains(b, await ReadText(statefulB, "memfun://rlm/traces"), StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{32}$", a);
    }

    [Fact]
    public async Task The_number_of_repl_sessions_is_capped_with_a_clear_error()
    {
        using var ws = new TempWorkspace("memfun-hostile-cap");
        await using var server = await MemfunServerProcess.StartHttpAsync(ws.Path, environment: new Dictionary<string, string?> { ["MEMFUN_RLM__MAX_SESSIONS"] = "2" });
        await using var client = await server.ConnectAsync();
        var first = await StartRepl(client);
        await StartRepl(client);

        var third = await client.CallToolAsync("repl_start", new Dictionary<string, object?>());
        Assert.True(third.IsError);
        Assert.Contains("already run on this server", third.Text(), StringComparison.Ordinal);

        await client.CallToolAsync("repl_stop", new Dictionary<string, object?> { ["session"] = first });
        await StartRepl(client);
    }

    [Theory]
    [InlineData("KILL")]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task The_repl_folder_is_removed_however_the_server_is_stopped(string signal)
    {
        using var ws = new TempWorkspace("memfun-hostile-kill");
        using var tmp = new TempWorkspace("memfun-hostile-tmpdir");
        await using var server = await MemfunServerProcess.StartHttpAsync(ws.Path, environment: new Dictionary<string, string?> { ["TMPDIR"] = tmp.Path + "/" });
        await using var client = await server.ConnectAsync();
        await StartRepl(client);
        Assert.Single(Directory.GetDirectories(tmp.Path, "memfun-repl-*"));

        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-s", signal, server.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!)
        {
            await kill.WaitForExitAsync();
        }

        await server.Process.WaitForExitAsync();
        await WaitUntil(() => Directory.GetDirectories(tmp.Path, "memfun-repl-*").Length == 0, $"the REPL folder outlived the server stopped with SIG{signal}");
    }

    [Fact]
    public async Task The_repl_folder_is_removed_when_the_servers_stdin_closes()
    {
        using var ws = new TempWorkspace("memfun-hostile-stdin");
        using var tmp = new TempWorkspace("memfun-hostile-tmpdir");
        using var server = MemfunServerProcess.StartRawStdio(ws.Path, environment: new Dictionary<string, string?> { ["TMPDIR"] = tmp.Path + "/" });
        await server.StandardInput.WriteLineAsync(MemfunServerProcess.InitializeLine());
        await ReadResponseAsync(server, 1);
        await server.StandardInput.WriteLineAsync("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        await server.StandardInput.WriteLineAsync("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"repl_start\",\"arguments\":{}}}");
        var started = await ReadResponseAsync(server, 2);
        Assert.Contains("\"session\"", started, StringComparison.Ordinal);
        Assert.Single(Directory.GetDirectories(tmp.Path, "memfun-repl-*"));

        server.StandardInput.Close();

        await WaitUntil(() => server.HasExited && Directory.GetDirectories(tmp.Path, "memfun-repl-*").Length == 0, "the REPL folder outlived the server whose stdin closed");
    }

    [Fact]
    public async Task A_stale_repl_folder_of_a_server_that_is_gone_is_swept_at_start()
    {
        using var ws = new TempWorkspace("memfun-hostile-sweep");
        using var tmp = new TempWorkspace("memfun-hostile-tmpdir");
        using var dead = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await dead.WaitForExitAsync();
        var stale = Directory.CreateDirectory(Path.Combine(tmp.Path, $"memfun-repl-{dead.Id}-0123456789ab")).FullName;
        File.WriteAllText(Path.Combine(stale, "left.txt"), "x");
        var alive = Directory.CreateDirectory(Path.Combine(tmp.Path, $"memfun-repl-{Environment.ProcessId}-0123456789ab")).FullName;

        await using var server = await MemfunServerProcess.StartHttpAsync(ws.Path, environment: new Dictionary<string, string?> { ["TMPDIR"] = tmp.Path + "/" });
        await using var client = await server.ConnectAsync();
        await StartRepl(client);

        await WaitUntil(() => !Directory.Exists(stale), "the folder of a server that is gone was not swept");
        Assert.True(Directory.Exists(alive), "the folder of a running process was swept");
    }

    private static async Task<string> RunCmd(McpClient client, string command)
    {
        var r = await client.CallToolAsync("run_cmd", new Dictionary<string, object?> { ["command"] = command });
        return r.Text();
    }

    private static async Task<string> StartRepl(McpClient client)
    {
        var r = await client.CallToolAsync("repl_start", new Dictionary<string, object?>());
        Assert.NotEqual(true, r.IsError);
        return r.StructuredContent!.Value.GetProperty("session").GetString()!;
    }

    private static Task<CallToolResult> ExecRaw(McpClient client, string session, string code) =>
        client.CallToolAsync("repl_exec", new Dictionary<string, object?> { ["session"] = session, ["code"] = code }).AsTask();

    private static async Task<string> Exec(McpClient client, string session, string code)
    {
        var r = await ExecRaw(client, session, code);
        Assert.True(r.IsError != true, r.Text());
        return r.Text();
    }

    private static async Task<string> ReadText(McpClient client, string uri)
    {
        var r = await client.ReadResourceAsync(uri);
        return ((TextResourceContents)r.Contents[0]).Text;
    }

    private static async Task<string> ReadResponseAsync(Process server, int id)
    {
        while (await server.StandardOutput.ReadLineAsync() is { } line)
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.TryGetProperty("id", out var got) && got.ValueKind == JsonValueKind.Number && got.GetInt32() == id)
            {
                return line;
            }
        }

        throw new InvalidOperationException($"the server closed its output before answering request {id}");
    }

    /// <summary>Polls <paramref name="condition"/> with a generous deadline (a loaded CI machine): an event, not a fixed sleep.</summary>
    private static async Task WaitUntil(Func<bool> condition, string failure)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), failure);
            await Task.Delay(100);
        }
    }
}
