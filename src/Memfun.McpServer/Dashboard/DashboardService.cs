using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Threading.Channels;
using Memfun.McpServer.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Memfun.McpServer.Dashboard;

/// <summary>
/// Starts or joins the project's dashboard in the background: the first process of a workspace serves it and
/// writes the lock; later ones forward their events to it over HTTP with the lock's token. A stale lock
/// (dead pid) is taken over. Start-up of the MCP server never waits for it.
/// </summary>
internal sealed partial class DashboardService(
    DashboardHub hub,
    ServerSettings settings,
    IOptions<DashboardOptions> options,
    Memfun.Engine.Orchestration.WorkflowRegistry workflows,
    IServiceProvider services,
    ILogger<DashboardService> logger) : IHostedService, IAsyncDisposable
{
    private readonly Channel<DashboardEvent> _outbox = Channel.CreateBounded<DashboardEvent>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<string?> _url = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DashboardServer? _server;
    private DashboardLock? _lock;
    private Task? _run;
    /// <summary>How long a forwarding process gathers events before it sends them to the owner in one request.</summary>
    internal static readonly TimeSpan ForwardInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>How long after start-up the dashboard is started or joined.</summary>
    internal static readonly TimeSpan StartDelay = TimeSpan.FromSeconds(1.5);

    private readonly string _source = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>The dashboard's URL once known (served here or elsewhere); null when disabled or unavailable.</summary>
    public Task<string?> Url => _url.Task;

    /// <summary>Publishes an event: shown locally when this process serves the dashboard, forwarded otherwise.</summary>
    public void Publish(DashboardEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (!options.Value.Enabled)
        {
            return;
        }

        var stamped = e with { Source = e.Source ?? _source };
        if (_server is not null)
        {
            hub.Publish(stamped);
        }
        else
        {
            _outbox.Writer.TryWrite(stamped);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        workflows.EventRecorded += e => Publish(new DashboardEvent
        {
            Type = e.Type,
            WorkflowId = e.WorkflowId,
            TaskId = e.TaskId,
            Agent = e.Agent,
            Detail = e.Detail,
            At = e.At,
        });
        if (!options.Value.Enabled)
        {
            _url.TrySetResult(null);
            return Task.CompletedTask;
        }

        _run = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync();
        if (_run is not null)
        {
            try
            {
                await _run.WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
            {
            }
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
            _lock?.Release(settings.Workspace);
            _server = null;
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        // Start-up is what a host waits on: the dashboard comes up once the session has had its first moments.
        try
        {
            await Task.Delay(StartDelay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        while (!cancellationToken.IsCancellationRequested)
        {
            var existing = DashboardLock.Read(settings.Workspace);
            if (existing is not null && existing.Pid != Environment.ProcessId && existing.IsAlive())
            {
                _url.TrySetResult($"http://127.0.0.1:{existing.Port}/");
                var ownerGone = await ForwardAsync(http, existing, cancellationToken);
                if (!ownerGone)
                {
                    return;
                }

                continue; // The owner died: try to take over.
            }

            if (await TryServeAsync(cancellationToken))
            {
                return;
            }

            _url.TrySetResult(null);
            return;
        }
    }

    private async Task<bool> TryServeAsync(CancellationToken cancellationToken)
    {
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        for (var port = options.Value.PortStart; port <= options.Value.PortEnd; port++)
        {
            var server = new DashboardServer(hub, port, token);
            try
            {
                await server.StartAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Net.Sockets.SocketException)
            {
                await server.DisposeAsync();
                continue;
            }

            _server = server;
            _lock = new DashboardLock(port, Environment.ProcessId, token);
            _lock.Write(settings.Workspace);
            var url = $"http://127.0.0.1:{port}/";
            _url.TrySetResult(url);
            LogServing(logger, url);
            _ = Task.Run(() => RefreshMemoryAsync(cancellationToken), CancellationToken.None);
            _ = Task.Run(() => FollowRuntimeAsync(cancellationToken), CancellationToken.None);
            while (_outbox.Reader.TryRead(out var pending))
            {
                hub.Publish(pending);
            }

            if (options.Value.Open)
            {
                OpenBrowser(url);
            }

            return true;
        }

        LogNoPort(logger, options.Value.PortStart, options.Value.PortEnd);
        return false;
    }

    /// <summary>Forwards queued events to the owner; returns true when the owner has gone away or another process owns the dashboard now (the caller reads the lock again).</summary>
    private async Task<bool> ForwardAsync(HttpClient http, DashboardLock owner, CancellationToken cancellationToken)
    {
        var endpoint = new Uri($"http://127.0.0.1:{owner.Port}/api/events");
        var batch = new List<DashboardEvent>();
        try
        {
            while (await _outbox.Reader.WaitToReadAsync(cancellationToken))
            {
                // Events that come close together go in one request: a host calling tools in a quick loop would
                // otherwise cost an HTTP request here and in the owner for every call, on the cores its calls need.
                await Task.Delay(ForwardInterval, cancellationToken);
                while (batch.Count < 500 && _outbox.Reader.TryRead(out var e))
                {
                    batch.Add(e);
                }

                using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = JsonContent.Create(batch) };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", owner.Token);
                try
                {
                    using var response = await http.SendAsync(request, cancellationToken);

                    // Refused: the owner died and a new one took its port with another token. Keep the batch for the
                    // owner the lock names now (or for this process, if none does).
                    if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden && DashboardLock.Read(settings.Workspace) != owner)
                    {
                        Requeue(batch);
                        return true;
                    }

                    batch.Clear();
                }
                catch (HttpRequestException)
                {
                    if (!owner.IsAlive())
                    {
                        Requeue(batch);
                        return true;
                    }

                    batch.Clear();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return false;
    }

    private void Requeue(List<DashboardEvent> batch)
    {
        foreach (var e in batch)
        {
            _outbox.Writer.TryWrite(e);
        }
    }

    /// <summary>Publishes the most recent memory entries (after a remember/forget, and when the dashboard starts).</summary>
    public async Task RefreshMemoryAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled || services.GetService(typeof(Memfun.Engine.Memory.MemoryService)) is not Memfun.Engine.Memory.MemoryService memory)
        {
            return;
        }

        try
        {
            var page = await memory.ListAsync(limit: 200, cancellationToken: cancellationToken);
            var recent = page.Items.OrderByDescending(m => m.CreatedAt).Take(50)
                .Select(m => $"{m.Id} · {m.Scope.ToString().ToLowerInvariant()} · {m.Text}")
                .ToList();
            Publish(new DashboardEvent { Type = "memory.updated", Entries = recent, Detail = Memfun.Tools.Plural.Of(page.Total, "entry", "entries") });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogMemoryUnavailable(logger, ex.Message);
        }
    }

    /// <summary>
    /// Follows the runtime's event bus (<c>worker.*</c>, <c>task.&gt;</c>) so `memfun worker` processes show on the page.
    /// Only when this process serves the dashboard and a runtime is there to follow (a configured Redis/NATS tier, or
    /// the SQLite file already created): nothing is opened at start-up otherwise.
    /// </summary>
    private async Task FollowRuntimeAsync(CancellationToken cancellationToken)
    {
        var runtimeOptions = new Memfun.Engine.Runtime.RuntimeOptions { Workspace = settings.Workspace };
        try
        {
            if (settings.Configuration is { } config)
            {
                runtimeOptions.Bind(config.GetSection("backend"));
            }

            if (runtimeOptions.Tier == Memfun.Engine.Runtime.RuntimeTier.InProcess ||
                (runtimeOptions.Tier == Memfun.Engine.Runtime.RuntimeTier.Sqlite && !File.Exists(Path.Combine(settings.Workspace, runtimeOptions.SqlitePath))))
            {
                return;
            }

            await using var runtime = await Memfun.Engine.Runtime.RuntimeBackendFactory.OpenAsync(runtimeOptions, cancellationToken);
            await using var workers = await runtime.EventBus.SubscribeAsync("worker.*", cancellationToken: cancellationToken);
            await using var tasks = await runtime.EventBus.SubscribeAsync("task.>", cancellationToken: cancellationToken);
            await Task.WhenAll(PumpAsync(workers, cancellationToken), PumpAsync(tasks, cancellationToken));
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            LogRuntimeUnavailable(logger, ex.Message);
        }
    }

    private async Task PumpAsync(Memfun.Engine.Runtime.Abstractions.IRuntimeSubscription<Memfun.Engine.Runtime.Abstractions.BusEvent> subscription, CancellationToken cancellationToken)
    {
        await foreach (var e in subscription.ReadAllAsync(cancellationToken))
        {
            Publish(FromBus(e));
        }
    }

    /// <summary>A runtime bus event as the page shows it: <c>worker.online</c>, <c>task.{kind}.started</c>… with the worker and task id.</summary>
    internal static DashboardEvent FromBus(Memfun.Engine.Runtime.Abstractions.BusEvent e)
    {
        string? worker = null, id = null, detail = null;
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(e.Data);
            var root = doc.RootElement;
            if (root.ValueKind == System.Text.Json.JsonValueKind.Object)
            {
                worker = root.TryGetProperty("worker", out var w) ? w.ToString() : null;
                id = root.TryGetProperty("id", out var i) ? i.ToString() : null;
                detail = root.TryGetProperty("error", out var err) ? err.ToString()
                    : root.TryGetProperty("kinds", out var k) ? k.ToString()
                    : root.TryGetProperty("attempt", out var a) ? $"attempt {a}" : null;
            }
        }
        catch (System.Text.Json.JsonException)
        {
            detail = "unreadable payload";
        }

        var parts = e.Topic.Split('.');
        return new DashboardEvent
        {
            Type = parts[0] == "task" && parts.Length >= 3 ? $"worker.task.{parts[^1]}" : e.Topic,
            TaskId = id,
            Agent = parts[0] == "task" && parts.Length >= 3 ? string.Join('.', parts[1..^1]) : null,
            Detail = detail is null ? null : detail.Length > 200 ? detail[..200] : detail,
            Summary = worker,
            At = e.Timestamp,
        };
    }

    private static void OpenBrowser(string url)
    {
        try
        {
            using var _ = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("xdg-open", url) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true });
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Registered both as itself and as a hosted service: the container may dispose it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync(CancellationToken.None);
        _stop.Dispose();
    }

    private int _disposed;

    [LoggerMessage(EventId = 3200, Level = LogLevel.Information, Message = "Dashboard at {Url}")]
    private static partial void LogServing(ILogger logger, string url);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Debug, Message = "Dashboard memory panel unavailable: {Reason}")]
    private static partial void LogMemoryUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Debug, Message = "Dashboard not following the runtime's events: {Reason}")]
    private static partial void LogRuntimeUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "No free port for the dashboard between {Start} and {End}; continuing without it.")]
    private static partial void LogNoPort(ILogger logger, int start, int end);
}
