using System.Collections.Concurrent;
using Microsoft.Win32.SafeHandles;

namespace Memfun.Tools.Workspace;

/// <summary>
/// Removes the temporary files of atomic writes that never finished (the writing process was killed between
/// creating <c>.&lt;name&gt;.&lt;32 hex digits&gt;&lt;suffix&gt;</c> and renaming it over the target), so they do
/// not pile up in the user's folders.
/// </summary>
/// <remarks>
/// Thread-safe. Runs after a successful atomic write, at most once per folder every ten minutes, and removes
/// only entries that match the temporary-name pattern exactly, are regular files and were last written more
/// than ten minutes ago (a write in progress keeps its file for milliseconds). Names are listed by path but
/// examined and removed relative to the verified descriptor of the folder, so nothing outside it is touched.
/// </remarks>
internal static class StrayTemporaries
{
    private const long Age = 10 * 60;
    private static readonly ConcurrentDictionary<string, long> NextSweep = new(StringComparer.Ordinal);

    /// <summary>Removes old strays of <paramref name="suffix"/> in the folder <paramref name="dir"/> (whose path is <paramref name="folder"/>), unless it was swept lately.</summary>
    public static void Sweep(SafeFileHandle dir, string folder, string suffix)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (NextSweep.TryGetValue(folder, out var next) && now < next)
        {
            return;
        }

        if (NextSweep.Count > 4096)
        {
            NextSweep.Clear();
        }

        NextSweep[folder] = now + Age;
        List<string> names;
        try
        {
            names = [.. Directory.EnumerateFiles(folder, "." + "*" + suffix).Select(Path.GetFileName).OfType<string>().Where(n => IsTemporaryName(n, suffix))];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (var name in names)
        {
            if (NativeFile.StatAt(dir, name, out var stat) == 0 && stat.Type == NativeFile.SIfReg && stat.MtimeSeconds < now - Age)
            {
                NativeFile.UnlinkAt(dir, name);
            }
        }
    }

    /// <summary>True for <c>.&lt;name&gt;.&lt;32 hex digits&gt;&lt;suffix&gt;</c> with a non-empty name, as <see cref="SafeFile.WriteAtomic"/> makes them.</summary>
    internal static bool IsTemporaryName(string name, string suffix)
    {
        if (!name.StartsWith('.') || !name.EndsWith(suffix, StringComparison.Ordinal) || name.Length < 1 + 1 + 1 + 32 + suffix.Length)
        {
            return false;
        }

        var guid = name.AsSpan(name.Length - suffix.Length - 32, 32);
        return name[name.Length - suffix.Length - 33] == '.' && !guid.ContainsAnyExcept("0123456789abcdef");
    }
}
