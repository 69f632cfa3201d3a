namespace Memfun.McpServer.Evals.Optimize;

/// <summary>A candidate instruction and how it did on the suite.</summary>
/// <param name="Candidate">The instruction.</param>
/// <param name="Report">Its eval report.</param>
internal sealed record CandidateScore(CandidateInstruction Candidate, EvalReport Report)
{
    /// <summary>Tasks resolved with this instruction: the score.</summary>
    public int Resolved => Report.Totals.Resolved;
}
