using Memfun.Tools.Workspace;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Memfun.Tools;

/// <summary>Registers the workspace tools (no LLM) in a service collection.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>Adds the workspace services: the path guard and every tool service of this project.</summary>
    public static IServiceCollection AddMemfunTools(this IServiceCollection services, Action<WorkspaceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<WorkspaceOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddSingleton<PathGuard>();
        Search.SearchServiceCollectionExtensions.AddMemfunSearch(services);
        return services;
    }
}
