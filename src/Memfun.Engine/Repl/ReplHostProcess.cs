using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Memfun.Engine.Repl.Protocol;

namespace Memfun.Engine.Repl;

/// <summary>
/// One running <c>memfun repl-host</c> child: sends requests, routes answers by id, serves the child's
/// tool calls through a handler, keeps the tail of its stderr, and kills it (with its process tree).
/// </summary>
/// <remarks>Thread-safe. After the child exits every pending request fails with <see cref="ReplHostExitedException"/>.</remarks>
internal sealed class ReplHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Func<string, JsonObject, CancellationToken, Task<JsonNode?>> _onCall;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<ReplMessage>> _pending = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly StringBuilder _stderr = new();
    private readonly CancellationTokenSource _life = new();
    private readonly TaskCompletionSource<ReplMessage> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _maxMessageBytes;
    private string? _fault;
    private long _nextId;
    private int _inFlightCalls;
    private Task? _readLoop;
    private Task? _errLoop;

    private ReplHostProcess(Process process, string sandboxMode, long maxMessageBytes, Func<string, JsonObject, CancellationToken, Task<JsonNode?>> onCall)
    {
        _process = process;
        _maxMessageBytes = maxMessageBytes;
        SandboxMode = sandboxMode;
        _onCall = onCall;
    }

    /// <summary>Which OS confinement the host runs under.</summary>
    public string SandboxMode { get; }

    /// <summary>The PID of the .NET host itself, as the server sees it (inside bubblewrap, not bwrap's nor the one it has in its own PID namespace).</summary>
    public int ChildPid { get; private set; }

    /// <summary>Tool calls of the child being served right now.</summary>
    public int InFlightCalls => Volatile.Read(ref _inFlightCalls);

    public bool HasExited
    {
        get
        {
            try
            {
                return _process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
    }

    /// <summary>The last few kilobytes the child wrote to stderr (runtime crash messages land here).</summary>
    public string StandardErrorTail
    {
        get { lock (_stderr) { return _stderr.ToString(); } }
    }

    /// <summary>Starts a host and waits until it has compiled its first submission and says ready.</summary>
    public static async Task<ReplHostProcess> StartAsync(ReplLauncher launcher, string workDir, Func<string, JsonObject, CancellationToken, Task<JsonNode?>> onCall, CancellationToken cancellationToken)
    {
        var psi = launcher.Create(workDir, out var mode);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new ReplException("The REPL host process did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new ReplException($"The REPL host could not be started ({psi.FileName}): {ex.Message}", ex);
        }

        var host = new ReplHostProcess(process, mode, launcher.Options.MaxMessageBytes, onCall);
        host._readLoop = Task.Run(host.ReadLoopAsync, CancellationToken.None);
        host._errLoop = Task.Run(host.ErrorLoopAsync, CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Generous: with tiered compilation off a host needs about twice the CPU to get ready, and a loaded machine stretches that.
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        try
        {
            var ready = await host._ready.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            host.ChildPid = ReplProcessTree.FindHostPid(process.Id, ready.Pid);
            return host;
        }
        catch (Exception ex) when (ex is OperationCanceledException or ReplHostExitedException)
        {
            await host.DisposeAsync().ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new ReplException($"The REPL host did not become ready: {ex.Message} {host.StandardErrorTail}".Trim(), ex);
        }
    }

    /// <summary>Sends a request and waits for the answer with the same id.</summary>
    public async Task<ReplMessage> RequestAsync(ReplMessage request, CancellationToken cancellationToken)
    {
        request.Id = Interlocked.Increment(ref _nextId);
        var tcs = new TaskCompletionSource<ReplMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[request.Id] = tcs;
        if (HasExited)
        {
            _pending.TryRemove(request.Id, out _);
            throw new ReplHostExitedException(Describe());
        }

        await WriteAsync(request).ConfigureAwait(false);
        return await tcs.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Resident memory of the child, read from /proc; null when it cannot be read.</summary>
    public long? ResidentBytes()
    {
        try
        {
            var statm = File.ReadAllText($"/proc/{ChildPid}/statm");
            var parts = statm.Split(' ');
            return long.Parse(parts[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Kills the child and everything it started.</summary>
    public void Kill()
    {
        try
        {
            if (ChildPid > 0 && ChildPid != _process.Id)
            {
                try
                {
                    using var child = Process.GetProcessById(ChildPid);
                    child.Kill(entireProcessTree: true);
                }
                catch (ArgumentException)
                {
                }
            }

            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
        }
    }

    /// <summary>Waits (briefly) for the child to be gone.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            if (_readLoop is not null)
            {
                await _readLoop.WaitAsync(cts.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
        {
        }

        await WaitForExitAsync(TimeSpan.FromMilliseconds(500)).ConfigureAwait(false);
        Kill();
        await WaitForExitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        await _life.CancelAsync().ConfigureAwait(false);
        _process.Dispose();
        _life.Dispose();
        _writeGate.Dispose();
    }

    private string Describe()
    {
        var err = StandardErrorTail;
        string code;
        try
        {
            code = _process.HasExited ? _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "?";
        }
        catch (InvalidOperationException)
        {
            code = "?";
        }

        if (Volatile.Read(ref _fault) is { } fault)
        {
            return fault;
        }

        return $"The REPL process exited (code {code}).{(err.Length > 0 ? " Its last words: " + err.Trim() : string.Empty)}";
    }

    private async Task WriteAsync(ReplMessage message)
    {
        // One write: the child's stdin writer flushes on every write, and half a line is a wasted wake-up of its reader.
        var line = message.ToLine() + "\n";
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            await _process.StandardInput.WriteAsync(line).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
        {
            // The child is gone; the read loop fails every pending request.
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            var reader = new ReplLineReader(_process.StandardOutput.BaseStream, _maxMessageBytes);
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                ReplMessage message;
                try
                {
                    message = ReplMessage.Parse(line);
                }
                catch (JsonException)
                {
                    continue;
                }

                switch (message.Type)
                {
                    case "ready":
                        _ready.TrySetResult(message);
                        break;
                    case "call":
                        Interlocked.Increment(ref _inFlightCalls);
                        _ = Task.Run(() => ServeCallAsync(message), CancellationToken.None);
                        break;
                    default:
                        if (_pending.TryRemove(message.Id, out var tcs))
                        {
                            tcs.TrySetResult(message);
                        }

                        break;
                }
            }
        }
        catch (ReplMessageTooLargeException)
        {
            // A host writing without end (or a message past the cap) must not grow the server: it is killed.
            Volatile.Write(ref _fault, $"The REPL process was stopped: it wrote a protocol message longer than the limit of {_maxMessageBytes / (1024 * 1024)} MiB " +
                "(ReplOptions.MaxMessageBytes). Print less at once, or keep large data in variables.");
            Kill();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }

        try
        {
            await _process.WaitForExitAsync().ConfigureAwait(false);
            if (_errLoop is not null)
            {
                await _errLoop.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
        }

        var exited = new ReplHostExitedException(Describe());
        _ready.TrySetException(exited);
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var tcs))
            {
                tcs.TrySetException(exited);
            }
        }
    }

    private async Task ErrorLoopAsync()
    {
        try
        {
            var buffer = new char[4096];
            int n;
            while ((n = await _process.StandardError.ReadAsync(buffer, _life.Token).ConfigureAwait(false)) > 0)
            {
                lock (_stderr)
                {
                    _stderr.Append(buffer, 0, n);
                    if (_stderr.Length > 8192)
                    {
                        _stderr.Remove(0, _stderr.Length - 4096);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
        }
    }

    private async Task ServeCallAsync(ReplMessage call)
    {
        var reply = new ReplMessage { Type = "result", Id = call.Id };
        try
        {
            reply.Value = await _onCall(call.Tool ?? string.Empty, call.Args ?? [], _life.Token).ConfigureAwait(false);
            reply.Ok = true;
        }
        catch (Memfun.Tools.MemfunToolException ex)
        {
            reply.Error = ex.Message;
        }
        catch (OperationCanceledException)
        {
            reply.Error = $"{call.Tool} was cancelled.";
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            reply.Error = $"{call.Tool} failed: {ex.GetType().Name}: {ex.Message}";
        }
        finally
        {
            Interlocked.Decrement(ref _inFlightCalls);
        }

        await WriteAsync(reply).ConfigureAwait(false);
    }
}
