using Memfun.Tools.CodeMap;
using Memfun.Tools.Workspace;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Memfun.Tools.Search;

/// <summary>Registers listing, content search and the code map.</summary>
public static class SearchServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="WorkspaceWalker"/>, <see cref="WorkspaceFileLister"/>, <see cref="WorkspaceSearcher"/>
    /// and <see cref="CodeMapService"/> as singletons (they keep caches across calls).
    /// </summary>
    public static IServiceCollection AddMemfunSearch(this IServiceCollection services, Action<SearchOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SearchOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddOptions<CodeMapOptions>();
        services.TryAddSingleton<WorkspaceWalker>();
        services.TryAddSingleton<WorkspaceFileLister>();
        services.TryAddSingleton<WorkspaceSearcher>();
        services.TryAddSingleton<CodeMapService>();
        return services;
    }
}
