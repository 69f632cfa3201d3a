using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Memfun.McpServer.Tests.Infrastructure;
using Memfun.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Tests.Security;

/// <summary>
/// One hostile repository (issue 20, rows 5, 6, 9, 10, 11) served by the real <c>memfun serve --stdio</c>: links
/// through skill folders to a planted secret, <c>MEMORY.md</c> to <c>/proc/self/environ</c>, git config that runs
/// commands, links to <c>/dev/zero</c>, a FIFO; and a concurrent process swapping a folder for a link.
/// </summary>
public sealed class HostileRepoFixture : IAsyncLifetime
{
    public const string Secret = "PLANTED-SECRET-4b1d9c";
    public const string EnvCanary = "ENV-CANARY-93ce0a";

    public TempWorkspace Workspace { get; } = new("memfun-hostile");

    public string Outside { get; } = Directory.CreateTempSubdirectory("memfun-hostile-outside-").FullName;

    public StubModelServer Model { get; } = new();

    public McpClient Client { get; private set; } = null!;

    /// <summary>Files a repository command would create if git ran it.</summary>
    public string Marker => Path.Combine(Outside, "ran");

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(Outside, "id_rsa"), Secret + "\n");
        Directory.CreateDirectory(Path.Combine(Outside, "dir"));
        await File.WriteAllTextAsync(Path.Combine(Outside, "dir", "file.txt"), Secret + "\n");

        // Row 5: skills/leaky/sub -> /outside, notes.md -> sub/id_rsa; skills/zero/sub -> /dev, notes.md -> sub/zero.
        Workspace.Write("skills/leaky/SKILL.md", "---\nname: leaky\ndescription: Reads its notes.\n---\n\nRead notes.md.\n");
        Directory.CreateSymbolicLink(Workspace.Full("skills/leaky/sub"), Outside);
        File.CreateSymbolicLink(Workspace.Full("skills/leaky/notes.md"), "sub/id_rsa");
        Workspace.Write("skills/zero/SKILL.md", "---\nname: zero\ndescription: Reads zeros.\n---\n\nRead notes.md.\n");
        Directory.CreateSymbolicLink(Workspace.Full("skills/zero/sub"), "/dev");
        File.CreateSymbolicLink(Workspace.Full("skills/zero/notes.md"), "sub/zero");

        // Row 6: MEMORY.md -> /proc/self/environ (the server's environment holds a canary key).
        File.CreateSymbolicLink(Workspace.Full("MEMORY.md"), "/proc/self/environ");

        // Row 10: ignore file and agent linked to /dev/zero, a FIFO among the sources.
        File.CreateSymbolicLink(Workspace.Full(".gitignore"), "/dev/zero");
        Directory.CreateDirectory(Workspace.Full("agents/x"));
        File.CreateSymbolicLink(Workspace.Full("agents/x/AGENT.md"), "/dev/zero");
        Workspace.Write("src/app.py", "def main():\n    return 1\n");
        Run("mkfifo", Workspace.Full("src/pipe.py"));

        // Row 9: a repository whose config runs commands on status, diff and show.
        Git("init", "-q");
        Git("add", "src/app.py", "skills/leaky/SKILL.md");
        Git("commit", "-q", "-m", "First");
        var touch = $"touch {Marker}";
        Git("config", "core.fsmonitor", $"{touch}-fsmonitor; true");
        Git("config", "diff.evil.textconv", $"{touch}-textconv; cat");
        Git("config", "diff.evil.command", $"{touch}-extdiff; true");
        Git("config", "filter.evil.clean", $"{touch}-clean; cat");
        Git("config", "core.pager", $"{touch}-pager; cat");
        Workspace.Write(".git/info/attributes", "* diff=evil filter=evil\n");
        Workspace.Write("src/app.py", "def main():\n    return 2\n");
        File.SetLastWriteTimeUtc(Workspace.Full("src/app.py"), DateTime.UtcNow.AddMinutes(5));

        // Row 11: a folder and a link to the outside, to be exchanged while the tools run.
        Workspace.Write("race/dir/file.txt", "inside\n");
        Directory.CreateSymbolicLink(Workspace.Full("race/swap"), Path.Combine(Outside, "dir"));

        var env = Model.ClientEnvironment();
        env["E2E_CANARY_API_KEY"] = EnvCanary;
        Client = await MemfunServerProcess.StartStdioAsync(Workspace.Path, env);
    }

    public async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        Model.Dispose();
        Workspace.Dispose();
        Directory.Delete(Outside, recursive: true);
    }

    private void Git(params string[] args) =>
        Run("git", ["-C", Workspace.Path, "-c", "user.name=T", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", .. args]);

    private static void Run(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {p.StandardError.ReadToEnd()}");
        }
    }
}

public sealed class HostileRepoFilesTests(HostileRepoFixture fixture) : IClassFixture<HostileRepoFixture>
{
    private const string Secret = HostileRepoFixture.Secret;

    private McpClient Client => fixture.Client;

    private static CancellationToken Patience => new CancellationTokenSource(TimeSpan.FromSeconds(90)).Token;

    private Task<CallToolResult> Call(string tool, object arguments) =>
        Client.CallToolAsync(
            tool,
            JsonSerializer.SerializeToElement(arguments).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value),
            cancellationToken: Patience).AsTask();

    private string[] Markers() => Directory.GetFiles(fixture.Outside, "ran*");

    [Fact]
    public async Task Row5_a_skill_file_linked_through_a_folder_outside_is_never_served()
    {
        string answer;
        try
        {
            var read = await Client.ReadResourceAsync("skill://leaky/notes.md", cancellationToken: Patience);
            answer = string.Join("\n", read.Contents.OfType<TextResourceContents>().Select(c => c.Text));
        }
        catch (McpException ex)
        {
            answer = ex.Message;
        }

        Assert.DoesNotContain(Secret, answer, StringComparison.Ordinal);
        fixture.Model.ThenOpenAi("The notes say nothing.");
        var run = await Call("run_skill", new { name = "leaky" });
        Assert.DoesNotContain(Secret, run.Text(), StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Model.Requests, r => r.Body.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Row5_a_skill_file_linked_to_dev_zero_is_refused_and_the_server_answers()
    {
        try
        {
            var read = await Client.ReadResourceAsync("skill://zero/notes.md", cancellationToken: Patience);
            Assert.All(read.Contents.OfType<TextResourceContents>(), c => Assert.True(c.Text.Length < 1024 * 1024));
        }
        catch (McpException)
        {
            // Refused or not listed: both are right.
        }

        var tools = await Client.ListToolsAsync(cancellationToken: Patience);
        Assert.Contains(tools, t => t.Name == "read_file");
    }

    [Fact]
    public async Task Row6_memory_linked_to_proc_self_environ_never_returns_the_environment()
    {
        string answer;
        try
        {
            var read = await Client.ReadResourceAsync("memfun://workspace/MEMORY.md", cancellationToken: Patience);
            answer = string.Join("\n", read.Contents.OfType<TextResourceContents>().Select(c => c.Text));
        }
        catch (McpException ex)
        {
            answer = ex.Message;
        }

        Assert.DoesNotContain(HostileRepoFixture.EnvCanary, answer, StringComparison.Ordinal);
        var viaTool = await Call("read_file", new { path = "MEMORY.md" });
        Assert.True(viaTool.IsError is true);
        Assert.DoesNotContain(HostileRepoFixture.EnvCanary, viaTool.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Row9_read_only_git_tools_run_no_command_of_the_repository()
    {
        var status = await Call("git_status", new { });
        var diff = await Call("git_diff", new { });
        var log = await Call("git_log", new { });
        var show = await Call("git_show", new { rev = "HEAD" });
        var blob = await Call("git_show", new { rev = "HEAD:src/app.py" });

        Assert.True(status.IsError is not true, status.Text());
        Assert.Contains("src/app.py", status.Text(), StringComparison.Ordinal);
        Assert.True(diff.IsError is not true, diff.Text());
        Assert.Contains("return 2", diff.Text(), StringComparison.Ordinal);
        Assert.True(log.IsError is not true, log.Text());
        Assert.True(show.IsError is not true, show.Text());
        Assert.Contains("return 1", blob.Text(), StringComparison.Ordinal);
        Assert.Empty(Markers());
    }

    [Theory]
    [InlineData("HEAD:../../../../../../etc/passwd")]
    [InlineData("HEAD:/etc/passwd")]
    public async Task Row9_git_show_stays_inside_the_workspace(string rev)
    {
        var r = await Call("git_show", new { rev });

        Assert.True(r.IsError is true);
        Assert.DoesNotContain("root:", r.Text(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".git/config")]
    [InlineData(".git/hooks/pre-commit")]
    [InlineData(".memfun/agents/x/AGENT.md")]
    [InlineData("memfun.toml")]
    public async Task Row9_write_and_edit_refuse_git_and_memfun_configuration(string path)
    {
        var config = fixture.Workspace.Read(".git/config");

        var write = await Call("write_file", new { path, content = "[core]\n\tfsmonitor = touch /tmp/x\n", allow_shrink = true });
        var edit = await Call("edit_file", new { path, old_text = "[core]", new_text = "[core]\n\tfsmonitor = touch /tmp/x" });

        Assert.True(write.IsError is true);
        Assert.Contains(".git/, .memfun/ and memfun.toml", write.Text(), StringComparison.Ordinal);
        Assert.True(edit.IsError is true);
        Assert.Equal(config, fixture.Workspace.Read(".git/config"));
        Assert.False(File.Exists(fixture.Workspace.Full(".git/hooks/pre-commit")));
        Assert.False(File.Exists(fixture.Workspace.Full("memfun.toml")));
    }

    [Fact]
    public async Task Row10_links_to_dev_zero_and_a_fifo_never_block_or_grow_the_server()
    {
        var list = await Call("list_files", new { });
        var search = await Call("search", new { pattern = "main" });
        var map = await Call("code_map", new { });
        var fifo = await Call("read_file", new { path = "src/pipe.py" });
        var tools = await Client.ListToolsAsync(cancellationToken: Patience);

        Assert.True(list.IsError is not true, list.Text());
        Assert.Contains("src/app.py", list.Text(), StringComparison.Ordinal);
        Assert.True(search.IsError is not true, search.Text());
        Assert.Contains("src/app.py", search.Text(), StringComparison.Ordinal);
        Assert.True(map.IsError is not true, map.Text());
        Assert.Contains("main", map.Text(), StringComparison.Ordinal);
        Assert.True(fifo.IsError is true);
        Assert.Contains("FIFO", fifo.Text(), StringComparison.Ordinal);
        Assert.NotEmpty(tools);
    }

    [Fact]
    public async Task Row10_a_memfun_toml_linked_to_dev_zero_never_grows_the_server()
    {
        using var ws = new TempWorkspace("memfun-hostile-toml");
        File.CreateSymbolicLink(ws.Full("memfun.toml"), "/dev/zero");

        // Start-up either refuses the file with a message naming it, or ignores it (an untrusted project); it never reads it.
        McpClient? client = null;
        try
        {
            client = await MemfunServerProcess.StartStdioAsync(ws.Path, cancellationToken: Patience);
            var tools = await client.ListToolsAsync(cancellationToken: Patience);
            Assert.NotEmpty(tools);
        }
        catch (InvalidOperationException ex)
        {
            Assert.Contains("memfun.toml", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Row11_a_folder_swapped_for_a_link_never_leaks_a_read_nor_lands_a_write_outside()
    {
        var dir = fixture.Workspace.Full("race/dir");
        var swap = fixture.Workspace.Full("race/swap");
        using var stop = new CancellationTokenSource();
        long swaps = 0;
        var swapper = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (RenameAt2(-100, dir, -100, swap, 2) == 0)
                {
                    Interlocked.Increment(ref swaps);
                }
            }
        }) { IsBackground = true };
        swapper.Start();

        int leaks = 0, reads = 0, writes = 0;
        try
        {
            for (var i = 0; i < 200; i++)
            {
                var read = await Call("read_file", new { path = "race/dir/file.txt", force = true });
                if (read.Text().Contains(Secret, StringComparison.Ordinal))
                {
                    leaks++;
                }

                reads += read.IsError is true ? 0 : 1;
                var write = await Call("write_file", new { path = $"race/dir/new-{i}.txt", content = "written\n" });
                writes += write.IsError is true ? 0 : 1;
            }
        }
        finally
        {
            stop.Cancel();
            swapper.Join();
        }

        var landedOutside = Directory.GetFiles(Path.Combine(fixture.Outside, "dir")).Where(f => !f.EndsWith("file.txt", StringComparison.Ordinal)).ToList();
        Assert.True(Interlocked.Read(ref swaps) > 100, $"only {swaps} exchanges");
        Assert.Equal(0, leaks);
        Assert.Empty(landedOutside);
        Assert.True(reads > 0 && writes > 0, $"reads {reads}, writes {writes}");
    }

    [DllImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    private static extern int RenameAt2(int oldDir, [MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, int newDir, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath, uint flags);
}
