using Microsoft.Extensions.AI;

namespace Memfun.McpServer.Evals.Optimize;

/// <summary>How <see cref="PromptOptimizer"/> proposes and scores instructions.</summary>
internal sealed record OptimizeOptions
{
    /// <summary>The most candidates accepted for <see cref="Candidates"/>.</summary>
    public const int MaxCandidates = 10;

    /// <summary>The model that proposes candidate instructions from the traces.</summary>
    public required IChatClient ProposalModel { get; init; }

    /// <summary>The agent that runs a task with a given <c>AGENT.md</c> text (the original's or a candidate's).</summary>
    public required Func<string, IEvalAgent> AgentFor { get; init; }

    /// <summary>Candidate instructions to ask for and score (default 3, 1 to <see cref="MaxCandidates"/>).</summary>
    public int Candidates { get; init; } = 3;

    /// <summary>Tasks run at once while scoring (default 2, at least 1).</summary>
    public int Parallel { get; init; } = 2;

    /// <summary>Receives one line per step (scoring started, each score, the outcome).</summary>
    public IProgress<string>? Progress { get; init; }

    /// <summary>Receives each task's start and finish while an instruction is scored, or null.</summary>
    public IProgress<EvalEvent>? TaskProgress { get; init; }
}
