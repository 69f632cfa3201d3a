using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Memfun.Engine.Skills;

/// <summary>Registers the skill catalog and runner.</summary>
public static class SkillsServiceCollectionExtensions
{
    /// <summary>Adds <see cref="SkillCatalog"/> and <see cref="SkillRunner"/> as singletons.</summary>
    public static IServiceCollection AddMemfunSkills(this IServiceCollection services, Action<SkillCatalogOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SkillCatalogOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton<SkillCatalog>();
        services.TryAddSingleton<SkillRunner>();
        return services;
    }
}
