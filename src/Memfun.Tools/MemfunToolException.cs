namespace Memfun.Tools;

/// <summary>
/// The base of every error a workspace tool reports to its caller: the message says what was wrong
/// and what to do next, and is safe to show to a model (no secrets, no stack traces).
/// </summary>
/// <remarks>The MCP host maps these to tool errors (<c>isError: true</c>) with the message as text.</remarks>
public class MemfunToolException : Exception
{
    /// <summary>Creates an exception with a message written for the caller.</summary>
    public MemfunToolException(string message) : base(message) { }

    /// <summary>Creates an exception with a message written for the caller and the underlying cause.</summary>
    public MemfunToolException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates an exception with a generic message.</summary>
    public MemfunToolException() : base("The tool call failed.") { }
}
