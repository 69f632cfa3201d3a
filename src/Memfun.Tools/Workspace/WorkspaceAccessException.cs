namespace Memfun.Tools.Workspace;

/// <summary>A path was refused because it resolves outside every workspace root, or is malformed.</summary>
public sealed class WorkspaceAccessException : MemfunToolException
{
    /// <summary>Creates the exception with a message naming the path and the roots.</summary>
    public WorkspaceAccessException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public WorkspaceAccessException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a generic message.</summary>
    public WorkspaceAccessException() : base("The path is outside the workspace.") { }
}
