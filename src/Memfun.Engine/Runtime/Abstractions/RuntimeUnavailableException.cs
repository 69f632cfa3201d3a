using Memfun.Tools;

namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>The configured backend cannot be reached or used; the message names the address and what to do.</summary>
public sealed class RuntimeUnavailableException : MemfunToolException
{
    /// <summary>Creates the exception with a message for the user.</summary>
    public RuntimeUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception with a message for the user and the cause.</summary>
    public RuntimeUnavailableException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a generic message.</summary>
    public RuntimeUnavailableException() : base("The runtime backend is unavailable.") { }
}
