using Memfun.Engine.Repl;
using Memfun.Engine.Rlm.Loop;
using Memfun.Engine.Rlm.Traces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Memfun.Engine.Rlm;

/// <summary>Registers the RLM: REPL sessions, the loop, traces and the REPL's tool host.</summary>
public static class RlmServiceCollectionExtensions
{
    /// <summary>
    /// Adds the REPL session registry, <c>rlm_run</c>'s runner, the trace store and, unless one is already
    /// registered, the <see cref="IReplToolHost"/> over the real tool services. Needs AddMemfunTools; uses AddMemfunWeb and the runtime's session store when present.
    /// </summary>
    public static IServiceCollection AddMemfunRlm(this IServiceCollection services, Action<ReplOptions>? configureRepl = null, Action<RlmOptions>? configureRun = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var repl = services.AddOptions<ReplOptions>();
        if (configureRepl is not null)
        {
            repl.Configure(configureRepl);
        }

        var run = services.AddOptions<RlmOptions>();
        if (configureRun is not null)
        {
            run.Configure(configureRun);
        }

        services.TryAddSingleton<IReplToolHost, ToolsReplToolHost>();
        services.TryAddSingleton<RlmTraceStore>();
        services.TryAddSingleton<ReplSessionRegistry>();
        services.TryAddSingleton<RlmRunner>();
        services.AddHostedService<ReplShutdown>();
        return services;
    }
}
