namespace Memfun.Engine.Orchestration;

/// <summary>The result of a whole workflow.</summary>
/// <param name="WorkflowId">Its id.</param>
/// <param name="Plan">The DAG that ran.</param>
/// <param name="Outcomes">The latest outcome of every task, in DAG order.</param>
/// <param name="Applied">Operations applied to the workspace, in order.</param>
/// <param name="Conflicts">Conflicts that survived the revisions (reported, never silently overwritten).</param>
/// <param name="RevisionRounds">Revision rounds used (0–2).</param>
/// <param name="ReviewSummary">The last review's summary.</param>
/// <param name="Status"><c>completed</c>, <c>completed_with_conflicts</c> or <c>failed</c>.</param>
public sealed record WorkflowResult(
    string WorkflowId,
    WorkflowPlan Plan,
    IReadOnlyList<WorkflowTaskOutcome> Outcomes,
    IReadOnlyList<StagedOperation> Applied,
    IReadOnlyList<string> Conflicts,
    int RevisionRounds,
    string ReviewSummary,
    string Status);
