namespace Memfun.Engine.Repl;

/// <summary>How a REPL step ended.</summary>
public enum ReplStepOutcome
{
    /// <summary>The code ran to the end.</summary>
    Ok,

    /// <summary>The code did not compile or threw; the session is intact.</summary>
    Error,

    /// <summary>The step ran past its time limit; the process was killed.</summary>
    Timeout,

    /// <summary>The process went over its memory limit; it was killed.</summary>
    OutOfMemory,

    /// <summary>The process died (for example of a stack overflow).</summary>
    Crashed,

    /// <summary>The caller cancelled the step; the process was killed.</summary>
    Cancelled,
}
