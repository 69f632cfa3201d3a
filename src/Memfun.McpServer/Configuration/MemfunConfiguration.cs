using Microsoft.Extensions.Configuration;

namespace Memfun.McpServer.Configuration;

/// <summary>
/// Builds the layered configuration: <c>~/.memfun/config.toml</c> (user), <c>memfun.toml</c> in the
/// workspace (project), <c>MEMFUN_*</c> environment variables, then command-line overrides; later wins.
/// </summary>
/// <remarks>
/// Environment keys use <c>__</c> for nesting: <c>MEMFUN_LLM__MODEL</c> is <c>[llm] model</c>.
/// </remarks>
internal static class MemfunConfiguration
{
    /// <summary>The user's settings folder, <c>~/.memfun</c> (or <c>MEMFUN_HOME</c>).</summary>
    public static string UserDirectory => Memfun.Engine.Llm.CredentialStore.UserDirectory;

    public static IConfigurationRoot Build(string workspace, IDictionary<string, string?>? overrides = null)
    {
        var builder = new ConfigurationBuilder();
        builder.Add(new TomlConfigurationSource(Path.Combine(UserDirectory, "config.toml"), optional: true));
        builder.Add(new TomlConfigurationSource(Path.Combine(workspace, "memfun.toml"), optional: true));
        builder.AddEnvironmentVariables("MEMFUN_");
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        return builder.Build();
    }
}
