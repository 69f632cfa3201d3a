using System.Diagnostics;
using System.Globalization;

namespace Memfun.Bench.Runtime;

/// <summary>CPU time used so far by this process, plus a server process when given (read from <c>/proc</c>, Linux).</summary>
internal static class CpuTime
{
    public static TimeSpan Of(int? serverPid)
    {
        using var self = Process.GetCurrentProcess();
        var own = self.TotalProcessorTime;
        return serverPid is { } pid ? own + OfProcess(pid) : own;
    }

    private static TimeSpan OfProcess(int pid)
    {
        // /proc/PID/stat: "pid (comm) state ... utime stime ..."; utime and stime are fields 14 and 15, in clock ticks (100/s).
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }
}
