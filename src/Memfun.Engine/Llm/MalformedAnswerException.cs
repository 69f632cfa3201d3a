using Memfun.Tools;

namespace Memfun.Engine.Llm;

/// <summary>The model's answer did not match the expected JSON schema; the message says what was wrong.</summary>
public sealed class MalformedAnswerException : MemfunToolException
{
    /// <summary>Creates the exception.</summary>
    public MalformedAnswerException(string message) : base(message) { }

    /// <summary>Creates the exception with a cause.</summary>
    public MalformedAnswerException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a generic message.</summary>
    public MalformedAnswerException() : base("The model's answer was malformed.") { }
}
