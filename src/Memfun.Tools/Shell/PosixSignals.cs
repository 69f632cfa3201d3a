using System.Runtime.InteropServices;

namespace Memfun.Tools.Shell;

/// <summary>Sends signals to whole process groups (kill(2) with a negative pid).</summary>
internal static partial class PosixSignals
{
    public const int SigKill = 9;

    /// <summary>Sends <paramref name="signal"/> to every process of group <paramref name="processGroup"/>; false when none is left.</summary>
    public static bool KillGroup(int processGroup, int signal)
    {
        if (OperatingSystem.IsWindows() || processGroup <= 1)
        {
            return false;
        }

        return Kill(-processGroup, signal) == 0;
    }

    /// <summary>True when some process of the group still exists.</summary>
    public static bool GroupAlive(int processGroup) => !OperatingSystem.IsWindows() && processGroup > 1 && Kill(-processGroup, 0) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int sig);
}
