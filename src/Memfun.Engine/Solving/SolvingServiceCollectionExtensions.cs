using Memfun.Engine.Llm;
using Memfun.Tools.Workspace;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Memfun.Engine.Solving;

/// <summary>Registers the context-first solver and the built-in workspace adapters it runs on.</summary>
public static class SolvingServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ISolver"/> with <see cref="SolverOptions"/> from <paramref name="configuration"/> (the root:
    /// <c>[verify]</c>, <c>[solver]</c>) and the LLM layer (<c>[llm]</c>). The workspace adapters
    /// (<see cref="IWorkspaceReader"/>, <see cref="ICodeMapSource"/>, <see cref="IEditApplier"/>, <see cref="ICommandRunner"/>)
    /// are added with TryAdd, so registrations made earlier (the real workspace tools) win.
    /// </summary>
    public static IServiceCollection AddMemfunSolver(this IServiceCollection services, IConfiguration? configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMemfunLlm(configuration?.GetSection("llm"));
        services.TryAddSingleton(_ => SolverOptions.FromConfiguration(configuration));
        services.TryAddSingleton<IWorkspaceReader>(sp => new GuardedWorkspaceReader(sp.GetRequiredService<PathGuard>()));
        services.TryAddSingleton<ICodeMapSource>(sp => new RegexCodeMap(sp.GetRequiredService<IWorkspaceReader>()));
        services.TryAddSingleton<IEditApplier>(sp => new GuardedEditApplier(sp.GetRequiredService<PathGuard>()));
        services.TryAddSingleton<ICommandRunner>(sp => new ShellCommandRunner(sp.GetRequiredService<PathGuard>()));
        services.TryAddSingleton<ISolver>(sp => new ContextFirstSolver(
            sp.GetRequiredService<IWorkspaceReader>(),
            sp.GetRequiredService<ICodeMapSource>(),
            sp.GetRequiredService<IEditApplier>(),
            sp.GetRequiredService<ICommandRunner>(),
            sp.GetRequiredService<SolverOptions>(),
            sp.GetRequiredService<LlmOptions>(),
            sp.GetService<ILogger<ContextFirstSolver>>() ?? NullLogger<ContextFirstSolver>.Instance));
        return services;
    }
}
