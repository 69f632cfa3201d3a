using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Memfun.Engine.Memory;

/// <summary>Registers <see cref="MemoryService"/> and <see cref="MemoryLearner"/>.</summary>
public static class MemoryServiceCollectionExtensions
{
    /// <summary>Adds memory (stores open lazily, on first use).</summary>
    public static IServiceCollection AddMemfunMemory(this IServiceCollection services, Action<MemoryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<MemoryOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton<MemoryService>();
        services.TryAddSingleton(sp => new MemoryLearner(
            sp.GetRequiredService<MemoryService>(),
            sp.GetService<Llm.IChatClientFactory>(),
            sp.GetService<Microsoft.Extensions.Logging.ILogger<MemoryLearner>>()));
        return services;
    }
}
