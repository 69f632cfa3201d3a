namespace Memfun.McpServer.Evals.Optimize;

/// <summary>What <see cref="PromptOptimizer"/> found.</summary>
internal sealed record OptimizeResult
{
    /// <summary>The agent optimized.</summary>
    public required string Agent { get; init; }

    /// <summary>The original instruction's report on the suite.</summary>
    public required EvalReport Original { get; init; }

    /// <summary>Every candidate with its report, in the order the model proposed them.</summary>
    public required IReadOnlyList<CandidateScore> Candidates { get; init; }

    /// <summary>The best candidate when it resolved strictly more tasks than the original; otherwise null.</summary>
    public CandidateScore? Winner { get; init; }

    /// <summary>The <c>AGENT.md</c> written for the winner, or null when nothing was written.</summary>
    public string? WrittenPath { get; init; }
}
