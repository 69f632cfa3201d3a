namespace Memfun.Engine.Rlm;

/// <summary>A quick token estimate (characters / 4, rounded up) used where the provider reports no usage and for prompt budgets.</summary>
internal static class TokenEstimate
{
    public static int Of(string? text) => string.IsNullOrEmpty(text) ? 0 : (text.Length + 3) / 4;
}
