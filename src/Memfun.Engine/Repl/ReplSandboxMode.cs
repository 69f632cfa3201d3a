namespace Memfun.Engine.Repl;

/// <summary>How a REPL process is confined by the operating system.</summary>
public enum ReplSandboxMode
{
    /// <summary>Bubblewrap when it is installed and works here (network cut off when possible), else none.</summary>
    Auto,

    /// <summary>Bubblewrap or fail: refuse to start a REPL without it.</summary>
    Bubblewrap,

    /// <summary>No OS confinement: only the private working directory and the scrubbed environment.</summary>
    None,
}
