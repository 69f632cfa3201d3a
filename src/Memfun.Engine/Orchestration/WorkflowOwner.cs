using System.Diagnostics;

namespace Memfun.Engine.Orchestration;

/// <summary>The coordinator process that runs a workflow: its machine, process id and start time.</summary>
/// <param name="Host">The machine name.</param>
/// <param name="Pid">The process id.</param>
/// <param name="ProcessStarted">When that process started (tells a reused pid apart).</param>
public sealed record WorkflowOwner(string Host, int Pid, DateTimeOffset ProcessStarted)
{
    /// <summary>This process.</summary>
    public static WorkflowOwner Current { get; } = CurrentProcess();

    /// <summary>Whether this is the current process.</summary>
    public bool IsCurrent => this == Current;

    /// <summary>
    /// Whether the owner is known to be gone: it ran on this machine and no process with its pid and start time runs now.
    /// An owner on another machine is never known gone here; its lease lapses instead.
    /// </summary>
    public bool IsKnownGone()
    {
        if (!string.Equals(Host, Current.Host, StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(Pid);
            return process.HasExited || Math.Abs((new DateTimeOffset(process.StartTime.ToUniversalTime()) - ProcessStarted).TotalSeconds) > 1;
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
        catch (InvalidOperationException)
        {
            return true; // it exited while being looked at
        }
    }

    /// <summary>For messages: <c>pid 123 on host</c>.</summary>
    public override string ToString() => $"pid {Pid} on {Host}";

    private static WorkflowOwner CurrentProcess()
    {
        using var process = Process.GetCurrentProcess();
        return new WorkflowOwner(Environment.MachineName, Environment.ProcessId, new DateTimeOffset(process.StartTime.ToUniversalTime()));
    }
}
