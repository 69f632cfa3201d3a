using System.Text.Json;
using System.Text.Json.Nodes;
using Memfun.Engine.Llm;

namespace Memfun.Engine.Trust;

/// <summary>
/// The folders the user trusts (<c>memfun trust DIR</c>), kept in <c>~/.memfun/trusted-workspaces.json</c>
/// (<c>MEMFUN_HOME</c> overrides <c>~/.memfun</c>), like VS Code's Workspace Trust or git's <c>safe.directory</c>.
/// </summary>
/// <remarks>
/// <para>A trusted folder trusts everything below it. Paths are compared after every symbolic link is resolved,
/// so a link into a trusted folder does not make its own folder trusted, nor the other way round.</para>
/// <para><c>MEMFUN_TRUSTED_WORKSPACES</c> (folders separated by <see cref="Path.PathSeparator"/>) trusts more folders
/// for one process without writing the file (CI, scripts); like the flags, it is the user's to set, never a project's.</para>
/// <para>Thread-safe for reads; writes replace the file atomically (mode 0600). A file that cannot be read or parsed
/// trusts nothing.</para>
/// </remarks>
public static class WorkspaceTrustStore
{
    /// <summary>The environment variable that trusts extra folders for one process.</summary>
    public const string EnvironmentVariable = "MEMFUN_TRUSTED_WORKSPACES";

    /// <summary>
    /// The configuration key that carries a workspace's trust (<c>true</c>/<c>false</c>) to the engine; the host sets it
    /// after every other layer and no project file may set it. Absent means the host made no decision (a library use):
    /// the engine then treats the workspace as trusted.
    /// </summary>
    public const string ConfigurationKey = "workspace:trusted";

    /// <summary>The trust file.</summary>
    public static string FilePath => Path.Combine(CredentialStore.UserDirectory, "trusted-workspaces.json");

    /// <summary>Whether <paramref name="folder"/> is a trusted folder or lies below one.</summary>
    public static bool IsTrusted(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var target = Canonical(folder);
        return Environmental().Concat(Load()).Any(t => Covers(t, target));
    }

    /// <summary>The folders trusted by the file, in the order they were added.</summary>
    public static IReadOnlyList<string> List() => Load();

    /// <summary>The folders <c>MEMFUN_TRUSTED_WORKSPACES</c> trusts for this process.</summary>
    public static IReadOnlyList<string> Environmental() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } raw
            ? [.. raw.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(Path.IsPathFullyQualified).Select(p => Canonical(p))]
            : [];

    /// <summary>Trusts <paramref name="folder"/> (an existing folder) and returns its canonical path; trusting it again changes nothing.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static string Trust(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var full = Canonical(folder);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"The folder '{folder}' does not exist.");
        }

        var list = Load().ToList();
        if (!list.Contains(full, StringComparer.Ordinal))
        {
            list.Add(full);
            Save(list);
        }

        return full;
    }

    /// <summary>Removes <paramref name="folder"/> from the trusted folders; false when it was not in the list.</summary>
    /// <remarks>Folders below it stay trusted when they were trusted on their own; a parent that is trusted still covers it.</remarks>
    public static bool Untrust(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var full = Canonical(folder);
        var list = Load().ToList();
        if (list.RemoveAll(p => string.Equals(p, full, StringComparison.Ordinal)) == 0)
        {
            return false;
        }

        Save(list);
        return true;
    }

    /// <summary>The absolute path of <paramref name="folder"/> with every symbolic link on the way resolved.</summary>
    public static string Canonical(string folder) => Canonical(folder, 0);

    private static string Canonical(string folder, int depth)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            if (depth < 40 && new DirectoryInfo(next).LinkTarget is { } link)
            {
                // The target may hold links of its own: resolve it the same way (a loop stops at 40 hops).
                next = Canonical(Path.GetFullPath(link, current), depth + 1);
            }

            current = next;
        }

        return current;
    }

    private static bool Covers(string trusted, string target) =>
        string.Equals(trusted, target, StringComparison.Ordinal)
        || target.StartsWith(Path.EndsInDirectorySeparator(trusted) ? trusted : trusted + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static List<string> Load()
    {
        try
        {
            if (!File.Exists(FilePath))
            {
                return [];
            }

            var root = JsonNode.Parse(File.ReadAllText(FilePath)) as JsonObject;
            return root?["workspaces"] is JsonArray items
                ? [.. items.Select(i => i?.GetValue<string>()).OfType<string>().Where(Path.IsPathFullyQualified)]
                : [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or FormatException)
        {
            return [];
        }
    }

    private static void Save(List<string> folders)
    {
        var dir = CredentialStore.UserDirectory;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dir);
        }
        else
        {
            Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var tmp = FilePath + "." + Environment.ProcessId + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(tmp, options))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            new JsonObject { ["workspaces"] = new JsonArray([.. folders.Select(f => (JsonNode)JsonValue.Create(f))]) }.WriteTo(writer);
        }

        File.Move(tmp, FilePath, overwrite: true);
    }
}
