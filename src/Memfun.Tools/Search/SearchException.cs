namespace Memfun.Tools.Search;

/// <summary>A search or listing was refused: an invalid or runaway pattern, or bad limits. The message says what to change.</summary>
public sealed class SearchException : MemfunToolException
{
    /// <summary>Creates the exception with a message written for the caller.</summary>
    public SearchException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public SearchException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a generic message.</summary>
    public SearchException() : base("The search was refused.") { }
}
