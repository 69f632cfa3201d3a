using System.Runtime.InteropServices;

namespace Memfun.Tools.Shell;

/// <summary>
/// Makes the running process non-dumpable (Linux <c>prctl(PR_SET_DUMPABLE, 0)</c>): its
/// <c>/proc/&lt;pid&gt;/environ</c>, memory and file descriptors are then readable, and it can be traced,
/// only by a process holding CAP_SYS_PTRACE, not by every process of the same user.
/// </summary>
/// <remarks>Call once, first thing at start. No effect elsewhere than Linux. Side effect: no core dumps.</remarks>
public static partial class ProcessHardening
{
    private const int PrSetDumpable = 4;
    private const int PrGetDumpable = 3;

    /// <summary>Turns dumpability off; true when the process is now non-dumpable.</summary>
    public static bool MakeNonDumpable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        return Prctl(PrSetDumpable, 0, 0, 0, 0) == 0 && Prctl(PrGetDumpable, 0, 0, 0, 0) == 0;
    }

    [DllImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static extern int Prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
}
