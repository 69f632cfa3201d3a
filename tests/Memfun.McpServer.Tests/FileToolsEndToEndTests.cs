using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Memfun.McpServer.Tests.Infrastructure;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Tests;

/// <summary>One stdio server over one workspace (with a 200 MB file, a binary and a non-UTF-8 file), shared by the file/shell/git end-to-end tests.</summary>
public sealed class FileToolsServerFixture : IAsyncLifetime
{
    public TempWorkspace Workspace { get; } = new("memfun-e2e-files");

    public string Outside { get; } = Directory.CreateTempSubdirectory("memfun-e2e-outside-").FullName;

    public McpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var line = Encoding.ASCII.GetBytes(new string('z', 99) + "\n");
        var block = new byte[line.Length * 10_000];
        for (var i = 0; i < 10_000; i++)
        {
            line.CopyTo(block, i * line.Length);
        }

        await using (var f = File.Create(Workspace.Full("huge.log")))
        {
            for (var i = 0; i < 200; i++)
            {
                await f.WriteAsync(block);
            }
        }

        var png = new byte[2048];
        new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(png, 0);
        await File.WriteAllBytesAsync(Workspace.Full("logo.png"), png);
        await File.WriteAllBytesAsync(Workspace.Full("latin1.txt"), [.. "na"u8, 0xEF, (byte)'v', 0xE9, (byte)'\n']);
        await File.WriteAllTextAsync(Path.Combine(Outside, "secret.txt"), "outside secret\n");
        File.CreateSymbolicLink(Workspace.Full("secret-link.txt"), Path.Combine(Outside, "secret.txt"));
        Directory.CreateSymbolicLink(Workspace.Full("escape"), Outside);

        Client = await MemfunServerProcess.StartStdioAsync(Workspace.Path, new Dictionary<string, string?>
        {
            ["MEMFUN_E2E_TOKEN"] = "must-not-leak",
            ["E2E_SERVICE_API_KEY"] = "must-not-leak-either",
        });
    }

    public async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        Workspace.Dispose();
        Directory.Delete(Outside, recursive: true);
    }
}

public sealed class FileToolsEndToEndTests(FileToolsServerFixture fixture) : IClassFixture<FileToolsServerFixture>
{
    private McpClient Client => fixture.Client;

    private TempWorkspace Ws => fixture.Workspace;

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    private Task<CallToolResult> Call(string tool, object arguments, IProgress<ProgressNotificationValue>? progress = null, CancellationToken? cancellationToken = null) =>
        Client.CallToolAsync(
            tool,
            JsonSerializer.SerializeToElement(arguments).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value),
            progress,
            cancellationToken: cancellationToken ?? Timeout).AsTask();

    private async Task<string> Ok(string tool, object arguments)
    {
        var r = await Call(tool, arguments);
        Assert.True(r.IsError is not true, $"{tool} failed: {r.Text()}");
        return r.Text();
    }

    private async Task<string> Refused(string tool, object arguments)
    {
        var r = await Call(tool, arguments);
        Assert.True(r.IsError is true, $"{tool} should have been refused but returned: {r.Text()}");
        return r.Text();
    }

    [Fact]
    public async Task Every_tool_is_listed_with_truthful_annotations()
    {
        var tools = (await Client.ListToolsAsync(cancellationToken: Timeout)).ToDictionary(t => t.Name, t => t.ProtocolTool);

        foreach (var name in (string[])["read_file", "git_status", "git_diff", "git_log", "git_show"])
        {
            Assert.True(tools[name].Annotations?.ReadOnlyHint, name);
            Assert.True(tools[name].Annotations?.IdempotentHint, name);
        }

        Assert.True(tools["write_file"].Annotations?.DestructiveHint);
        Assert.True(tools["edit_file"].Annotations?.DestructiveHint);
        Assert.False(tools["edit_file"].Annotations?.IdempotentHint);
        Assert.True(tools["run_cmd"].Annotations?.DestructiveHint);
        Assert.True(tools["run_cmd"].Annotations?.OpenWorldHint);
        Assert.NotNull(tools["edit_file"].OutputSchema);
        var readArgs = tools["read_file"].InputSchema.GetProperty("properties");
        foreach (var arg in (string[])["path", "offset", "limit", "force"])
        {
            Assert.True(readArgs.TryGetProperty(arg, out _), arg);
        }
    }

    [Fact]
    public async Task Read_file_pages_numbered_lines_and_a_re_read_says_unchanged_unless_forced()
    {
        Ws.Write("notes/read-me.txt", string.Concat(Enumerable.Range(1, 2500).Select(i => $"row {i}\n")));

        var first = await Ok("read_file", new { path = "notes/read-me.txt" });
        var again = await Ok("read_file", new { path = "notes/read-me.txt" });
        var forced = await Ok("read_file", new { path = "notes/read-me.txt", force = true });
        var next = await Ok("read_file", new { path = "notes/read-me.txt", offset = 2001 });

        Assert.Contains("lines 1-2000 of 2500", first, StringComparison.Ordinal);
        Assert.Contains("     1\trow 1\n", first, StringComparison.Ordinal);
        Assert.Contains("offset=2001", first, StringComparison.Ordinal);
        Assert.Contains("unchanged since your last read (lines 1-2000 of 2500", again, StringComparison.Ordinal);
        Assert.DoesNotContain("row 5\n", again, StringComparison.Ordinal);
        Assert.Contains("row 2000\n", forced, StringComparison.Ordinal);
        Assert.Contains("  2500\trow 2500\n", next, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_through_the_tools_makes_the_next_read_show_the_content_again()
    {
        Ws.Write("cache.txt", "one\ntwo\n");
        await Ok("read_file", new { path = "cache.txt" });

        await Ok("edit_file", new { path = "cache.txt", old_text = "two", new_text = "three" });
        var afterEdit = await Ok("read_file", new { path = "cache.txt" });

        Assert.Contains("     2\tthree", afterEdit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_200_MB_file_is_read_a_page_at_a_time()
    {
        var first = await Ok("read_file", new { path = "huge.log", limit = 100 });
        var last = await Ok("read_file", new { path = "huge.log", offset = 1_999_990 });

        Assert.Contains("lines 1-100 of ?", first, StringComparison.Ordinal);
        Assert.Contains("190.7 MB", first, StringComparison.Ordinal);
        Assert.Contains("offset=101", first, StringComparison.Ordinal);
        Assert.Contains("lines 1999990-2000000 of 2000000", last, StringComparison.Ordinal);
        Assert.Contains("[end of file]", last, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_binary_file_is_refused_and_a_non_utf8_file_is_decoded_as_windows_1252()
    {
        var binary = await Refused("read_file", new { path = "logo.png" });
        var latin = await Ok("read_file", new { path = "latin1.txt" });
        var missing = await Refused("read_file", new { path = "no/such/file.txt" });
        var pastEnd = await Refused("read_file", new { path = "latin1.txt", offset = 99 });
        Assert.Contains("does not exist", missing, StringComparison.Ordinal);
        Assert.Contains("past the end", pastEnd, StringComparison.Ordinal);

        Assert.Contains("binary file", binary, StringComparison.Ordinal);
        Assert.Contains("PNG image", binary, StringComparison.Ordinal);
        Assert.Contains("naïvé", latin, StringComparison.Ordinal);
        Assert.Contains("Windows-1252", latin, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Arguments_of_the_wrong_type_missing_or_misnamed_are_explained_from_the_schema()
    {
        Assert.Equal(
            "Invalid arguments for 'read_file': 'path' must be a string (got an integer). Arguments: path (string, required), offset (integer), limit (integer), force (boolean).",
            await Refused("read_file", new { path = 123 }));
        Assert.StartsWith(
            "Invalid arguments for 'read_file': 'path' is required; 'file' is not an argument of this tool. Arguments: path (string, required)",
            await Refused("read_file", new { file = "notes.md" }), StringComparison.Ordinal);
        Assert.StartsWith("Invalid arguments for 'read_file': 'offset' must be an integer (got a string).", await Refused("read_file", new { path = "notes.md", offset = "ten" }), StringComparison.Ordinal);
        Assert.StartsWith("Invalid arguments for 'edit_file': 'new_text' is required", await Refused("edit_file", new { path = "notes.md", old_text = "a" }), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("read_file")]
    [InlineData("write_file")]
    [InlineData("edit_file")]
    public async Task Paths_that_leave_the_workspace_are_refused_by_every_file_tool(string tool)
    {
        foreach (var path in (string[])["../escape.txt", "/etc/passwd", "secret-link.txt", "escape/secret.txt", "escape/new.txt"])
        {
            object args = tool switch
            {
                "read_file" => new { path },
                "write_file" => new { path, content = "pwned\n", allow_shrink = true },
                _ => new { path, old_text = "outside", new_text = "pwned" },
            };

            var text = await Refused(tool, args);
            Assert.Contains("workspace", text, StringComparison.Ordinal);
        }

        Assert.Equal("outside secret\n", await File.ReadAllTextAsync(Path.Combine(fixture.Outside, "secret.txt")));
        Assert.False(File.Exists(Path.Combine(fixture.Outside, "new.txt")));
    }

    [Fact]
    public async Task Write_file_creates_folders_and_refuses_a_large_shrink_unless_allowed()
    {
        var created = await Call("write_file", new { path = "out/deep/file.txt", content = string.Concat(Enumerable.Range(1, 10).Select(i => $"line {i:00}\n")) });
        var shrink = await Refused("write_file", new { path = "out/deep/file.txt", content = "line 01\n" });
        var allowed = await Ok("write_file", new { path = "out/deep/file.txt", content = "line 01\n", allow_shrink = true });

        Assert.True(created.IsError is not true, created.Text());
        Assert.Equal("out/deep/file.txt", created.StructuredContent?.GetProperty("path").GetString());
        Assert.True(created.StructuredContent?.GetProperty("created").GetBoolean());
        Assert.Contains("10 lines now, 1 after", shrink, StringComparison.Ordinal);
        Assert.Contains("edit_file", shrink, StringComparison.Ordinal);
        Assert.Contains("Wrote 'out/deep/file.txt'", allowed, StringComparison.Ordinal);
        Assert.Equal("line 01\n", Ws.Read("out/deep/file.txt"));
    }

    [Fact]
    public async Task Edit_file_reports_strategy_and_diff_and_refuses_ambiguous_missing_and_empty_edits()
    {
        Ws.Write("edit/app.py", "def main():\n    x = 1\n    y = 2\n    x = 1\n    print(x + y)\n");

        var ambiguous = await Refused("edit_file", new { path = "edit/app.py", old_text = "x = 1", new_text = "x = 5" });
        var miss = await Refused("edit_file", new { path = "edit/app.py", old_text = "    print(x * y * z * 100)", new_text = "pass" });
        var empty = await Refused("edit_file", new { path = "edit/app.py", old_text = "", new_text = "pass" });
        var edited = await Call("edit_file", new { path = "edit/app.py", old_text = "y = 2\n  x = 1", new_text = "y = 3\nx = 4" });

        Assert.Contains("matches 2 places", ambiguous, StringComparison.Ordinal);
        Assert.Contains("lines 2, 4", ambiguous, StringComparison.Ordinal);
        Assert.Contains("closest region is lines 5-5", miss, StringComparison.Ordinal);
        Assert.Contains("old_text is empty", empty, StringComparison.Ordinal);
        Assert.True(edited.IsError is not true, edited.Text());
        var s = edited.StructuredContent!.Value;
        Assert.Equal("whitespace", s.GetProperty("strategy").GetString());
        Assert.Equal(1, s.GetProperty("replacements").GetInt32());
        Assert.False(s.GetProperty("dry_run").GetBoolean());
        Assert.Contains("+    y = 3", s.GetProperty("diff").GetString(), StringComparison.Ordinal);
        Assert.Equal("def main():\n    x = 1\n    y = 3\n    x = 4\n    print(x + y)\n", Ws.Read("edit/app.py"));
    }

    [Fact]
    public async Task Run_cmd_reports_output_and_exit_code_and_hides_the_servers_secrets()
    {
        var r = await Call("run_cmd", new { command = "echo out; echo err >&2; env | grep -c -E 'MEMFUN_E2E_TOKEN|E2E_SERVICE_API_KEY' ; exit 4" });

        Assert.True(r.IsError is not true, r.Text());
        var s = r.StructuredContent!.Value;
        Assert.Equal(4, s.GetProperty("exit_code").GetInt32());
        Assert.Equal("out\nerr\n0\n", s.GetProperty("output").GetString());
        Assert.Contains("[exit code 4", r.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_cmd_times_out_and_refuses_a_cwd_outside_the_workspace()
    {
        var timedOut = await Call("run_cmd", new { command = "echo begun; sleep 30", timeout_seconds = 1 });
        var outside = await Refused("run_cmd", new { command = "pwd", cwd = "../" });

        var badTimeout = await Refused("run_cmd", new { command = "true", timeout_seconds = 100_000 });
        var empty = await Refused("run_cmd", new { command = " " });

        Assert.Contains("between 1 and 600", badTimeout, StringComparison.Ordinal);
        Assert.Contains("command is empty", empty, StringComparison.Ordinal);
        Assert.True(timedOut.StructuredContent!.Value.GetProperty("timed_out").GetBoolean());
        Assert.True(timedOut.IsError, "a command the timeout killed is an error result");
        Assert.Contains("timed out after 1 s", timedOut.Text(), StringComparison.Ordinal);
        Assert.Contains("outside the workspace", outside, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_cmd_sends_progress_while_it_runs()
    {
        var reports = new List<ProgressNotificationValue>();
        var progress = new SynchronousProgress(reports);

        await Call("run_cmd", new { command = "sleep 2.5; echo done" }, progress);

        lock (reports)
        {
            Assert.NotEmpty(reports);
            Assert.Contains("lines of output so far", reports[0].Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Cancelling_a_long_run_cmd_kills_the_process_and_the_server_keeps_serving()
    {
        // run_cmd runs in a PID namespace of its own: the sleep is found here by a unique argument, not by the PID it sees.
        var marker = "60." + Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var call = Call("run_cmd", new { command = $"sleep {marker} & wait", timeout_seconds = 120 }, cancellationToken: cts.Token);
        int pid;
        while ((pid = SleeperWith(marker)) == 0)
        {
            await Task.Delay(20);
        }

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        for (var i = 0; i < 200 && Alive(pid); i++)
        {
            await Task.Delay(50);
        }

        Assert.False(Alive(pid), $"sleep {pid} still runs after the call was cancelled");
        Assert.Contains("still here", await Ok("run_cmd", new { command = "echo still here" }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Git_tools_explain_a_missing_repository_then_work_in_one()
    {
        using var repo = new TempWorkspace("memfun-e2e-git");
        await using var client = await MemfunServerProcess.StartStdioAsync(repo.Path, cancellationToken: Timeout);
        async Task<CallToolResult> Git(string tool, object args) => await client.CallToolAsync(
            tool, JsonSerializer.SerializeToElement(args).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value), cancellationToken: Timeout);

        var none = await Git("git_status", new { });
        Assert.True(none.IsError);
        Assert.Contains("not a git repository", none.Text(), StringComparison.Ordinal);
        Assert.Contains("git init", none.Text(), StringComparison.Ordinal);

        RunGit(repo.Path, "init", "-q");
        repo.Write("a.txt", "v1\n");
        RunGit(repo.Path, "add", "-A");
        RunGit(repo.Path, "commit", "-q", "-m", "Add a");
        repo.Write("a.txt", "v2\n");

        Assert.Contains(" M a.txt", (await Git("git_status", new { })).Text(), StringComparison.Ordinal);
        Assert.Contains("+v2", (await Git("git_diff", new { path = "a.txt" })).Text(), StringComparison.Ordinal);
        Assert.Contains("Add a", (await Git("git_log", new { max_count = 5 })).Text(), StringComparison.Ordinal);
        Assert.Contains("+v1", (await Git("git_show", new { rev = "HEAD" })).Text(), StringComparison.Ordinal);
        var injected = await Git("git_show", new { rev = "--output=/tmp/memfun-pwned" });
        Assert.True(injected.IsError);
        Assert.Contains("starts with '-'", injected.Text(), StringComparison.Ordinal);
        var outside = await Git("git_diff", new { path = "../../etc" });
        Assert.True(outside.IsError);
    }

    private static int SleeperWith(string marker)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(dir), out var pid) && File.ReadAllText(Path.Combine(dir, "cmdline")).StartsWith("sleep\0" + marker, StringComparison.Ordinal))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
            }
        }

        return 0;
    }

    private static bool Alive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static void RunGit(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in (string[])["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", .. args])
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"git {string.Join(' ', args)}: {p.StandardError.ReadToEnd()}");
    }

    private sealed class SynchronousProgress(List<ProgressNotificationValue> reports) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}

/// <summary>The read cache is per MCP session: over HTTP, a second session reading the same file gets the content.</summary>
public sealed class FileToolsHttpSessionTests
{
    [Fact]
    public async Task Each_http_session_has_its_own_read_cache()
    {
        using var ws = new TempWorkspace();
        ws.Write("shared.txt", "alpha\nbeta\n");
        await using var server = await MemfunServerProcess.StartHttpAsync(ws.Path);
        // Sessions belong to the initialize-handshake era (2025-11-25); a stateless 2026-07-28 client has none
        // and is always sent the content.
        var sessions = new ModelContextProtocol.Client.McpClientOptions { ProtocolVersion = "2025-11-25" };
        await using var one = await server.ConnectAsync(options: sessions);
        await using var two = await server.ConnectAsync(options: sessions);
        var args = new Dictionary<string, object?> { ["path"] = "shared.txt" };

        var oneFirst = (await one.CallToolAsync("read_file", args)).Text();
        var oneAgain = (await one.CallToolAsync("read_file", args)).Text();
        var twoFirst = (await two.CallToolAsync("read_file", args)).Text();

        Assert.Contains("     1\talpha", oneFirst, StringComparison.Ordinal);
        Assert.Contains("unchanged since your last read", oneAgain, StringComparison.Ordinal);
        Assert.Contains("     1\talpha", twoFirst, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_file_shell_and_git_tools_work_over_http()
    {
        using var ws = new TempWorkspace();
        await using var server = await MemfunServerProcess.StartHttpAsync(ws.Path);
        await using var client = await server.ConnectAsync();

        var write = await client.CallToolAsync("write_file", new Dictionary<string, object?> { ["path"] = "h/a.txt", ["content"] = "one\ntwo\n" });
        var edit = await client.CallToolAsync("edit_file", new Dictionary<string, object?> { ["path"] = "h/a.txt", ["old_text"] = "two", ["new_text"] = "2" });
        var run = await client.CallToolAsync("run_cmd", new Dictionary<string, object?> { ["command"] = "cat h/a.txt" });
        var escape = await client.CallToolAsync("read_file", new Dictionary<string, object?> { ["path"] = "../../etc/passwd" });
        var git = await client.CallToolAsync("git_log", new Dictionary<string, object?>());

        Assert.True(write.IsError is not true, write.Text());
        Assert.Equal("exact", edit.StructuredContent?.GetProperty("strategy").GetString());
        Assert.Equal("one\n2\n", run.StructuredContent?.GetProperty("output").GetString());
        Assert.True(escape.IsError);
        Assert.Contains("outside the workspace", escape.Text(), StringComparison.Ordinal);
        Assert.True(git.IsError);
        Assert.Contains("not a git repository", git.Text(), StringComparison.Ordinal);
    }
}
