using Microsoft.ML.Tokenizers;

namespace Memfun.Engine.Repl;

/// <summary>
/// Counts the tokens of a text for prompt budgets and for calls whose provider reports no usage: the
/// <c>o200k_base</c> encoding (GPT-4o's), a close stand-in for other models' tokenizers on code and prose.
/// </summary>
/// <remarks>
/// Thread-safe. The encoding loads on first use (a few hundred milliseconds, once per process); if it cannot
/// load, counts fall back to characters / 4, rounded up.
/// </remarks>
internal static class TokenEstimate
{
    private static readonly Lazy<Tokenizer?> Encoding = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static int Of(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        return Encoding.Value is { } tokenizer ? tokenizer.CountTokens(text) : (text.Length + 3) / 4;
    }

    private static Tokenizer? Load()
    {
        try
        {
            return TiktokenTokenizer.CreateForEncoding("o200k_base");
        }
#pragma warning disable CA1031 // Any failure to load the data falls back to the estimate.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }
}
