using Memfun.Engine.Rlm;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.AspNetCore;

namespace Memfun.McpServer.Mcp;

/// <summary>Registers the RLM for the server: the engine's services, and REPL cleanup when an HTTP MCP session ends.</summary>
internal static class RlmServerRegistration
{
    /// <summary>
    /// Adds <see cref="RlmServiceCollectionExtensions.AddMemfunRlm"/> and wraps the HTTP transport's session
    /// runner so the REPL sessions an MCP session started are stopped when it ends (stdio: the server's
    /// shutdown stops them all).
    /// </summary>
    public static IServiceCollection AddMemfunRlmServer(this IServiceCollection services)
    {
        services.AddMemfunRlm();
        // RunSessionHandler is marked experimental (MCPEXP002); it is the SDK's one hook at the end of an
        // HTTP session. Should it change, the idle timeout (ReplOptions.IdleTimeout) still stops abandoned REPLs.
#pragma warning disable MCPEXP002
        services.PostConfigure<HttpServerTransportOptions>(options =>
        {
            var inner = options.RunSessionHandler;
            options.RunSessionHandler = async (context, server, cancellationToken) =>
            {
                var registry = server.Services?.GetService<ReplSessionRegistry>();
                try
                {
                    if (inner is not null)
                    {
                        await inner(context, server, cancellationToken);
                    }
                    else
                    {
                        await server.RunAsync(cancellationToken);
                    }
                }
                finally
                {
                    if (registry is not null && server.SessionId is { } id)
                    {
                        await registry.StopOwnerAsync(id);
                    }
                }
            };
        });
#pragma warning restore MCPEXP002
        return services;
    }
}
