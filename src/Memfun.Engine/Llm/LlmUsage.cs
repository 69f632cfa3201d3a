namespace Memfun.Engine.Llm;

/// <summary>Tokens and calls spent: per call, or summed over one request.</summary>
/// <param name="Calls">Model calls that returned an answer.</param>
/// <param name="PromptTokens">Input tokens.</param>
/// <param name="CompletionTokens">Output tokens.</param>
public sealed record LlmUsage(int Calls, long PromptTokens, long CompletionTokens)
{
    /// <summary>Nothing spent.</summary>
    public static LlmUsage Zero { get; } = new(0, 0, 0);

    /// <summary>Prompt plus completion tokens.</summary>
    public long TotalTokens => PromptTokens + CompletionTokens;

    /// <summary>The sum of two usages.</summary>
    public LlmUsage Add(LlmUsage other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Calls + other.Calls, PromptTokens + other.PromptTokens, CompletionTokens + other.CompletionTokens);
    }
}
