using System.Collections.Concurrent;

namespace Memfun.McpServer.Configuration;

/// <summary>
/// The one stderr message that says what of a workspace's project layer is ignored and how to change that; printed
/// once per process and workspace, however often the configuration is built.
/// </summary>
internal static class WorkspaceTrustNotice
{
    private static readonly ConcurrentDictionary<string, bool> Printed = new(StringComparer.Ordinal);

    /// <summary>The folders and files of the project layer that an untrusted workspace has and that are ignored.</summary>
    public static IReadOnlyList<string> UntrustedParts(string workspace)
    {
        var parts = new List<string>();
        foreach (var folder in (string[])["agents", ".memfun/agents", "skills", ".memfun/skills"])
        {
            if (Directory.Exists(Path.Combine(workspace, folder)))
            {
                parts.Add(folder + "/");
            }
        }

        if (File.Exists(Path.Combine(workspace, "MEMORY.md")))
        {
            parts.Add("MEMORY.md (as agent instructions)");
        }

        return parts;
    }

    /// <summary>The message for <paramref name="workspace"/>, or null when nothing is ignored.</summary>
    /// <param name="workspace">The workspace root.</param>
    /// <param name="trusted">Whether the user trusts it.</param>
    /// <param name="droppedKeys">The memfun.toml keys that were dropped.</param>
    public static string? Compose(string workspace, bool trusted, IReadOnlyList<string> droppedKeys)
    {
        var keys = droppedKeys.Select(ProjectSettingsPolicy.Display).Distinct(StringComparer.Ordinal).ToList();
        if (trusted)
        {
            return keys.Count == 0 ? null
                : $"memfun: ignoring {string.Join(", ", keys)} in {Path.Combine(workspace, "memfun.toml")}: only ~/.memfun/config.toml, MEMFUN_* variables or flags may set {(keys.Count == 1 ? "it" : "them")} (see docs/security.md).";
        }

        var parts = new List<string>();
        if (keys.Count > 0)
        {
            parts.Add($"memfun.toml ({string.Join(", ", keys)})");
        }

        parts.AddRange(UntrustedParts(workspace));
        return parts.Count == 0 ? null
            : $"memfun: the workspace {workspace} is not trusted, so its project settings are ignored: {string.Join(", ", parts)}; " +
              $"checks that run project code (linters, builds) are skipped. If you trust its authors, run `memfun trust {workspace}` (see docs/security.md).";
    }

    /// <summary>Writes the message for <paramref name="workspace"/> to stderr, the first time only.</summary>
    public static void Report(string workspace, bool trusted, IReadOnlyList<string> droppedKeys)
    {
        if (Compose(workspace, trusted, droppedKeys) is { } message && Printed.TryAdd(workspace, true))
        {
            Console.Error.WriteLine(message);
        }
    }
}
