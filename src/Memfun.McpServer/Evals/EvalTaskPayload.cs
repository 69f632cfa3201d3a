namespace Memfun.McpServer.Evals;

/// <summary>
/// An <c>eval_task</c>'s payload: which task of which suite to run. Workers read the suite from the same path (a shared
/// file system or the same checkout), so a task carries no code of its own.
/// </summary>
/// <param name="RunId">The <c>memfun eval</c> run that queued it.</param>
/// <param name="Suite">The suite's absolute path.</param>
/// <param name="Repos">The <c>--repos</c> folder of a SWE-bench suite, or null.</param>
/// <param name="TaskId">The task's id in the suite.</param>
/// <param name="AgentTimeoutSeconds">How long the agent may work on it.</param>
internal sealed record EvalTaskPayload(string RunId, string Suite, string? Repos, string TaskId, int AgentTimeoutSeconds);
