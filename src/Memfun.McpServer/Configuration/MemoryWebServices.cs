using System.Globalization;
using Memfun.Engine.Memory;
using Memfun.McpServer.Hosting;
using Memfun.Tools.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Memfun.McpServer.Configuration;

/// <summary>Registers memory and the web tools' services with their <c>[memory]</c> and <c>[web]</c> settings.</summary>
/// <remarks>
/// Keys (memfun.toml / <c>MEMFUN_WEB__SEARCH_BACKEND</c>…): <c>[web] search_backend</c> (duckduckgo, searxng,
/// brave, tavily), <c>api_key_env</c>, <c>search_base_url</c>, <c>fetch_timeout_seconds</c>,
/// <c>max_response_bytes</c>, <c>cache_minutes</c>; <c>[memory] context_chars</c>, <c>context_recall</c>,
/// <c>recall_row_budget</c>.
/// Configuration is read when the options are first needed, not at start-up.
/// </remarks>
internal static class MemoryWebServices
{
    public static IServiceCollection AddMemfunMemoryAndWeb(this IServiceCollection services, ServerSettings settings)
    {
        var config = new Lazy<IConfiguration>(() => settings.Configuration ?? MemfunConfiguration.Build(settings.Workspace));
        services.AddMemfunWeb(o =>
        {
            var web = config.Value.GetSection("web");
            o.SearchBackend = web["search_backend"] ?? o.SearchBackend;
            o.ApiKeyEnv = web["api_key_env"] ?? o.ApiKeyEnv;
            o.SearchBaseUrl = web["search_base_url"] ?? o.SearchBaseUrl;
            if (double.TryParse(web["fetch_timeout_seconds"], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 300)
            {
                o.FetchTimeout = TimeSpan.FromSeconds(seconds);
            }

            if (long.TryParse(web["max_response_bytes"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var bytes) && bytes > 0)
            {
                o.MaxResponseBytes = bytes;
            }

            if (double.TryParse(web["cache_minutes"], NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes) && minutes >= 0)
            {
                o.CacheDuration = TimeSpan.FromMinutes(minutes);
            }
        });
        services.AddMemfunMemory(o =>
        {
            o.WorkspaceRoot = settings.Workspace;
            o.UserDirectory = MemfunConfiguration.UserDirectory;
            o.UseWorkspaceFile = WorkspaceTrust.IsTrusted(config.Value);
            var memory = config.Value.GetSection("memory");
            if (int.TryParse(memory["context_chars"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var chars) && chars >= 0)
            {
                o.ContextFileCharacters = chars;
            }

            if (int.TryParse(memory["context_recall"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) && k is >= 0 and <= 50)
            {
                o.ContextRecallCount = k;
            }

            if (int.TryParse(memory["recall_row_budget"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var budget) && budget is >= 100 and <= 1_000_000)
            {
                o.RecallRowBudget = budget;
            }
        });
        return services;
    }
}
