using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Memfun.Engine.Tests.Runtime.Servers;

/// <summary>A loopback TCP proxy in front of a server that a test can make lose replies: once armed with a marker, the
/// first request whose bytes contain it is passed to the server, and everything the server sends back on that
/// connection is held for a while (longer than the client waits for a reply). The request is applied; its reply comes
/// too late. Nothing is dropped or reordered, so the protocol stream stays whole.</summary>
public sealed class ReplyHoldingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];
    private readonly Task _accepting;
    private string? _marker;
    private TimeSpan _holdFor;
    private TaskCompletionSource _fired = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts a proxy on a free loopback port to <c>127.0.0.1:<paramref name="targetPort"/></c>.</summary>
    public ReplyHoldingProxy(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    /// <summary>The port clients connect to.</summary>
    public int Port { get; }

    /// <summary>Arms the proxy: the next request containing <paramref name="marker"/> (ASCII) has the replies of its
    /// connection held for <paramref name="holdFor"/>. Returns a task that completes when that happened.</summary>
    public Task HoldReplyTo(string marker, TimeSpan holdFor)
    {
        lock (_pumps)
        {
            _fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _holdFor = holdFor;
            _marker = marker;
            return _fired.Task;
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var server = new TcpClient();
                try
                {
                    await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
                }
                catch (SocketException)
                {
                    client.Dispose();
                    server.Dispose();
                    continue;
                }

                var link = new Link(client, server);
                lock (_pumps)
                {
                    _pumps.Add(Task.Run(() => PumpRequestsAsync(link)));
                    _pumps.Add(Task.Run(() => PumpRepliesAsync(link)));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    private Task PumpRequestsAsync(Link link) => PumpAsync(link, link.Client, link.Server, requests: true);

    private Task PumpRepliesAsync(Link link) => PumpAsync(link, link.Server, link.Client, requests: false);

    /// <summary>Copies one direction: requests are checked for the marker (which sets the hold before they go out),
    /// replies wait out the hold.</summary>
    private async Task PumpAsync(Link link, TcpClient source, TcpClient destination, bool requests)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            var from = source.GetStream();
            var to = destination.GetStream();
            int n;
            while ((n = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                TaskCompletionSource? fired = null;
                if (requests)
                {
                    lock (_pumps)
                    {
                        if (_marker is { } m && Encoding.Latin1.GetString(buffer, 0, n).Contains(m, StringComparison.Ordinal))
                        {
                            _marker = null;
                            link.HoldUntil = DateTime.UtcNow + _holdFor;
                            fired = _fired;
                        }
                    }
                }
                else if (link.HoldUntil - DateTime.UtcNow is { Ticks: > 0 } wait)
                {
                    await Task.Delay(wait, _stop.Token);
                }

                await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
                fired?.TrySetResult();
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Either side went away.
        }
        finally
        {
            link.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] pumps;
        lock (_pumps)
        {
            pumps = [.. _pumps];
        }

        await Task.WhenAll(pumps);
        _stop.Dispose();
    }

    private sealed class Link(TcpClient client, TcpClient server) : IDisposable
    {
        public TcpClient Client { get; } = client;

        public TcpClient Server { get; } = server;

        public DateTime HoldUntil { get; set; }

        public void Dispose()
        {
            Client.Dispose();
            Server.Dispose();
        }
    }
}
