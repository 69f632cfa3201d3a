using Microsoft.Extensions.AI;

namespace Memfun.Engine.Solving;

/// <summary>
/// The context-first solver: map the workspace, gather the context (whole for small workspaces, else by a
/// planner call), solve in one call as structured operations, apply them all or nothing, verify with the
/// workspace's own linters/builds (with up to two edit-only fix cycles), and review once (with one polish
/// pass when the review finds a problem). Also answers questions, analyses and reviews without writing.
/// </summary>
/// <remarks>
/// Thread-safe; requests are independent. Each request runs in its own <c>LlmRequestScope</c> (token and time
/// budget from <c>[llm]</c>) and its result reports the calls and tokens it used. A malformed, truncated or
/// invalid answer leaves the workspace untouched.
/// </remarks>
public interface ISolver
{
    /// <summary>Runs one request against <paramref name="model"/>, reporting each step to <paramref name="progress"/>.</summary>
    Task<SolveResult> RunAsync(SolverRequest request, IChatClient model, IProgress<SolverProgress>? progress = null, CancellationToken cancellationToken = default);
}
