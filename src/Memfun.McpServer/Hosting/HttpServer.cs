using Microsoft.AspNetCore.Builder;
using ModelContextProtocol.AspNetCore;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Memfun.McpServer.Hosting;

/// <summary>Runs the MCP server over Streamable HTTP at <c>/mcp</c>.</summary>
internal static class HttpServer
{
    /// <summary>Checks the bind addresses; returns an error message or null when they are acceptable.</summary>
    public static string? ValidateBinding(ServerSettings settings, out List<Uri> urls)
    {
        urls = [];
        foreach (var part in settings.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Kestrel's wildcard forms are not valid URIs; treat them as non-loopback.
            var normalized = part.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                return $"'{part}' is not a valid listen URL. Use the form http://127.0.0.1:8080.";
            }

            urls.Add(uri);
        }

        if (urls.Count == 0)
        {
            return "No listen URL was given. Use --urls http://127.0.0.1:8080.";
        }

        var exposed = urls.Where(u => !HttpAccessGuard.IsLoopbackHost(u.Host)).ToList();
        if (exposed.Count > 0 && string.IsNullOrEmpty(settings.Token))
        {
            return $"Refusing to listen on the non-loopback address {exposed[0].Host} without a bearer token: anyone who can reach it could run commands in your workspace. " +
                   "Set MEMFUN_HTTP_TOKEN (or pass --token) to require 'Authorization: Bearer <token>', or bind 127.0.0.1.";
        }

        return null;
    }

    public static async Task<int> RunAsync(ServerSettings settings, CancellationToken cancellationToken)
    {
        if (ValidateBinding(settings, out var urls) is { } error)
        {
            await Console.Error.WriteLineAsync($"memfun: {error}");
            return 2;
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = settings.Workspace,
            Args = [],
        });
        builder.WebHost.UseUrls([.. urls.Select(u => u.GetLeftPart(UriPartial.Authority))]);
        builder.Logging.ClearProviders();
        // Sessions for initialize-handshake clients (sampling, roots, elicitation need them); the stateless
        // 2026-07-28 protocol for clients that speak it, on the same endpoint, chosen per request.
        builder.Services.AddMemfunServer(settings)
            .WithMemfunTransportFeatures(settings)
            .WithHttpTransport(o => o.SessionMode = HttpServerSessionMode.StatefulForInitializeClients);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));

        var allowed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var u in urls)
        {
            var host = u.Host.Trim('[', ']');
            if (HttpAccessGuard.IsLoopbackHost(host))
            {
                allowed.UnionWith(["localhost", "127.0.0.1", "::1"]);
                allowed.Add(host);
            }
            else if (host != "0.0.0.0" && host != "::")
            {
                allowed.Add(host);
            }
        }

        allowed.UnionWith(settings.AllowedHosts);
        if (urls.Any(u => u.Host is "0.0.0.0" or "[::]") && settings.AllowedHosts.Count == 0)
        {
            // A wildcard bind with a token: the token is the guard; accept any Host header.
            allowed.Clear();
        }

        await using var app = builder.Build();
        var guardHosts = allowed.Count == 0 ? (IReadOnlySet<string>)new AnyHost() : allowed;
        app.UseMiddleware<HttpAccessGuard>(settings, guardHosts);
        app.MapMcp("/mcp");

        // Over HTTP, start-up is not what a host waits on each time (stdio's is): the tools are built before
        // listening, so no request ever pays for them.
        (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ModelContextProtocol.Server.McpServerOptions>>().Value.ToolCollection as LazyToolCollection)?.Materialize();
        await app.StartAsync(cancellationToken);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("memfun");
        foreach (var address in app.Urls)
        {
            await Console.Error.WriteLineAsync($"memfun: serving MCP over Streamable HTTP at {address.TrimEnd('/')}/mcp (workspace {settings.Workspace})");
        }

        logger.LogDebug("HTTP server started");
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    /// <summary>A set that contains every host: used when the bearer token alone guards a wildcard bind.</summary>
    private sealed class AnyHost : HashSet<string>, IReadOnlySet<string>
    {
        bool IReadOnlySet<string>.Contains(string item) => true;
    }
}
