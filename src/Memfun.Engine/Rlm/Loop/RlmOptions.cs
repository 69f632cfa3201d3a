using Microsoft.Extensions.Configuration;

namespace Memfun.Engine.Rlm.Loop;

/// <summary>Budgets of rlm_run.</summary>
public sealed class RlmOptions
{
    /// <summary>Model turns (each one code step) before the run stops. Default 20.</summary>
    [ConfigurationKeyName("max_iterations")]
    public int MaxIterations { get; set; } = 20;

    /// <summary>Tokens of the whole run (model turns and sub-model calls) after which it stops. Default 500,000.</summary>
    [ConfigurationKeyName("token_budget")]
    public long TokenBudget { get; set; } = 500_000;

    /// <summary>Largest prompt sent to the model, in estimated tokens; history is shortened to fit. Default 12,000.</summary>
    [ConfigurationKeyName("prompt_token_budget")]
    public int PromptTokenBudget { get; set; } = 12_000;

    /// <summary>Characters of a step's output shown to the model (head and tail). Default 3,000.</summary>
    [ConfigurationKeyName("output_view_chars")]
    public int OutputViewChars { get; set; } = 3_000;

    /// <summary>Recent steps shown with their code and output; older ones are one line each. Default 4.</summary>
    [ConfigurationKeyName("detailed_steps")]
    public int DetailedSteps { get; set; } = 4;
}
