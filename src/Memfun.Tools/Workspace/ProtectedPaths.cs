namespace Memfun.Tools.Workspace;

/// <summary>
/// The paths the write tools never change: any <c>.git</c> or <c>.memfun</c> folder (or file) on the path,
/// and <c>memfun.toml</c> at a workspace root. They hold git's and memfun's own configuration, where a
/// change can make git run commands (hooks, fsmonitor, filters) or change what memfun does.
/// </summary>
/// <remarks>Stateless and thread-safe. The user still edits them with an editor or the memfun CLI.</remarks>
internal static class ProtectedPaths
{
    /// <summary>True when <paramref name="relative"/> (below a root, '/' separators) is protected.</summary>
    public static bool IsProtected(string relative)
    {
        ArgumentNullException.ThrowIfNull(relative);
        var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 1 && parts[0].Equals("memfun.toml", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return Array.Exists(parts, static p => p.Equals(".git", StringComparison.OrdinalIgnoreCase) || p.Equals(".memfun", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Throws when <paramref name="full"/> (a resolved path inside a root of <paramref name="guard"/>) is protected.</summary>
    /// <param name="guard">The workspace guard.</param>
    /// <param name="full">The resolved path to be written.</param>
    /// <param name="tool">The tool's name, for the message.</param>
    /// <exception cref="WorkspaceAccessException">The path is protected.</exception>
    public static void ThrowIfProtected(PathGuard guard, string full, string tool)
    {
        ArgumentNullException.ThrowIfNull(guard);
        var (_, relative) = SafeFile.Split(guard.Roots, full, full);
        if (IsProtected(relative))
        {
            throw new WorkspaceAccessException(
                $"{tool} does not change '{guard.Display(full)}': .git/, .memfun/ and memfun.toml hold git's and memfun's own configuration, where a change could make git run commands or change what memfun does. " +
                "If the change is really wanted, the user makes it with an editor or the memfun CLI.");
        }
    }
}
