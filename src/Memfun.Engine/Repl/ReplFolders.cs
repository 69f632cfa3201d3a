using System.Globalization;

namespace Memfun.Engine.Repl;

/// <summary>
/// The working folders of REPL hosts: <c>$TMPDIR/memfun-repl-&lt;server pid&gt;-&lt;random&gt;</c>. A folder is
/// removed by its session, by the host's cleanup shell when the server was killed, and otherwise by the
/// sweep the next server runs at start: any folder whose server process is gone.
/// </summary>
/// <remarks>Thread-safe (stateless).</remarks>
internal static class ReplFolders
{
    private const string Prefix = "memfun-repl-";

    /// <summary>Creates a new, empty working folder of this server process and returns its path.</summary>
    public static string Create()
    {
        var path = Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture,
            $"{Prefix}{Environment.ProcessId}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6))}"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Removes the folders of servers that no longer run; returns how many were removed.</summary>
    public static int SweepStale()
    {
        var removed = 0;
        IEnumerable<string> folders;
        try
        {
            folders = Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*").ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        foreach (var folder in folders)
        {
            var rest = Path.GetFileName(folder)[Prefix.Length..];
            var dash = rest.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !int.TryParse(rest.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || pid == Environment.ProcessId || Alive(pid))
            {
                continue;
            }

            try
            {
                Directory.Delete(folder, recursive: true);
                removed++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }

        return removed;
    }

    private static bool Alive(int pid)
    {
        if (!OperatingSystem.IsLinux())
        {
            // Without /proc, only a folder whose process surely is gone would be safe to remove: keep them all.
            return true;
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..];
            return state.Length > 0 && state[0] is not ('Z' or 'X');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            return false;
        }
    }
}
