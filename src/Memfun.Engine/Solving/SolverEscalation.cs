using System.Text.Json;

namespace Memfun.Engine.Solving;

/// <summary>What happened when a solver request handed its task to the next tier on its own.</summary>
/// <param name="Tier">The tier that took the task over (<c>workflow</c>).</param>
/// <param name="Status">The tier's outcome: <c>completed</c>, <c>completed_with_conflicts</c> or <c>failed</c> (also when it could not start; the reason is in <paramref name="Summary"/>).</param>
/// <param name="WorkflowId">The workflow's id (for <c>workflow_status</c>), when one ran.</param>
/// <param name="Summary">One paragraph: what the tier did or why it failed.</param>
/// <param name="Report">The tier's own structured report (the <c>orchestrate</c> result shape), when it ran.</param>
public sealed record SolverEscalation(string Tier, string Status, string? WorkflowId, string Summary, JsonElement? Report = null);
