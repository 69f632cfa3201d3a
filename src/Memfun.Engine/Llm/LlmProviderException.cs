using System.Net;
using Memfun.Tools;

namespace Memfun.Engine.Llm;

/// <summary>The provider answered with an HTTP error (or could not be reached).</summary>
public sealed class LlmProviderException : MemfunToolException
{
    /// <summary>Creates the exception for an HTTP status, with the server's Retry-After if any.</summary>
    public LlmProviderException(string message, HttpStatusCode? statusCode, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException ?? new InvalidOperationException(message))
    {
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    /// <summary>Creates the exception with a message.</summary>
    public LlmProviderException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public LlmProviderException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a generic message.</summary>
    public LlmProviderException() : base("The model provider failed.") { }

    /// <summary>The HTTP status, or null when no answer came.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The server's Retry-After, if it sent one.</summary>
    public TimeSpan? RetryAfter { get; }
}
