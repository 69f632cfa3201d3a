namespace Memfun.McpServer.Evals;

/// <summary>The agent under evaluation: works on one task in its workspace and says what happened.</summary>
/// <remarks>Implementations must be safe to call for several tasks at once (each with its own workspace and usage).</remarks>
internal interface IEvalAgent
{
    /// <summary>Runs the agent on <paramref name="task"/> in <paramref name="workspace"/>, counting model calls into <paramref name="usage"/>.</summary>
    /// <remarks>Throws only on cancellation; every other failure is an <see cref="EvalAgentOutcome.Error"/>.</remarks>
    Task<EvalAgentOutcome> RunAsync(EvalTask task, string workspace, EvalUsage usage, CancellationToken cancellationToken = default);
}
