using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Memfun.Tools.Web;

/// <summary>Registers <see cref="WebFetcher"/> and <see cref="WebSearcher"/>.</summary>
public static class WebServiceCollectionExtensions
{
    /// <summary>Adds the web services with their options (configure binds <c>[web]</c>).</summary>
    public static IServiceCollection AddMemfunWeb(this IServiceCollection services, Action<WebOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<WebOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton<WebFetcher>();
        services.TryAddSingleton<WebSearcher>();
        return services;
    }
}
