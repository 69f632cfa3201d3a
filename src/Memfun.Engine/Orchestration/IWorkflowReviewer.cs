namespace Memfun.Engine.Orchestration;

/// <summary>Reads every task's output for conflicts and failures and says which tasks to revise.</summary>
public interface IWorkflowReviewer
{
    /// <summary>Reviews the outcomes of <paramref name="request"/>'s workflow.</summary>
    Task<WorkflowReview> ReviewAsync(string request, IReadOnlyList<WorkflowTaskOutcome> outcomes, IReadOnlyList<string> detectedConflicts, CancellationToken cancellationToken = default);
}
