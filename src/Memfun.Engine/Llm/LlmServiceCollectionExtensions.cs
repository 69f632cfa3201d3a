using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Memfun.Engine.Llm;

/// <summary>Registers the LLM layer.</summary>
public static class LlmServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="LlmOptions"/> (read from <paramref name="llmSection"/>, the <c>llm</c> section) and the
    /// <see cref="IChatClientFactory"/>.
    /// </summary>
    public static IServiceCollection AddMemfunLlm(this IServiceCollection services, IConfiguration? llmSection)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(_ => LlmOptions.FromConfiguration(llmSection));
        services.TryAddSingleton<IChatClientFactory>(sp => new ChatClientFactory(sp.GetRequiredService<LlmOptions>(), sp.GetService<ILoggerFactory>()));
        return services;
    }
}
