using Memfun.Engine.Repl;
using Memfun.Engine.Rlm;
using Microsoft.Extensions.Configuration;
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
    /// <param name="services">The server's services.</param>
    /// <param name="rlm">memfun.toml's <c>[rlm]</c> section (snake_case keys); the launch command of the REPL host is never taken from it.</param>
    public static IServiceCollection AddMemfunRlmServer(this IServiceCollection services, IConfiguration? rlm = null)
    {
        services.AddMemfunRlm(
            repl =>
            {
                if (rlm is null)
                {
                    return;
                }

                // A workspace's config must not choose the program the server launches.
                var host = repl.HostCommand.ToList();
                rlm.Bind(repl);
                repl.HostCommand.Clear();
                foreach (var part in host)
                {
                    repl.HostCommand.Add(part);
                }
            },
            run => rlm?.Bind(run));
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
                        await registry.StopOwnerAsync(SessionKey.ForSession(id));
                    }
                }
            };
        });
#pragma warning restore MCPEXP002
        return services;
    }
}
