using System.Diagnostics;
using System.Text;

namespace Memfun.McpServer.Tests.Infrastructure;

/// <summary>A real <c>memfun worker</c> child process; started and ready (registered) when returned.</summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process, string id)
    {
        Process = process;
        Id = id;
    }

    public Process Process { get; }

    public string Id { get; }

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Runs <c>memfun worker --id ID ARGS</c> in <paramref name="workspace"/> and waits for its ready line.</summary>
    public static Task<WorkerProcess> StartAsync(string workspace, string id, params string[] args) =>
        StartAsync(workspace, id, new Dictionary<string, string?>(), args);

    /// <summary>Like <see cref="StartAsync(string, string, string[])"/>, with extra environment variables (its model, the coordinator's token).</summary>
    public static async Task<WorkerProcess> StartAsync(string workspace, string id, IDictionary<string, string?> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = workspace,
        };
        foreach (var a in (string[])[MemfunServerProcess.ServerDll, "worker", "--id", id, "--workspace", workspace, "--log-level", "Warning", .. args])
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment)
        {
            psi.Environment[k] = v;
        }

        var worker = new WorkerProcess(Process.Start(psi)!, id);
        worker.Process.ErrorDataReceived += (_, e) => worker.OnLine(e.Data);
        worker.Process.OutputDataReceived += (_, e) => worker.OnLine(e.Data);
        worker.Process.BeginErrorReadLine();
        worker.Process.BeginOutputReadLine();
        var exited = worker.Process.WaitForExitAsync();
        if (await Task.WhenAny(worker._ready.Task, exited, Task.Delay(TimeSpan.FromSeconds(60))) != worker._ready.Task)
        {
            worker.Kill();
            throw new InvalidOperationException($"memfun worker {id} did not become ready:\n{worker.StandardError}");
        }

        return worker;
    }

    /// <summary>SIGKILL: no chance to clean up, like a crash.</summary>
    public void Kill()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        Process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_stderr)
        {
            _stderr.AppendLine(line);
        }

        if (line.Contains(" ready: ", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }
}
