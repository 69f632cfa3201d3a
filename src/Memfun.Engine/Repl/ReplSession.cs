using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Memfun.Engine.Repl.Protocol;
using Memfun.Engine.Rlm.Traces;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Memfun.Engine.Repl;

/// <summary>
/// A persistent C# REPL backed by a child process: runs steps with a time and memory limit, restarts
/// the process after a kill (re-defining types and methods), and replaces it past a step or heap
/// threshold, carrying serializable variables over, so compiled submissions do not pile up.
/// </summary>
/// <remarks>
/// Steps are serialized. Tool calls from the script go to <see cref="IReplToolHost"/>; llm_query calls to
/// the chat client. Every step is recorded in <see cref="Trace"/>. Dispose to kill the process and delete
/// its working directory.
/// </remarks>
internal sealed partial class ReplSession : IAsyncDisposable
{
    private readonly ReplOptions _options;
    private readonly IReplToolHost _tools;
    private readonly ReplLauncher _launcher;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<(string Types, string Members)> _definitions = [];
    private readonly ConcurrentQueue<string> _stepCalls = new();
    private readonly string _workDir;
    private ReplHostProcess? _process;
    private Task? _recycle;
    private Task<ReplHostProcess>? _spare;
    private CancellationTokenSource? _spareStart;
    private string? _pendingNotice;
    private List<string> _knownNames = [];
    private int _stepsInProcess;
    private bool _disposed;

    public ReplSession(string id, ReplOptions options, IReplToolHost tools, IChatClient? chat, RlmTrace trace, ILogger logger)
    {
        Id = id;
        _options = options;
        _tools = tools;
        _logger = logger;
        _launcher = new ReplLauncher(options, tools.WorkspaceRoot);
        Trace = trace;
        Llm = new ReplLlmBridge(chat, options.LlmConcurrency);
        _workDir = ReplFolders.Create();
        Directory.CreateDirectory(_workDir);
    }

    public string Id { get; }

    public RlmTrace Trace { get; }

    public ReplLlmBridge Llm { get; }

    /// <summary>An opaque owner (the MCP session) allowed to use this REPL.</summary>
    public string? Owner { get; init; }

    public DateTimeOffset LastUsed { get; private set; } = DateTimeOffset.UtcNow;

    public string SandboxMode => _process?.SandboxMode ?? "not started";

    public int HostPid => _process?.ChildPid ?? 0;

    public int Restarts { get; private set; }

    public int Recycles { get; private set; }

    /// <summary>Managed heap of the host after the last step.</summary>
    public long LastHeapBytes { get; private set; }

    /// <summary>Submissions compiled in the current host process (a step that only names a variable compiles none).</summary>
    internal int HostSubmissions { get; private set; }

    /// <summary>Raised for each tool call a script makes: (tool, arguments).</summary>
    public event Action<string, JsonObject>? ToolCalled;

    /// <summary>Starts the host process (it compiles once before it is ready).</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _process ??= await StartProcessAsync(cancellationToken).ConfigureAwait(false);
            Trace.Sandbox = _process.SandboxMode;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs one step; state defined by earlier steps stays in scope.</summary>
    public async Task<ReplStepResult> ExecuteAsync(string code, CancellationToken cancellationToken = default, long modelTokens = 0)
    {
        ArgumentNullException.ThrowIfNull(code);
        await AwaitRecycleAsync().ConfigureAwait(false);

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            LastUsed = DateTimeOffset.UtcNow;
            var notice = new StringBuilder(_pendingNotice);
            _pendingNotice = null;
            if (_process is null || _process.HasExited)
            {
                notice.Append(await RestartAsync(cancellationToken).ConfigureAwait(false));
            }

            var process = _process!;
            _stepCalls.Clear();
            var tokensBefore = Llm.Tokens;
            var clock = Stopwatch.StartNew();
            var send = process.RequestAsync(new ReplMessage { Type = "exec", Code = code }, CancellationToken.None);
            var killedAs = await WatchAsync(process, send, clock, cancellationToken).ConfigureAwait(false);

            ReplMessage? reply = null;
            string? crash = null;
            try
            {
                reply = await send.WaitAsync(TimeSpan.FromSeconds(15), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ReplHostExitedException or TimeoutException)
            {
                crash = ex.Message;
                process.Kill();
            }

            ReplStepResult result;
            if (reply is not null && killedAs is null && reply.ErrorType != typeof(OutOfMemoryException).FullName)
            {
                _stepsInProcess++;
                LastHeapBytes = reply.HeapBytes;
                HostSubmissions = reply.Submissions;
                _knownNames = reply.Names ?? _knownNames;
                if (reply.Ok || reply.ErrorType != "compile")
                {
                    if (!string.IsNullOrWhiteSpace(reply.Definitions) || !string.IsNullOrWhiteSpace(reply.Members))
                    {
                        _definitions.Add((reply.Definitions ?? string.Empty, reply.Members ?? string.Empty));
                    }
                }

                result = new ReplStepResult
                {
                    Outcome = reply.Ok ? ReplStepOutcome.Ok : ReplStepOutcome.Error,
                    Output = OutputClip.Clip(reply.Output ?? string.Empty, _options.OutputLimitChars),
                    OutputCut = reply.OutputCut + Math.Max(0, (reply.Output?.Length ?? 0) - _options.OutputLimitChars),
                    Error = reply.Error,
                    Final = reply.Final,
                    Notice = notice.Length > 0 ? notice.ToString() : null,
                    Duration = clock.Elapsed,
                    ScriptDuration = TimeSpan.FromMilliseconds(reply.ScriptMs),
                    HostDuration = TimeSpan.FromMilliseconds(reply.HostMs),
                    Calls = [.. _stepCalls],
                    LlmTokens = Llm.Tokens - tokensBefore,
                };
            }
            else
            {
                var outcome = killedAs ?? Classify(crash, reply);
                await DropProcessAsync().ConfigureAwait(false);
                var lost = _knownNames.Count > 0 ? $" Variables lost with it: {string.Join(", ", _knownNames)}." : string.Empty;
                var why = outcome switch
                {
                    ReplStepOutcome.Timeout => $"The step ran longer than {_options.StepTimeLimit.TotalSeconds:0.#} s and was stopped (the REPL process was killed).",
                    ReplStepOutcome.OutOfMemory => $"The step went over the memory limit ({_options.MemoryLimitBytes / (1024 * 1024)} MiB) and was stopped (the REPL process was killed).",
                    ReplStepOutcome.Cancelled => "The step was cancelled (the REPL process was killed).",
                    _ when crash?.Contains("Stack overflow", StringComparison.OrdinalIgnoreCase) == true => "The REPL process crashed with a stack overflow (unbounded recursion?).",
                    _ => "The REPL process crashed: " + OutputClip.Clip(crash ?? "no reason given", 600),
                };
                result = new ReplStepResult
                {
                    Outcome = outcome,
                    Error = why + lost + " The next step starts a new process; types and methods defined earlier are defined again.",
                    Notice = notice.Length > 0 ? notice.ToString() : null,
                    Duration = clock.Elapsed,
                    Calls = [.. _stepCalls],
                    LlmTokens = Llm.Tokens - tokensBefore,
                };
                LogStepKilled(_logger, Id, outcome);
            }

            Record(code, result, modelTokens);
            if (_spare is null && _process is not null && !_disposed && _stepsInProcess >= Math.Max(1, _options.RecycleAfterSteps / 2))
            {
                // A host takes seconds to start and warm up its compiler: start the replacement halfway, while steps
                // still run, so a recycle waits only for the state to move across.
                var start = _spareStart = new CancellationTokenSource();
                _spare = Task.Run(() => StartProcessAsync(start.Token), CancellationToken.None);
            }

            if (_process is { } live && (_stepsInProcess >= _options.RecycleAfterSteps || LastHeapBytes >= _options.RecycleAboveHeapBytes
                || (_stepsInProcess >= 10 && live.ResidentBytes() >= _options.MemoryLimitBytes / 2)))
            {
                _recycle = Task.Run(() => RecycleAsync(CancellationToken.None), CancellationToken.None);
            }

            if (killedAs == ReplStepOutcome.Cancelled)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Summaries of the variables in scope (type, size, preview).</summary>
    public async Task<IReadOnlyList<ReplVariable>> GetVariablesAsync(CancellationToken cancellationToken = default)
    {
        await AwaitRecycleAsync().ConfigureAwait(false);

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            LastUsed = DateTimeOffset.UtcNow;
            if (_process is null || _process.HasExited)
            {
                return [];
            }

            var reply = await _process.RequestAsync(new ReplMessage { Type = "vars" }, cancellationToken)
                .WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            return reply.Vars ?? [];
        }
        catch (Exception ex) when (ex is ReplHostExitedException or TimeoutException)
        {
            return [];
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await AwaitRecycleAsync().ConfigureAwait(false);

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await DropProcessAsync().ConfigureAwait(false);
            try
            {
                Directory.Delete(_workDir, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Waits for a background process replacement; its failure is logged there and never fails a caller.</summary>
    private async Task AwaitRecycleAsync()
    {
        if (_recycle is { } recycle)
        {
            try
            {
                await recycle.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogRecycleFailed(_logger, Id, ex.Message);
            }
        }
    }

    private async Task<ReplStepOutcome?> WatchAsync(ReplHostProcess process, Task send, Stopwatch clock, CancellationToken cancellationToken)
    {
        var own = TimeSpan.Zero;
        var last = clock.Elapsed;
        while (!send.IsCompleted)
        {
            await Task.WhenAny(send, Task.Delay(50, cancellationToken)).ConfigureAwait(false);

            if (cancellationToken.IsCancellationRequested && !send.IsCompleted)
            {
                process.Kill();
                return ReplStepOutcome.Cancelled;
            }

            var now = clock.Elapsed;
            if (process.InFlightCalls == 0)
            {
                own += now - last;
            }

            last = now;
            if (send.IsCompleted)
            {
                break;
            }

            if (own > _options.StepTimeLimit)
            {
                process.Kill();
                return ReplStepOutcome.Timeout;
            }

            if (process.ResidentBytes() is { } rss && rss > _options.MemoryLimitBytes)
            {
                process.Kill();
                return ReplStepOutcome.OutOfMemory;
            }
        }

        return null;
    }

    private static ReplStepOutcome Classify(string? crash, ReplMessage? reply)
    {
        if (reply?.ErrorType == typeof(OutOfMemoryException).FullName
            || crash?.Contains("OutOfMemory", StringComparison.OrdinalIgnoreCase) == true)
        {
            return ReplStepOutcome.OutOfMemory;
        }

        return ReplStepOutcome.Crashed;
    }

    private async Task<ReplHostProcess> StartProcessAsync(CancellationToken cancellationToken)
    {
        var process = await ReplHostProcess.StartAsync(_launcher, _workDir, OnCallAsync, cancellationToken).ConfigureAwait(false);
        LogStarted(_logger, Id, process.ChildPid, process.SandboxMode);
        return process;
    }

    private async Task<string> RestartAsync(CancellationToken cancellationToken)
    {
        var restarted = _process is not null;
        var spare = await TakeSpareAsync().ConfigureAwait(false);
        await DropProcessAsync().ConfigureAwait(false);
        _process = spare ?? await StartProcessAsync(cancellationToken).ConfigureAwait(false);
        Trace.Sandbox = _process.SandboxMode;
        _stepsInProcess = 0;
        if (!restarted && _definitions.Count == 0)
        {
            return string.Empty;
        }

        Restarts++;
        var failed = await ReplayAsync(_process, types: true, cancellationToken).ConfigureAwait(false);
        failed.AddRange(await ReplayAsync(_process, types: false, cancellationToken).ConfigureAwait(false));
        _knownNames = [];
        return $"A new REPL process was started; {_definitions.Count} defining step(s) re-run" +
            (failed.Count > 0 ? $" (failed: {string.Join("; ", failed)})" : string.Empty) + ". Variables from before are gone. ";
    }

    private async Task<List<string>> ReplayAsync(ReplHostProcess process, bool types, CancellationToken cancellationToken)
    {
        var failed = new List<string>();
        foreach (var (t, m) in _definitions)
        {
            var code = types ? t : m;
            if (string.IsNullOrWhiteSpace(code))
            {
                continue;
            }

            var reply = await process.RequestAsync(new ReplMessage { Type = "exec", Code = code }, cancellationToken)
                .WaitAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            if (!reply.Ok)
            {
                failed.Add(OutputClip.Clip(code.Split('\n')[0], 80) + ": " + OutputClip.Clip(reply.Error ?? "failed", 200));
            }
        }

        return failed;
    }

    private async Task RecycleAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var old = _process;
            if (_disposed || old is null || old.HasExited)
            {
                return;
            }

            var steps = _stepsInProcess;
            var heap = LastHeapBytes;
            ReplMessage snapshot;
            try
            {
                snapshot = await old.RequestAsync(new ReplMessage { Type = "snapshot" }, cancellationToken)
                    .WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or ReplHostExitedException)
            {
                _stepsInProcess = 0;
                return;
            }

            var fresh = await TakeSpareAsync().ConfigureAwait(false) ?? await StartProcessAsync(cancellationToken).ConfigureAwait(false);
            List<string> failed;
            ReplMessage restored;
            try
            {
                failed = await ReplayAsync(fresh, types: true, cancellationToken).ConfigureAwait(false);
                restored = await fresh.RequestAsync(new ReplMessage { Type = "restore", Snapshot = snapshot.Snapshot ?? [] }, cancellationToken)
                    .WaitAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
                failed.AddRange(await ReplayAsync(fresh, types: false, cancellationToken).ConfigureAwait(false));
            }
            catch
            {
                // Keep the old process (and its state) when the new one cannot take over.
                await fresh.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            _process = fresh;
            _stepsInProcess = 0;
            Recycles++;
            _ = old.DisposeAsync().AsTask();

            var notCarried = (snapshot.Problems ?? []).Concat(restored.Problems ?? []).ToList();
            var carried = (snapshot.Snapshot?.Count ?? 0) - (restored.Problems?.Count ?? 0);
            _pendingNotice = string.Create(CultureInfo.InvariantCulture,
                $"The REPL process was replaced after {steps} steps ({heap / (1024 * 1024)} MiB heap) to keep memory bounded: {carried} variable(s) carried over") +
                (notCarried.Count > 0 ? $"; not carried over: {string.Join("; ", notCarried)}" : string.Empty) +
                (failed.Count > 0 ? $"; definitions that failed: {string.Join("; ", failed)}" : string.Empty) + ". ";
            LogRecycled(_logger, Id, steps, carried, notCarried.Count);
        }
        catch (Exception ex) when (ex is ReplException or ReplHostExitedException or TimeoutException)
        {
            _stepsInProcess = 0;
            LogRecycleFailed(_logger, Id, ex.Message);
        }
        finally
        {
            _recycle = null;
            _gate.Release();
        }
    }

    private async Task DropProcessAsync()
    {
        if (_process is { } p)
        {
            _process = null;
            await p.DisposeAsync().ConfigureAwait(false);
        }

        // A replacement still starting is abandoned, not waited for.
        if (_spareStart is { } start)
        {
            await start.CancelAsync().ConfigureAwait(false);
        }

        if (await TakeSpareAsync().ConfigureAwait(false) is { } spare)
        {
            await spare.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The replacement host started ahead of a recycle, if there is one and it started; null otherwise.</summary>
    private async Task<ReplHostProcess?> TakeSpareAsync()
    {
        if (Interlocked.Exchange(ref _spare, null) is not { } spare)
        {
            return null;
        }

        using var start = Interlocked.Exchange(ref _spareStart, null);

        try
        {
            var process = await spare.ConfigureAwait(false);
            if (!process.HasExited)
            {
                return process;
            }

            await process.DisposeAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRecycleFailed(_logger, Id, ex.Message);
        }

        return null;
    }

    private async Task<JsonNode?> OnCallAsync(string tool, JsonObject args, CancellationToken cancellationToken)
    {
        var key = tool switch
        {
            "read_file" or "write_file" or "edit_file" or "list_files" or "code_map" => $"{tool} {(string?)args["path"]}",
            "search" => $"search {(string?)args["pattern"]}",
            "run_cmd" => $"run_cmd {OutputClip.Clip((string?)args["command"] ?? string.Empty, 80)}",
            "llm_query_batched" => $"llm_query_batched x{(args["queries"] as JsonArray)?.Count ?? 0}",
            _ => tool,
        };
        _stepCalls.Enqueue(key);
        ToolCalled?.Invoke(tool, args);
        return tool switch
        {
            "llm_query" => await Llm.QueryAsync(args, cancellationToken).ConfigureAwait(false),
            "llm_query_batched" => await Llm.QueryBatchedAsync(args, cancellationToken).ConfigureAwait(false),
            _ => await _tools.InvokeAsync(tool, args, cancellationToken).ConfigureAwait(false),
        };
    }

    private void Record(string code, ReplStepResult result, long modelTokens)
    {
        var output = result.Output;
        Trace.Add(new RlmTraceStep
        {
            Index = Trace.StepCount + 1,
            At = DateTimeOffset.UtcNow,
            Code = OutputClip.Clip(code, 4000),
            Outcome = result.Outcome.ToString(),
            OutputSummary = OutputClip.Clip(output, 600),
            OutputChars = output.Length + result.OutputCut,
            Error = result.Error is null ? null : OutputClip.Clip(result.Error, 600),
            Notice = result.Notice,
            DurationMs = result.Duration.TotalMilliseconds,
            Tokens = result.LlmTokens + modelTokens,
            Calls = result.Calls,
        });
    }

    [LoggerMessage(EventId = 2601, Level = LogLevel.Debug, Message = "REPL {Session}: host process {Pid} started ({Sandbox})")]
    private static partial void LogStarted(ILogger logger, string session, int pid, string sandbox);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Information, Message = "REPL {Session}: step stopped ({Outcome})")]
    private static partial void LogStepKilled(ILogger logger, string session, ReplStepOutcome outcome);

    [LoggerMessage(EventId = 2603, Level = LogLevel.Debug, Message = "REPL {Session}: process replaced after {Steps} steps; {Carried} variables carried over, {Lost} not")]
    private static partial void LogRecycled(ILogger logger, string session, int steps, int carried, int lost);

    [LoggerMessage(EventId = 2604, Level = LogLevel.Warning, Message = "REPL {Session}: replacing the process failed: {Reason}")]
    private static partial void LogRecycleFailed(ILogger logger, string session, string reason);
}
