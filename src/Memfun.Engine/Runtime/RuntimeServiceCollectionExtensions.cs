using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.Local;
using Memfun.Engine.Runtime.Logging;
using Memfun.Engine.Runtime.Stored;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Memfun.Engine.Runtime;

/// <summary>Registers the runtime's eight protocols on the configured tier.</summary>
public static class RuntimeServiceCollectionExtensions
{
    /// <summary>Registers the runtime from the <c>[backend]</c> configuration section.</summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The <c>backend</c> section (may be empty: SQLite under <paramref name="workspace"/>).</param>
    /// <param name="workspace">The workspace root (the SQLite file and the sandbox live under it).</param>
    public static IServiceCollection AddMemfunRuntime(this IServiceCollection services, IConfiguration section, string workspace)
    {
        ArgumentNullException.ThrowIfNull(section);
        return services.AddMemfunRuntime(o =>
        {
            o.Workspace = workspace;
            o.Bind(section);
        });
    }

    /// <summary>Registers the runtime with options set in code.</summary>
    /// <remarks>The tier is opened on first use of any protocol; an unreachable server then fails with a
    /// <see cref="RuntimeUnavailableException"/> naming its address.</remarks>
    public static IServiceCollection AddMemfunRuntime(this IServiceCollection services, Action<RuntimeOptions>? configure = null)
    {
        var options = new RuntimeOptions();
        configure?.Invoke(options);
        services.AddSingleton(options);
        services.AddSingleton(_ => RuntimeBackendFactory.OpenAsync(options).GetAwaiter().GetResult());
        services.AddSingleton(sp => sp.GetRequiredService<RuntimeBackend>().EventBus);
        services.AddSingleton(sp =>
        {
            var queue = sp.GetRequiredService<RuntimeBackend>().TaskQueue;
            return sp.GetService<ILoggerFactory>() is { } logs ? new LoggingTaskQueue(queue, logs.CreateLogger("Memfun.Runtime.Tasks")) : queue;
        });
        services.AddSingleton(sp => sp.GetRequiredService<RuntimeBackend>().StateStore(RuntimeAreas.State));
        services.AddSingleton<IAgentRegistry>(sp => new StoredAgentRegistry(sp.GetRequiredService<RuntimeBackend>().StateStore(RuntimeAreas.Agents)));
        services.AddSingleton<ISessionStore>(sp => new StoredSessionStore(sp.GetRequiredService<RuntimeBackend>().StateStore(RuntimeAreas.Sessions)));
        services.AddSingleton<IKnowledgeBase>(sp => new StoredKnowledgeBase(sp.GetRequiredService<RuntimeBackend>().StateStore(RuntimeAreas.Knowledge)));
        services.AddSingleton<IToolRegistry>(sp => new StoredToolRegistry(sp.GetRequiredService<RuntimeBackend>().StateStore(RuntimeAreas.Tools)));
        services.AddSingleton<ISandbox>(_ => new LocalProcessSandbox(options.Workspace));
        return services;
    }
}
