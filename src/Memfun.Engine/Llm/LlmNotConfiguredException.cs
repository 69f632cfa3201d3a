using Memfun.Tools;

namespace Memfun.Engine.Llm;

/// <summary>No model is available: no provider is configured and the calling host does not support MCP sampling.</summary>
public sealed class LlmNotConfiguredException : MemfunToolException
{
    /// <summary>The one message every agent tool gives when no model can be reached.</summary>
    public const string DefaultMessage =
        "No language model is available: this host does not support MCP sampling and no provider is configured. " +
        "Run 'memfun init' (or set [llm] provider/model in ~/.memfun/config.toml, or MEMFUN_LLM__PROVIDER and MEMFUN_LLM__MODEL " +
        "with the API key in the variable named by api_key_env) to use an OpenAI-compatible endpoint or Anthropic.";

    /// <summary>Creates the exception with <see cref="DefaultMessage"/>.</summary>
    public LlmNotConfiguredException() : base(DefaultMessage) { }

    /// <summary>Creates the exception with a specific message.</summary>
    public LlmNotConfiguredException(string message) : base(message) { }

    /// <summary>Creates the exception with a specific message and cause.</summary>
    public LlmNotConfiguredException(string message, Exception innerException) : base(message, innerException) { }
}
