using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Memfun.McpServer.Tests.Infrastructure;
using Memfun.Testing;

namespace Memfun.McpServer.Tests.Cli;

/// <summary>
/// <c>memfun</c> with no arguments: the chat, driven through its standard input and through a real
/// pseudo-terminal (<c>script</c>), its model a local OpenAI-compatible stub server.
/// </summary>
public sealed class ChatShellTests
{
    /// <summary>Starts the chat in <paramref name="workspace"/> on the stub model (dashboard off) and starts reading its output.</summary>
    private static Transcript StartChat(string workspace, StubModelServer stub, bool pty)
    {
        var dll = MemfunServerProcess.ServerDll;
        var psi = pty
            // `exec`: with dash as the shell (SHELL unset, as in CI) the shell would otherwise stay as the chat's parent
            // in the terminal's process group, die of the Ctrl+C itself, and `script -e` would report its 130.
            ? new ProcessStartInfo("script", ["-q", "-e", "-c", $"exec dotnet '{dll}' --workspace '{workspace}'", "/dev/null"])
            : new ProcessStartInfo("dotnet", [dll, "--workspace", workspace]);
        psi.RedirectStandardInput = true;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        psi.WorkingDirectory = workspace;
        foreach (var (k, v) in stub.ClientEnvironment())
        {
            psi.Environment[k] = v;
        }

        psi.Environment["MEMFUN_DASHBOARD__ENABLED"] = "false";
        psi.Environment["SHELL"] = "/bin/sh"; // the same shell for `script` here as on a CI machine
        var transcript = new Transcript(Process.Start(psi)!);
        transcript.Start();
        return transcript;
    }

    private sealed class Transcript(Process process) : IDisposable
    {
        private readonly StringBuilder _all = new();

        public Process Process => process;

        public void Start()
        {
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (_all) { _all.AppendLine(e.Data); } } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (_all) { _all.AppendLine(e.Data); } } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string Text { get { lock (_all) { return _all.ToString(); } } }

        public async Task WaitForAsync(string text, int seconds = 240)
        {
            var deadline = DateTime.UtcNow.AddSeconds(seconds);
            while (!Text.Contains(text, StringComparison.Ordinal))
            {
                if (DateTime.UtcNow > deadline || process.HasExited)
                {
                    throw new Xunit.Sdk.XunitException($"'{text}' never appeared. Transcript:\n{Text}");
                }

                await Task.Delay(50);
            }
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }
    }

    [Fact]
    public async Task Every_slash_command_answers_and_a_bad_one_gets_a_helpful_message()
    {
        using var ws = new TempWorkspace();
        ws.Write("calc.py", "def add(a, b):\n    return a + b\n");
        using var stub = new StubModelServer();
        using var transcript = StartChat(ws.Path, stub, pty: false);
        var process = transcript.Process;
        foreach (var line in new[]
        {
            "/help", "/remember the tests use pytest", "/memory", "/forget the tests use pytest", "/context", "/agents",
            "/workflow", "/model", "/model other-model", "/model", "/traces", "/clear", "/dashboard", "/bogus", "/remember", "/exit",
        })
        {
            await process.StandardInput.WriteLineAsync(line);
        }

        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token);
        var text = transcript.Text;

        Assert.Equal(0, process.ExitCode);
        Assert.Contains("/remember <text>", text, StringComparison.Ordinal);           // /help
        Assert.Contains("the tests use pytest", text, StringComparison.Ordinal);      // /remember, /memory
        Assert.Contains("calc.py", text, StringComparison.Ordinal);                   // /context (the code map)
        Assert.Matches(@"coder\s+15 iter\s+writes", text);                         // /agents, as a table
        Assert.DoesNotContain("\"maxIterations\"", text, StringComparison.Ordinal);
        Assert.Contains("no workflows yet", text, StringComparison.Ordinal);          // /workflow
        Assert.Contains("provider: openai; model: stub-model", text, StringComparison.Ordinal); // /model
        Assert.Contains("model for this session: other-model", text, StringComparison.Ordinal);
        Assert.Contains("provider: openai; model: other-model", text, StringComparison.Ordinal);
        Assert.Contains("no traces yet", text, StringComparison.Ordinal);             // /traces
        Assert.Contains("\u001b[2J", text, StringComparison.Ordinal);                 // /clear
        Assert.Contains("the dashboard is off", text, StringComparison.Ordinal);      // /dashboard
        Assert.Contains("Unknown command '/bogus'. Type /help", text, StringComparison.Ordinal);
        Assert.Contains("usage: /remember <text>", text, StringComparison.Ordinal);
        Assert.Empty(stub.Requests);
    }

    [Fact]
    public async Task A_request_runs_through_the_orchestrator_with_progress_and_its_change_lands()
    {
        using var ws = new TempWorkspace();
        ws.Write("calc.py", "def add(a, b):\n    return a + b\n");
        using var stub = new StubModelServer();
        stub.ThenOpenAi(JsonSerializer.Serialize(new
            {
                summary = "Add mul.",
                operations = new object[] { new { op = "edit", path = "calc.py", old = "    return a + b\n", @new = "    return a + b\n\n\ndef mul(a, b):\n    return a * b\n" } },
            }))
            .ThenOpenAi("""{"verdict": "ok", "problems": [], "summary": "fine"}""");
        using var transcript = StartChat(ws.Path, stub, pty: false);
        var process = transcript.Process;

        await process.StandardInput.WriteLineAsync("Add a mul function to calc.py");
        await transcript.WaitForAsync("orchestrate: completed via the solver");
        await process.StandardInput.WriteLineAsync("/exit");
        await process.WaitForExitAsync();

        Assert.Contains("trying the context-first solver", transcript.Text, StringComparison.Ordinal);
        Assert.Contains("def mul(a, b):", ws.Read("calc.py"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_c_in_a_terminal_cancels_the_running_request_not_the_session()
    {
        using var ws = new TempWorkspace();
        ws.Write("calc.py", "def add(a, b):\n    return a + b\n");
        using var stub = new StubModelServer();
        stub.Then(StubModelServer.OpenAiReply("{}") with { Delay = TimeSpan.FromMinutes(2) });
        using var transcript = StartChat(ws.Path, stub, pty: true);
        var process = transcript.Process;
        await transcript.WaitForAsync("memfun chat");

        await process.StandardInput.WriteAsync("Add a mul function to calc.py\r");
        await process.StandardInput.FlushAsync();
        await transcript.WaitForAsync("trying the context-first solver");
        for (var i = 0; i < 50 && stub.Requests.Count == 0; i++)
        {
            await Task.Delay(100);
        }

        await process.StandardInput.WriteAsync("\u0003");
        await process.StandardInput.FlushAsync();
        await transcript.WaitForAsync("cancelled after");
        await process.StandardInput.WriteAsync("/agents\r");
        await process.StandardInput.FlushAsync();
        await transcript.WaitForAsync("15 iter  writes");

        // The command-line parser's own SIGINT handling (cancel everything, exit 130 after a 2 s grace) must not
        // be armed for the chat: the session is still ours well after that grace period.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await process.StandardInput.WriteAsync("/agents\r");
        await process.StandardInput.FlushAsync();
        await process.StandardInput.WriteAsync("/exit\r");
        await process.StandardInput.FlushAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);

        Assert.Equal(0, process.ExitCode);
        Assert.Equal("def add(a, b):\n    return a + b\n", ws.Read("calc.py"));
        Assert.DoesNotContain("Exception", transcript.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_ends_an_idle_chat()
    {
        using var ws = new TempWorkspace();
        using var stub = new StubModelServer();
        using var transcript = StartChat(ws.Path, stub, pty: false);
        var process = transcript.Process;
        await transcript.WaitForAsync("memfun chat");

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        Assert.Equal(143, process.ExitCode);
    }
}
