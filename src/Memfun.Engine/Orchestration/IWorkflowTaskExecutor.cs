namespace Memfun.Engine.Orchestration;

/// <summary>
/// Runs one workflow task somewhere: in this process, or as a queued task on the runtime that a worker on
/// any node picks up. Changes are staged, never applied, by the executor.
/// </summary>
public interface IWorkflowTaskExecutor
{
    /// <summary>Runs <paramref name="task"/> with <paramref name="context"/> (its dependencies' outputs and any review feedback).</summary>
    Task<WorkflowTaskOutcome> ExecuteAsync(string workflowId, WorkflowTask task, string context, int round, CancellationToken cancellationToken = default);
}
