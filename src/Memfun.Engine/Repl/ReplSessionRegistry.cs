using System.Collections.Concurrent;
using Memfun.Engine.Rlm.Traces;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Memfun.Engine.Repl;

/// <summary>
/// The REPL sessions of this server: started by repl_start (owned by one MCP session) or by rlm_run
/// (owned by the run). Stops idle sessions, and every session when the server stops.
/// </summary>
/// <remarks>Thread-safe. A session can only be used by the owner that started it.</remarks>
internal sealed partial class ReplSessionRegistry : IAsyncDisposable, IDisposable
{
    private readonly ConcurrentDictionary<string, ReplSession> _sessions = new(StringComparer.Ordinal);
    private readonly ReplOptions _options;
    private readonly IReplToolHost _tools;
    private readonly RlmTraceStore _traces;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly Timer _reaper;
    private int _starting;
    private int _disposed;

    public ReplSessionRegistry(IOptions<ReplOptions> options, IReplToolHost tools, RlmTraceStore traces, ILoggerFactory loggers)
    {
        _options = options.Value;
        _tools = tools;
        _traces = traces;
        _loggers = loggers;
        _logger = loggers.CreateLogger<ReplSessionRegistry>();
        _reaper = new Timer(_ => _ = ReapAsync(), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        // Folders left by servers that were killed before they could clean up (their hosts normally remove them).
        _ = Task.Run(() =>
        {
            var swept = ReplFolders.SweepStale();
            if (swept > 0)
            {
                LogSwept(_logger, swept);
            }
        });
    }

    public ReplOptions Options => _options;

    public int Count => _sessions.Count;

    /// <summary>Creates a session (not yet started) that the caller owns and disposes; its trace is kept.</summary>
    public ReplSession Create(IChatClient? chat, string kind, string? task, string? owner = null)
    {
        var trace = _traces.Create(kind, task, owner: owner);
        return new ReplSession(trace.Id, _options, _tools, chat, trace, _loggers.CreateLogger<ReplSession>()) { Owner = owner };
    }

    /// <summary>Starts a session kept by the registry for <paramref name="owner"/>.</summary>
    /// <exception cref="ReplException">As many sessions as <see cref="ReplOptions.MaxSessions"/> already run.</exception>
    public async Task<ReplSession> StartAsync(string owner, IChatClient? chat, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Increment(ref _starting) + _sessions.Count > Math.Max(1, _options.MaxSessions))
        {
            Interlocked.Decrement(ref _starting);
            throw new ReplException($"No REPL session can start: {_options.MaxSessions} already run on this server (the limit, [rlm] max_sessions). " +
                "Stop one you no longer need with repl_stop; idle sessions stop by themselves after " +
                $"{_options.IdleTimeout.TotalMinutes:0} minutes.");
        }

        try
        {
            var session = Create(chat, "repl", null, owner);
            try
            {
                await session.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await session.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            _sessions[session.Id] = session;
            return session;
        }
        finally
        {
            Interlocked.Decrement(ref _starting);
        }
    }

    /// <summary>The session <paramref name="id"/> of <paramref name="owner"/>.</summary>
    /// <exception cref="ReplException">No such session for this owner.</exception>
    public ReplSession Get(string id, string owner)
    {
        if (_sessions.TryGetValue(id ?? string.Empty, out var s) && s.Owner == owner)
        {
            return s;
        }

        throw new ReplException($"There is no REPL session '{id}' in this MCP session (it was stopped, timed out after {_options.IdleTimeout.TotalMinutes:0} idle minutes, or belongs to another client). Start one with repl_start.");
    }

    /// <summary>Stops and forgets a session.</summary>
    public async Task StopAsync(string id, string owner)
    {
        var s = Get(id, owner);
        if (_sessions.TryRemove(s.Id, out _))
        {
            await s.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops every session of <paramref name="owner"/> (its MCP session ended).</summary>
    public async Task StopOwnerAsync(string owner)
    {
        foreach (var s in _sessions.Values.Where(s => s.Owner == owner).ToList())
        {
            if (_sessions.TryRemove(s.Id, out _))
            {
                await s.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _reaper.DisposeAsync().ConfigureAwait(false);
        var all = _sessions.Values.ToList();
        _sessions.Clear();
        await Task.WhenAll(all.Select(s => s.DisposeAsync().AsTask())).ConfigureAwait(false);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task ReapAsync()
    {
        var cutoff = DateTimeOffset.UtcNow - _options.IdleTimeout;
        foreach (var s in _sessions.Values.Where(s => s.LastUsed < cutoff).ToList())
        {
            if (_sessions.TryRemove(s.Id, out _))
            {
                LogReaped(_logger, s.Id);
                await s.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 2611, Level = LogLevel.Information, Message = "Removed {Count} REPL folder(s) left by servers that no longer run")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(EventId = 2610, Level = LogLevel.Information, Message = "REPL {Session} stopped after being idle")]
    private static partial void LogReaped(ILogger logger, string session);
}
