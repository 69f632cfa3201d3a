namespace Memfun.Engine.Repl.Host;

/// <summary>A REPL global (read_file, llm_query, ...) was refused or failed in the parent; the message says why.</summary>
public sealed class ReplToolException : Exception
{
    /// <summary>Creates the exception with the parent's message.</summary>
    public ReplToolException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ReplToolException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a generic message.</summary>
    public ReplToolException() : base("The REPL tool call failed.") { }
}
