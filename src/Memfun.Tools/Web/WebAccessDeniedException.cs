namespace Memfun.Tools.Web;

/// <summary>A URL was refused before any connection: wrong scheme, credentials in it, or a host that resolves to a private, loopback, link-local, metadata or otherwise internal address.</summary>
/// <remarks>The message names the URL (without credentials) and the rule; it is safe to show to a model.</remarks>
public sealed class WebAccessDeniedException : MemfunToolException
{
    /// <summary>Creates the exception with a message written for the caller.</summary>
    public WebAccessDeniedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the cause.</summary>
    public WebAccessDeniedException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a generic message.</summary>
    public WebAccessDeniedException() : base("The URL was refused.") { }
}
