using Memfun.Tools.Files;
using Memfun.Tools.Git;
using Memfun.Tools.Shell;
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
        services.AddMemfunFileTools();
        Search.SearchServiceCollectionExtensions.AddMemfunSearch(services);
        return services;
    }

    /// <summary>
    /// Adds the file, shell and git services (read cache, reader, writer, editor, process runner,
    /// command runner, git client). Called by <see cref="AddMemfunTools"/>; safe to call twice.
    /// </summary>
    public static IServiceCollection AddMemfunFileTools(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ReadCache>();
        services.TryAddSingleton<FileReader>();
        services.TryAddSingleton<FileWriter>();
        services.TryAddSingleton<FileEditor>();
        services.TryAddSingleton<ProcessRunner>();
        services.TryAddSingleton<CommandRunner>();
        services.TryAddSingleton<GitClient>();
        return services;
    }
}
