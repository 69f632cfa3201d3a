using System.Diagnostics;
using System.Text;

namespace Memfun.Bench.Runtime;

/// <summary><c>memfun worker</c> child processes (a process stands for a machine), each waited on until ready, with
/// their stderr kept to see crashes.</summary>
internal sealed class WorkerFleet : IAsyncDisposable
{
    private readonly List<(Process Process, StringBuilder Log)> _workers = [];

    /// <summary>Starts <paramref name="count"/> workers; <paramref name="args"/> gives each one's arguments after
    /// <c>worker</c> (its index as input); <paramref name="environment"/> is set on top of this process's.</summary>
    public static async Task<WorkerFleet> StartAsync(int count, Func<int, IReadOnlyList<string>> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var fleet = new WorkerFleet();
        var dll = Path.Combine(AppContext.BaseDirectory, "memfun.dll");
        var ready = new List<Task>();
        for (var i = 0; i < count; i++)
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            psi.ArgumentList.Add(dll);
            psi.ArgumentList.Add("worker");
            foreach (var a in args(i))
            {
                psi.ArgumentList.Add(a);
            }

            foreach (var (k, v) in environment ?? new Dictionary<string, string>())
            {
                psi.Environment[k] = v;
            }

            var log = new StringBuilder();
            var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var p = Process.Start(psi)!;
            void OnLine(string? line)
            {
                if (line is null)
                {
                    return;
                }

                lock (log)
                {
                    if (log.Length < 1_000_000)
                    {
                        log.AppendLine(line);
                    }
                }

                if (line.Contains(" ready: ", StringComparison.Ordinal))
                {
                    up.TrySetResult();
                }
            }

            p.ErrorDataReceived += (_, e) => OnLine(e.Data);
            p.OutputDataReceived += (_, e) => OnLine(e.Data);
            p.BeginErrorReadLine();
            p.BeginOutputReadLine();
            fleet._workers.Add((p, log));
            ready.Add(Task.WhenAny(up.Task, p.WaitForExitAsync()));
        }

        try
        {
            await Task.WhenAll(ready).WaitAsync(TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException)
        {
            // A starved machine, not a fault under test: the caller may start the run again.
            await fleet.DisposeAsync();
            throw new InvalidOperationException("a memfun worker did not start within 120 s (is the machine overloaded?)");
        }

        if (fleet.Exited.Count > 0)
        {
            var log = fleet.Log(fleet.Exited[0]);
            await fleet.DisposeAsync();
            throw new InvalidOperationException("a memfun worker exited at start:\n" + log);
        }

        return fleet;
    }

    public int Count => _workers.Count;

    /// <summary>Indexes of workers that are no longer running.</summary>
    public IReadOnlyList<int> Exited => [.. Enumerable.Range(0, _workers.Count).Where(i => _workers[i].Process.HasExited)];

    /// <summary>Workers that exited or printed an unhandled exception.</summary>
    public IReadOnlyList<int> Crashed => [.. Enumerable.Range(0, _workers.Count).Where(i => _workers[i].Process.HasExited || Log(i).Contains("Unhandled exception", StringComparison.Ordinal))];

    public string Log(int index)
    {
        var log = _workers[index].Log;
        lock (log)
        {
            return log.ToString();
        }
    }

    /// <summary>SIGKILLs worker <paramref name="index"/> (a machine that died).</summary>
    public void Kill(int index) => _workers[index].Process.Kill(entireProcessTree: true);

    /// <summary>Stops every worker with SIGTERM (they give their tasks back and go offline), SIGKILL after 10 s.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var (p, _) in _workers.Where(w => !w.Process.HasExited))
        {
            using var term = Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync();
        }

        foreach (var (p, _) in _workers)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await p.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill(entireProcessTree: true);
            }

            p.Dispose();
        }
    }
}
