using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Memfun.McpServer.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Memfun.McpServer.Dashboard;

/// <summary>
/// The dashboard's web server on 127.0.0.1: the page and its script (embedded), the state as JSON, a live
/// event stream (SSE), and the token-protected endpoint other processes forward events to.
/// </summary>
/// <remarks>Host and Origin must be loopback names (DNS-rebinding protection); the page is served with a strict CSP.</remarks>
internal sealed class DashboardServer(DashboardHub hub, int port, string token) : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private WebApplication? _app;

    public int Port => port;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = 2 * 1024 * 1024);
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            var host = context.Request.Host.Host;
            var origin = context.Request.Headers.Origin.ToString();
            if (!HttpAccessGuard.IsLoopbackHost(host) ||
                (origin.Length > 0 && !(Uri.TryCreate(origin, UriKind.Absolute, out var o) && HttpAccessGuard.IsLoopbackHost(o.Host))))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync("Forbidden: the dashboard only answers loopback hosts and origins.");
                return;
            }

            context.Response.Headers["X-Content-Type-Options"] = "nosniff";
            context.Response.Headers["Content-Security-Policy"] = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
            await next(context);
        });

        app.MapGet("/", () => Results.Content(Asset("index.html"), "text/html; charset=utf-8"));
        app.MapGet("/app.js", () => Results.Content(Asset("app.js"), "text/javascript; charset=utf-8"));
        app.MapGet("/api/state", () => Results.Json(hub.Snapshot(), Json));
        app.MapGet("/api/events", (Delegate)StreamAsync);
        app.MapPost("/api/events", (Delegate)ReceiveAsync);

        await app.StartAsync(cancellationToken);
        _app = app;
    }

    private async Task StreamAsync(HttpContext context)
    {
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var (reader, subscription) = hub.Subscribe();
        using (subscription)
        {
            await WriteAsync(context, "snapshot", hub.Snapshot());
            try
            {
                var ct = context.RequestAborted;
                while (await reader.WaitToReadAsync(ct))
                {
                    while (reader.TryRead(out var e))
                    {
                        await WriteAsync(context, "event", e);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private static async Task WriteAsync<T>(HttpContext context, string name, T data)
    {
        var payload = JsonSerializer.Serialize(data, Json);
        await context.Response.WriteAsync($"event: {name}\ndata: {payload}\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var expected = Encoding.UTF8.GetBytes("Bearer " + token);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header), expected))
        {
            return Results.Json(new { error = "A valid bearer token (from .memfun/dashboard.lock) is required to post events." }, Json, statusCode: StatusCodes.Status401Unauthorized);
        }

        List<DashboardEvent>? events;
        try
        {
            events = await JsonSerializer.DeserializeAsync<List<DashboardEvent>>(context.Request.Body, Json, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Results.Json(new { error = "The body must be a JSON array of events: " + ex.Message }, Json, statusCode: StatusCodes.Status400BadRequest);
        }

        foreach (var e in events ?? [])
        {
            if (!string.IsNullOrEmpty(e.Type))
            {
                hub.Publish(e);
            }
        }

        return Results.Ok(new { received = events?.Count ?? 0 });
    }

    private static string Asset(string name)
    {
        using var stream = typeof(DashboardServer).Assembly.GetManifestResourceStream("Memfun.McpServer.Dashboard.Assets." + name)
            ?? throw new InvalidOperationException($"The dashboard asset '{name}' is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(TimeSpan.FromSeconds(2));
            await _app.DisposeAsync();
            _app = null;
        }
    }
}
