using Memfun.Tools;

namespace Memfun.Engine.Repl;

/// <summary>A REPL session could not do what was asked (unknown session, host failed to start); the message says what to do.</summary>
public sealed class ReplException : MemfunToolException
{
    /// <summary>Creates the exception with a message for the caller.</summary>
    public ReplException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ReplException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a generic message.</summary>
    public ReplException() : base("The REPL session failed.") { }
}
