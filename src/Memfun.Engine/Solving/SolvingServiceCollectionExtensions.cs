using Memfun.Engine.Llm;
using Memfun.Tools;
using Memfun.Tools.CodeMap;
using Memfun.Tools.Files;
using Memfun.Tools.Search;
using Memfun.Tools.Shell;
using Memfun.Tools.Workspace;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Memfun.Engine.Solving;

/// <summary>Registers the context-first solver on the workspace tools (walker, search, code map, file rules, shell).</summary>
public static class SolvingServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ISolver"/> and the <see cref="QualityPipeline"/> it shares with code-producing agents, with <see cref="SolverOptions"/> from <paramref name="configuration"/> (the root:
    /// <c>[verify]</c>, <c>[solver]</c>) and the LLM layer (<c>[llm]</c>). The workspace adapters
    /// (<see cref="IWorkspaceReader"/>, <see cref="ICodeMapSource"/>, <see cref="IEditApplier"/>, <see cref="ICommandRunner"/>)
    /// are adapters over the workspace tools (<see cref="WorkspaceWalker"/>, <see cref="WorkspaceSearcher"/>,
    /// <see cref="CodeMapService"/>, <see cref="ProcessRunner"/>), which are added too when missing; all are added with
    /// TryAdd, so a registration made earlier wins.
    /// </summary>
    public static IServiceCollection AddMemfunSolver(this IServiceCollection services, IConfiguration? configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMemfunLlm(configuration?.GetSection("llm"));
        services.TryAddSingleton(_ => SolverOptions.FromConfiguration(configuration));
        services.TryAddSingleton<PathGuard>();
        services.AddMemfunFileTools();
        services.AddMemfunSearch();
        services.TryAddSingleton<IWorkspaceReader>(sp => new ToolsWorkspaceReader(sp.GetRequiredService<WorkspaceWalker>(), sp.GetRequiredService<WorkspaceSearcher>()));
        services.TryAddSingleton<ICodeMapSource>(sp => new ToolsCodeMapSource(sp.GetRequiredService<CodeMapService>()));
        services.TryAddSingleton<IEditApplier>(sp => new ToolsEditApplier(sp.GetRequiredService<PathGuard>(), sp.GetService<ReadCache>()));
        services.TryAddSingleton<ICommandRunner>(sp => new ToolsCommandRunner(sp.GetRequiredService<ProcessRunner>(), sp.GetRequiredService<PathGuard>()));
        services.TryAddSingleton<ISolver>(sp => new ContextFirstSolver(
            sp.GetRequiredService<IWorkspaceReader>(),
            sp.GetRequiredService<ICodeMapSource>(),
            sp.GetRequiredService<IEditApplier>(),
            sp.GetRequiredService<ICommandRunner>(),
            sp.GetRequiredService<SolverOptions>(),
            sp.GetRequiredService<LlmOptions>(),
            sp.GetService<ILogger<ContextFirstSolver>>() ?? NullLogger<ContextFirstSolver>.Instance));
        services.TryAddSingleton(sp => new QualityPipeline(
            sp.GetRequiredService<IWorkspaceReader>(),
            sp.GetRequiredService<IEditApplier>(),
            sp.GetRequiredService<ICommandRunner>(),
            sp.GetRequiredService<SolverOptions>(),
            sp.GetService<ILogger<QualityPipeline>>() ?? NullLogger<QualityPipeline>.Instance));
        return services;
    }
}
