using Memfun.Engine.Agents;

namespace Memfun.Engine.Orchestration;

/// <summary>What one task of a workflow produced.</summary>
/// <param name="Task">The task.</param>
/// <param name="Result">The specialist's result.</param>
/// <param name="Staged">The workspace changes it staged.</param>
/// <param name="Round">0 for the first run, 1–2 for revision rounds.</param>
/// <param name="Error">Why it failed, when it did.</param>
public sealed record WorkflowTaskOutcome(WorkflowTask Task, SpecialistResult? Result, IReadOnlyList<StagedOperation> Staged, int Round, string? Error = null)
{
    /// <summary>True when the agent finished and nothing failed.</summary>
    public bool Succeeded => Error is null && Result is { StopReason: "completed" };
}
