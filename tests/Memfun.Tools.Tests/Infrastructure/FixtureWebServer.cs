using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Memfun.Tools.Tests.Infrastructure;

/// <summary>
/// A real HTTP server on 127.0.0.1 (a free port) for web tests: routes map a path to a handler that
/// writes the response. Counts hits per path and records whether a client hung up mid-body.
/// </summary>
public sealed class FixtureWebServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, Func<HttpListenerContext, Task>> _routes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <summary>Starts the server; <paramref name="anyHostName"/> accepts any Host header (binds every interface), for tests that reach it by a made-up name.</summary>
    public FixtureWebServer(bool anyHostName = false)
    {
        for (var attempt = 0; ; attempt++)
        {
            Port = FreePort();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add(anyHostName ? $"http://+:{Port}/" : $"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }

        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    public ConcurrentDictionary<string, int> Hits { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, bool> ClientAborted { get; } = new(StringComparer.Ordinal);

    public Uri Url(string path) => new(BaseUri, path.TrimStart('/'));

    public void Map(string path, Func<HttpListenerContext, Task> handler) => _routes[path] = handler;

    public void MapText(string path, string contentType, string body, int status = 200) =>
        Map(path, async ctx =>
        {
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = contentType;
            var bytes = System.Text.Encoding.UTF8.GetBytes(body);
            ctx.Response.ContentLength64 = bytes.Length;
            await ctx.Response.OutputStream.WriteAsync(bytes);
        });

    public void MapRedirect(string path, string location, int status = 302) =>
        Map(path, ctx =>
        {
            ctx.Response.StatusCode = status;
            ctx.Response.RedirectLocation = location;
            return Task.CompletedTask;
        });

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext ctx;
            try
            {
                ctx = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(ctx));
        }
    }

    private async Task HandleAsync(HttpListenerContext ctx)
    {
        var path = ctx.Request.Url!.AbsolutePath;
        Hits.AddOrUpdate(path, 1, (_, n) => n + 1);
        try
        {
            if (_routes.TryGetValue(path, out var handler))
            {
                await handler(ctx);
            }
            else
            {
                ctx.Response.StatusCode = 404;
            }

            ctx.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            ClientAborted[path] = true;
            try
            {
                ctx.Response.Abort();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }
}
