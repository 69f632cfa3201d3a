using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Memfun.Tools.Shell;

/// <summary>
/// Runs a child process with a timeout, capped output, a scrubbed environment and closed standard
/// input, and kills its whole process tree — grandchildren and background jobs included — on
/// timeout, on cancellation, and when it exits leaving background processes behind.
/// </summary>
/// <remarks>
/// <para>Thread-safe; one instance serves any number of concurrent runs.</para>
/// <para>On Unix the child starts in its own session and process group (<c>setsid</c>), so one
/// signal to the group reaches every descendant that did not leave the group itself; the runner
/// also walks the process tree as a second net. Processes still running when the server exits
/// normally are killed from a process-exit hook.</para>
/// <para>Cancellation kills the tree and then throws <see cref="OperationCanceledException"/>. A
/// timeout is not an exception: the result says <see cref="ProcessRunResult.TimedOut"/>.</para>
/// <para>Arguments and output are never logged above Trace.</para>
/// </remarks>
public sealed partial class ProcessRunner
{
    private static readonly ConcurrentDictionary<int, Process> Live = new();
    private static readonly string? Setsid = FindSetsid();

    private readonly ILogger _logger;

    static ProcessRunner()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var (group, process) in Live)
            {
                Kill(group, process);
            }
        };
    }

    /// <summary>Creates a runner.</summary>
    public ProcessRunner(ILogger<ProcessRunner>? logger = null)
    {
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Runs <paramref name="options"/> to completion, timeout or cancellation.</summary>
    /// <param name="options">What to run.</param>
    /// <param name="progress">Receives a report about once a second while the process runs.</param>
    /// <param name="cancellationToken">Kills the process tree and throws when cancelled.</param>
    /// <exception cref="MemfunToolException">The program could not be started.</exception>
    public async Task<ProcessRunResult> RunAsync(ProcessRunOptions options, IProgress<ProcessProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        if (!CanFind(options.FileName))
        {
            throw new MemfunToolException($"Could not start '{options.FileName}': no such program (looked on PATH and as a path). Check the name, or install it.");
        }

        var psi = BuildStartInfo(options);
        var output = new OutputBuffer(options.MaxOutputChars, options.KeepTail);
        var errors = options.MergeStandardError ? null : new OutputBuffer(options.MaxOutputChars, options.KeepTail);
        var clock = Stopwatch.StartNew();

        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new MemfunToolException($"Could not start '{options.FileName}': {ex.Message}", ex);
        }

        var group = Setsid is not null ? process.Id : 0;
        Live[process.Id] = process;
        LogStarted(_logger, options.FileName, process.Id);
        try
        {
            var stdin = WriteInputAsync(process, options.StandardInput);
            var pumps = new List<Task> { PumpAsync(process.StandardOutput, output) };
            if (errors is not null)
            {
                pumps.Add(PumpAsync(process.StandardError, errors));
            }

            var allOutput = Task.WhenAll(pumps);
            using var timeout = new CancellationTokenSource(options.Timeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            var timedOut = false;
            var exited = process.WaitForExitAsync(linked.Token);
            while (true)
            {
                var tick = Task.Delay(TimeSpan.FromSeconds(1), linked.Token);
                var done = await Task.WhenAny(exited, tick).ConfigureAwait(false);
                if (done == exited)
                {
                    break;
                }

                if (tick.IsCanceled)
                {
                    break;
                }

                progress?.Report(new ProcessProgress(clock.Elapsed, output.Lines));
            }

            try
            {
                await exited.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                timedOut = !cancellationToken.IsCancellationRequested;
                Kill(group, process);
                LogKilled(_logger, process.Id, timedOut ? "timeout" : "cancellation");
                await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
            }

            // Background jobs may still hold the pipes: give them a moment, then stop the group.
            if (await Task.WhenAny(allOutput, Task.Delay(200, CancellationToken.None)).ConfigureAwait(false) != allOutput || PosixSignals.GroupAlive(group))
            {
                Kill(group, process);
            }

            if (await Task.WhenAny(allOutput, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false) != allOutput)
            {
                // A process that left the group (setsid, a daemon) still holds the pipe: stop reading.
                output.Append("\n[memfun: stopped reading output: a process that left the command's process group (setsid, nohup, a daemon) still holds it open]\n");
            }

            await stdin.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();

            var (text, omitted) = output.Snapshot();
            var (err, errOmitted) = errors?.Snapshot() ?? (string.Empty, 0);
            return new ProcessRunResult(process.ExitCode, text, err, timedOut, omitted + errOmitted, output.Lines + (errors?.Lines ?? 0), clock.Elapsed);
        }
        catch (TimeoutException)
        {
            Kill(group, process);
            throw new MemfunToolException($"'{options.FileName}' could not be stopped cleanly: its output did not close after it was killed.");
        }
        finally
        {
            Live.TryRemove(process.Id, out _);
        }
    }

    private static ProcessStartInfo BuildStartInfo(ProcessRunOptions options)
    {
        var psi = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
            WorkingDirectory = options.WorkingDirectory ?? string.Empty,
        };

        var args = new List<string>();
        if (options.MergeStandardError && !OperatingSystem.IsWindows())
        {
            // One pipe for both streams keeps their order as written.
            args.AddRange(["/bin/sh", "-c", "exec \"$@\" 2>&1", "memfun-run", options.FileName]);
        }
        else
        {
            args.Add(options.FileName);
        }

        args.AddRange(options.Arguments);
        if (options.Confine && ChildConfinement.Prefix is { } confined)
        {
            args.InsertRange(0, confined);
        }

        if (Setsid is not null)
        {
            psi.FileName = Setsid;
        }
        else
        {
            psi.FileName = args[0];
            args.RemoveAt(0);
        }

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        if (options.ScrubEnvironment)
        {
            EnvironmentScrubber.Scrub(psi.Environment);
        }

        foreach (var (k, v) in options.Environment ?? new Dictionary<string, string?>())
        {
            if (v is null)
            {
                psi.Environment.Remove(k);
            }
            else
            {
                psi.Environment[k] = v;
            }
        }

        return psi;
    }

    private static async Task WriteInputAsync(Process process, string? input)
    {
        try
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // The child closed its input early; nothing to do.
        }
        finally
        {
            process.StandardInput.Close();
        }
    }

    private static async Task PumpAsync(StreamReader reader, OutputBuffer buffer)
    {
        var chunk = new char[8192];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(chunk.AsMemory(), CancellationToken.None).ConfigureAwait(false)) > 0)
            {
                buffer.Append(chunk.AsSpan(0, read));
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or IOException)
        {
            // The run was abandoned while something still held the pipe; what was read is kept.
        }
    }

    private static void Kill(int group, Process process)
    {
        if (group > 0)
        {
            PosixSignals.KillGroup(group, PosixSignals.SigKill);
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    private static bool CanFind(string fileName)
    {
        if (fileName.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(fileName);
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(dir => File.Exists(Path.Combine(dir, fileName)));
    }

    private static string? FindSetsid()
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        foreach (var candidate in (string[])["/usr/bin/setsid", "/bin/setsid"])
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "Started {FileName} as process {ProcessId}")]
    private static partial void LogStarted(ILogger logger, string fileName, int processId);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Debug, Message = "Killed the process tree of {ProcessId} ({Reason})")]
    private static partial void LogKilled(ILogger logger, int processId, string reason);
}
