using System.Diagnostics;
using System.Globalization;

namespace Memfun.McpServer.Hosting;

/// <summary>
/// Kills every process this server started (and their descendants) when it stops, so that a host
/// closing the connection leaves nothing running behind it.
/// </summary>
/// <remarks>
/// Tools that start processes (<c>run_cmd</c>, the REPL) kill their own trees on timeout and
/// cancellation; this is the last line behind them, for the exit path. Linux reads <c>/proc</c>; on other
/// systems it does nothing. Never throws.
/// </remarks>
internal static class ChildProcessReaper
{
    /// <summary>Kills the process trees of this process's direct children; returns how many children there were.</summary>
    public static int KillChildren()
    {
        var killed = 0;
        foreach (var pid in ChildrenOf(Environment.ProcessId))
        {
            try
            {
                using var child = Process.GetProcessById(pid);
                child.Kill(entireProcessTree: true);
                killed++;
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
            {
                // Already gone, or not ours to kill.
            }
        }

        return killed;
    }

    /// <summary>The ids of the direct children of <paramref name="parent"/>, read from <c>/proc</c>.</summary>
    internal static List<int> ChildrenOf(int parent)
    {
        var children = new List<int>();
        if (!OperatingSystem.IsLinux())
        {
            return children;
        }

        try
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == parent)
                {
                    continue;
                }

                string stat;
                try
                {
                    stat = File.ReadAllText(Path.Combine(dir, "stat"));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    continue;
                }

                // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
                var close = stat.LastIndexOf(')');
                var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ppid) && ppid == parent)
                {
                    children.Add(pid);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return children;
    }
}
