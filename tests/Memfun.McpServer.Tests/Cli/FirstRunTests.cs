using System.Diagnostics;
using System.Text.Json;
using Memfun.McpServer.Tests.Infrastructure;

namespace Memfun.McpServer.Tests.Cli;

/// <summary>
/// What a new user sees on the first run: the README's <c>dotnet run --project src/Memfun.McpServer -- serve</c>
/// serves the folder it is run from, the stdio server says on stderr that it is ready (stdout stays the
/// protocol's), and the <c>.memfun/</c> folder it creates is ignored by git.
/// </summary>
public sealed class FirstRunTests : IDisposable
{
    private readonly TempWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task Dotnet_run_serves_the_folder_it_is_run_from()
    {
        _ws.Write("here.txt", "the caller's folder\n");
        var project = Path.Combine(RepoRoot.Path, "src", "Memfun.McpServer");
        // As the README says, with the build the tests already made (--no-build) so that the test does not compile.
        using var process = Start("dotnet", ["run", "--project", project, "--no-build", "-c", RepoRoot.Configuration, "--", "serve"]);

        var (ready, files) = await ReadyLineAndFilesAsync(process);

        Assert.Contains($"serving {_ws.Path} over stdio", ready, StringComparison.Ordinal);
        Assert.Contains("here.txt", files, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_stdio_server_prints_one_ready_line_on_stderr_and_nothing_on_stdout_before_the_answer()
    {
        using var process = Start("dotnet", [MemfunServerProcess.ServerDll, "serve", "--workspace", _ws.Path]);

        var (ready, _) = await ReadyLineAndFilesAsync(process);

        Assert.StartsWith("memfun ", ready, StringComparison.Ordinal);
        Assert.Contains($": serving {_ws.Path} over stdio (MCP); toolsets: all", ready, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_state_folder_the_server_creates_is_ignored_by_git()
    {
        Git("init", "-q");
        _ws.Write("app.py", "print('hi')\n");
        Git("add", "app.py");
        using var process = Start("dotnet", [MemfunServerProcess.ServerDll, "serve", "--workspace", _ws.Path]);
        await ReadyLineAndFilesAsync(process);
        await CallAsync(process, 3, "remember", """{"text":"The app prints hi."}""");

        Assert.True(File.Exists(Path.Combine(_ws.Path, ".memfun", "memory.db")));
        Assert.Equal("*", File.ReadAllLines(Path.Combine(_ws.Path, ".memfun", ".gitignore"))[^1]);
        Assert.DoesNotContain(".memfun", Git("status", "--porcelain", "--untracked-files=all"), StringComparison.Ordinal);
    }

    private Process Start(string command, string[] args)
    {
        var psi = new ProcessStartInfo(command)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _ws.Path,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["MEMFUN_DASHBOARD__ENABLED"] = "false";
        return Process.Start(psi)!;
    }

    /// <summary>Waits for the ready line on stderr, then initializes and lists the workspace; the first stdout line must be the answer.</summary>
    private static async Task<(string Ready, string Files)> ReadyLineAndFilesAsync(Process process)
    {
        string? ready;
        while ((ready = await process.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(3))) is not null && !ready.Contains("serving ", StringComparison.Ordinal))
        {
        }

        Assert.NotNull(ready);
        await process.StandardInput.WriteLineAsync(MemfunServerProcess.InitializeLine());
        var first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(3));
        using (var answer = JsonDocument.Parse(first!))
        {
            Assert.Equal(1, answer.RootElement.GetProperty("id").GetInt32());
            Assert.True(answer.RootElement.TryGetProperty("result", out _), first);
        }

        await process.StandardInput.WriteLineAsync("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        var files = await CallAsync(process, 2, "list_files", "{}");
        return (ready, files);
    }

    /// <summary>Calls a tool over raw stdio and returns the answer line.</summary>
    private static async Task<string> CallAsync(Process process, int id, string tool, string arguments)
    {
        await process.StandardInput.WriteLineAsync("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}}");
        await process.StandardInput.FlushAsync();
        while (await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(3)) is { } line)
        {
            if (line.Contains($"\"id\":{id},", StringComparison.Ordinal) || line.EndsWith($"\"id\":{id}}}", StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new InvalidOperationException($"no answer to {tool}");
    }

    private string Git(params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = _ws.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output;
    }
}
