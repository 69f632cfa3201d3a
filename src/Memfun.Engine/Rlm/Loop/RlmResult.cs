namespace Memfun.Engine.Rlm.Loop;

/// <summary>How an rlm_run ended.</summary>
public sealed class RlmResult
{
    /// <summary>The FINAL answer; null when the run stopped without one.</summary>
    public string? Answer { get; init; }

    /// <summary>"final", "iteration_cap" or "token_budget".</summary>
    public string Finish { get; init; } = "";

    public int Iterations { get; init; }

    /// <summary>Tokens of model turns and sub-model calls.</summary>
    public long Tokens { get; init; }

    /// <summary>The largest prompt sent to the model, in estimated tokens.</summary>
    public int LargestPromptTokens { get; init; }

    public string TraceId { get; init; } = "";

    public string TraceUri { get; init; } = "";

    public string Sandbox { get; init; } = "";
}
