using System.Globalization;

namespace Memfun.Engine.Repl;

/// <summary>
/// Finds, among the descendants of the process the server started (the cleanup shell, bubblewrap), the REPL
/// host whose PID in its own namespace it reported: the server needs the host's PID as it sees it, to watch
/// its memory.
/// </summary>
/// <remarks>Reads /proc; thread-safe (stateless).</remarks>
internal static class ReplProcessTree
{
    /// <summary>The server-side PID of the descendant of <paramref name="root"/> known inside as <paramref name="reportedPid"/>; <paramref name="reportedPid"/> when none is found.</summary>
    public static int FindHostPid(int root, int reportedPid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return reportedPid;
        }

        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            var parent = ReadParent(pid);
            if (parent > 0)
            {
                (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(pid);
            }
        }

        var queue = new Queue<int>([root]);
        while (queue.Count > 0)
        {
            var pid = queue.Dequeue();
            if (InnermostPid(pid) == reportedPid && pid != root)
            {
                return pid;
            }

            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                queue.Enqueue(child);
            }
        }

        return reportedPid;
    }

    private static int ReadParent(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return 0;
        }
    }

    private static int InnermostPid(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("NSpid:", StringComparison.Ordinal))
                {
                    var last = line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[^1];
                    return int.Parse(last, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
        }

        return 0;
    }
}
