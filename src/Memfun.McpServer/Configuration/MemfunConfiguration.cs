using Memfun.Engine.Trust;
using Microsoft.Extensions.Configuration;

namespace Memfun.McpServer.Configuration;

/// <summary>
/// Builds the layered configuration: <c>~/.memfun/config.toml</c> (user), <c>memfun.toml</c> in the
/// workspace (project, filtered by <see cref="ProjectSettingsPolicy"/>), <c>MEMFUN_*</c> environment variables,
/// then command-line overrides; later wins. Last comes <c>workspace:trusted</c> from <see cref="WorkspaceTrustStore"/>.
/// </summary>
/// <remarks>
/// Environment keys use <c>__</c> for nesting: <c>MEMFUN_LLM__MODEL</c> is <c>[llm] model</c>. What the project file
/// may not set is dropped here, with one stderr message per process (<see cref="WorkspaceTrustNotice"/>).
/// </remarks>
internal static class MemfunConfiguration
{
    /// <summary>The user's settings folder, <c>~/.memfun</c> (or <c>MEMFUN_HOME</c>).</summary>
    public static string UserDirectory => Memfun.Engine.Llm.CredentialStore.UserDirectory;

    /// <summary>Builds the configuration of <paramref name="workspace"/>.</summary>
    /// <param name="workspace">The workspace root.</param>
    /// <param name="overrides">Settings from flags, above every other layer but the trust.</param>
    /// <param name="userDirectory">The user's folder; default <see cref="UserDirectory"/> (tests pass their own).</param>
    public static IConfigurationRoot Build(string workspace, IDictionary<string, string?>? overrides = null, string? userDirectory = null)
    {
        var trusted = WorkspaceTrustStore.IsTrusted(workspace);
        IReadOnlyList<string> dropped = [];
        var builder = new ConfigurationBuilder();
        builder.Add(new TomlConfigurationSource(Path.Combine(userDirectory ?? UserDirectory, "config.toml"), optional: true));
        builder.Add(new ProjectConfigurationSource(Path.Combine(workspace, "memfun.toml"), trusted, keys => dropped = keys));
        builder.AddEnvironmentVariables("MEMFUN_");
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        builder.AddInMemoryCollection([new(WorkspaceTrust.Key, trusted ? "true" : "false")]);
        var root = builder.Build();
        WorkspaceTrustNotice.Report(workspace, trusted, dropped);
        return root;
    }
}
