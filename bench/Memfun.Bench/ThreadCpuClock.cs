using System.Runtime.InteropServices;

namespace Memfun.Bench;

/// <summary>
/// CPU time of the calling thread (Linux CLOCK_THREAD_CPUTIME_ID), next to wall time: on a shared,
/// overloaded machine wall time measures the queue for a core, thread CPU time measures the work.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out Timespec time);

    /// <summary>Milliseconds of CPU time this thread has used; NaN where the clock is unavailable.</summary>
    public static double NowMs()
    {
        if (!OperatingSystem.IsLinux() || ClockGetTime(ClockThreadCpuTimeId, out var t) != 0)
        {
            return double.NaN;
        }

        return (t.Seconds * 1000.0) + (t.Nanoseconds / 1_000_000.0);
    }
}
