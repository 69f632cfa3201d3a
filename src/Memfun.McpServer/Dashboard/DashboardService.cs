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
    Memfun.Engine.Workflow.WorkflowRegistry workflows,
    ILogger<DashboardService> logger) : IHostedService, IAsyncDisposable
{
    private readonly Channel<DashboardEvent> _outbox = Channel.CreateBounded<DashboardEvent>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<string?> _url = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DashboardServer? _server;
    private DashboardLock? _lock;
    private Task? _run;
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

    /// <summary>Forwards queued events to the owner; returns true when the owner has gone away.</summary>
    private async Task<bool> ForwardAsync(HttpClient http, DashboardLock owner, CancellationToken cancellationToken)
    {
        var endpoint = new Uri($"http://127.0.0.1:{owner.Port}/api/events");
        var batch = new List<DashboardEvent>();
        try
        {
            while (await _outbox.Reader.WaitToReadAsync(cancellationToken))
            {
                while (batch.Count < 500 && _outbox.Reader.TryRead(out var e))
                {
                    batch.Add(e);
                }

                using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = JsonContent.Create(batch) };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", owner.Token);
                try
                {
                    using var response = await http.SendAsync(request, cancellationToken);
                    batch.Clear();
                }
                catch (HttpRequestException)
                {
                    if (!owner.IsAlive())
                    {
                        foreach (var e in batch)
                        {
                            _outbox.Writer.TryWrite(e);
                        }

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

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "No free port for the dashboard between {Start} and {End}; continuing without it.")]
    private static partial void LogNoPort(ILogger logger, int start, int end);
}
