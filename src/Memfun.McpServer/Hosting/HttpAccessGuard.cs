using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Memfun.McpServer.Hosting;

/// <summary>
/// Guards the HTTP endpoint: DNS-rebinding protection (the Host header must name the bound address,
/// an Origin header must be a loopback origin or an allowed host) and, when a token is configured,
/// a bearer token on every request.
/// </summary>
/// <remarks>
/// Rejected requests get 403 (bad Host/Origin) or 401 (missing/wrong token) with a JSON-RPC error body,
/// before any MCP processing.
/// </remarks>
internal sealed class HttpAccessGuard(RequestDelegate next, ServerSettings settings, IReadOnlySet<string> allowedHosts)
{
    private readonly byte[]? _token = settings.Token is { Length: > 0 } t ? Encoding.UTF8.GetBytes(t) : null;

    public async Task InvokeAsync(HttpContext context)
    {
        var host = context.Request.Host;
        if (!host.HasValue || !allowedHosts.Contains(HostName(host.Host)))
        {
            await RejectAsync(context, StatusCodes.Status403Forbidden, $"Host header '{host}' is not allowed: this server only answers requests addressed to {string.Join(", ", allowedHosts)}.");
            return;
        }

        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsAllowedOrigin(origin))
        {
            await RejectAsync(context, StatusCodes.Status403Forbidden, $"Origin '{origin}' is not allowed.");
            return;
        }

        if (_token is not null && !HasToken(context.Request))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await RejectAsync(context, StatusCodes.Status401Unauthorized, "A bearer token is required: send 'Authorization: Bearer <token>'.");
            return;
        }

        await next(context);
    }

    private bool IsAllowedOrigin(string origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return false;
        }

        return allowedHosts.Contains(HostName(uri.Host));
    }

    private bool HasToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var given = Encoding.UTF8.GetBytes(header[prefix.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(given, _token);
    }

    private static string HostName(string host) => host.Trim('[', ']').ToLowerInvariant();

    private static Task RejectAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = System.Text.Json.JsonSerializer.Serialize(new
        {
            jsonrpc = "2.0",
            id = (object?)null,
            error = new { code = -32000, message },
        });
        return context.Response.WriteAsync(body);
    }

    /// <summary>True for 127.0.0.0/8, ::1 and "localhost".</summary>
    public static bool IsLoopbackHost(string host)
    {
        var h = HostName(host);
        if (h == "localhost")
        {
            return true;
        }

        return IPAddress.TryParse(h, out var ip) && IPAddress.IsLoopback(ip);
    }
}
