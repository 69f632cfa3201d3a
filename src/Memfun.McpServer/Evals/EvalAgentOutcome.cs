namespace Memfun.McpServer.Evals;

/// <summary>What the agent did with a task.</summary>
/// <param name="Rung">The rung of the ladder that answered last: <c>solver</c>, <c>workflow</c> or <c>rlm</c> (null when it never answered).</param>
/// <param name="Status">The ladder's status (<c>completed</c>, <c>failed</c>, …), or null.</param>
/// <param name="Summary">The ladder's report text, shortened.</param>
/// <param name="Error">Why the agent could not run or answer (provider failure, bad answer, timeout), or null.</param>
/// <param name="Notes">The ladder's notes: earlier rungs that did not finish.</param>
internal sealed record EvalAgentOutcome(string? Rung, string? Status, string Summary, string? Error, IReadOnlyList<string> Notes);
