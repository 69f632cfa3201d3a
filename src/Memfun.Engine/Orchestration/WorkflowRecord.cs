namespace Memfun.Engine.Orchestration;

/// <summary>
/// A workflow as the configured backend keeps it (key <c>wf/&lt;id&gt;</c> of the <c>workflows</c> area), so it outlives
/// the <c>memfun serve</c> that coordinates it: what was asked, the plan, the phase it reached and, once done, how it ended.
/// </summary>
/// <remarks>
/// <para>States: <c>planning</c> → <c>running</c> (the DAG's groups) → <c>reviewing</c> (review and revision rounds) →
/// <c>applying</c> → <c>completed</c> | <c>completed_with_conflicts</c> | <c>failed</c>; <c>cancelled</c> from any state
/// before <c>applying</c>. Only the coordinator that holds the workflow's lease moves it; every move is a
/// compare-and-set on the record's revision. A terminal state never changes again.</para>
/// <para>Each task's latest outcome is its own record (<c>wf/&lt;id&gt;/task/&lt;taskId&gt;</c>), each staged operation's
/// apply its own journal entry (<c>wf/&lt;id&gt;/apply/&lt;n&gt;</c>), see <see cref="AppliedOperationRecord"/>.</para>
/// </remarks>
/// <param name="Id">The workflow id (<c>wf-…</c>).</param>
/// <param name="Request">The request it serves.</param>
/// <param name="State">Its state (see remarks).</param>
/// <param name="Plan">The plan, once decomposed.</param>
/// <param name="Round">The revision round reached (0 before any).</param>
/// <param name="Revisions">The tasks the current revision round re-runs, with the review's feedback for each.</param>
/// <param name="Summary">The last review's summary.</param>
/// <param name="Conflicts">Conflicts the last review saw (while reviewing), then every conflict of the result.</param>
/// <param name="Owner">The coordinator that last ran it.</param>
/// <param name="Started">When it started.</param>
/// <param name="Updated">When the record last changed.</param>
/// <param name="Detail">Why it ended as it did (cancelled by whom, why it failed), when that is not the result.</param>
public sealed record WorkflowRecord(
    string Id,
    string Request,
    string State,
    WorkflowPlan? Plan,
    int Round,
    IReadOnlyDictionary<string, string> Revisions,
    string Summary,
    IReadOnlyList<string> Conflicts,
    WorkflowOwner Owner,
    DateTimeOffset Started,
    DateTimeOffset Updated,
    string? Detail = null)
{
    /// <summary>The states a workflow never leaves.</summary>
    public static IReadOnlySet<string> TerminalStates { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "completed", "completed_with_conflicts", "failed", "cancelled",
    };

    /// <summary>True once the workflow has ended (completed, failed or cancelled).</summary>
    public bool IsTerminal => TerminalStates.Contains(State);
}
