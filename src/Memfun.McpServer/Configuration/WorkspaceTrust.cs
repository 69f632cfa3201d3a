using Memfun.Engine.Trust;
using Microsoft.Extensions.Configuration;

namespace Memfun.McpServer.Configuration;

/// <summary>
/// Whether the user trusts the workspace, as the configuration carries it: <see cref="MemfunConfiguration.Build"/> sets
/// <c>workspace:trusted</c> from <see cref="WorkspaceTrustStore"/> after every other layer, and no project file may set it.
/// </summary>
/// <remarks>
/// An untrusted workspace's project layer is data, never instructions or settings: its <c>agents/</c>, <c>.memfun/agents/</c>,
/// <c>skills/</c>, <c>.memfun/skills/</c> and <c>MEMORY.md</c> (as agent instructions) are not loaded, <c>memfun.toml</c> may
/// set only <see cref="ProjectSettingsPolicy.UntrustedAllowed"/>, and checks that run project code (linters, builds) are skipped.
/// </remarks>
internal static class WorkspaceTrust
{
    /// <summary>The configuration section that carries the trust; reserved (no file may set it).</summary>
    public const string Section = "workspace";

    /// <summary>The key: <c>true</c> or <c>false</c>.</summary>
    public const string Key = WorkspaceTrustStore.ConfigurationKey;

    /// <summary>True only when the configuration says the workspace is trusted; a configuration built elsewhere, without the key, is not.</summary>
    public static bool IsTrusted(IConfiguration? configuration) =>
        string.Equals(configuration?[Key], "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The note a skipped check leaves in a result.</summary>
    public static string SkippedChecksNote(string workspace) =>
        $"verification skipped: workspace not trusted (checks run the project's own code); run `memfun trust {workspace}` to enable them";
}
