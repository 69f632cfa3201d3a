using System.Text.Json.Serialization;

namespace Memfun.Engine.Orchestration;

/// <summary>What a queued workflow task carries to a worker: the task, its context and its round.</summary>
/// <remarks>Never carries credentials: a worker gets the coordinator's address and token from its own configuration.</remarks>
/// <param name="WorkflowId">The workflow it belongs to.</param>
/// <param name="Task">The task.</param>
/// <param name="Context">Its dependencies' outputs and any review feedback.</param>
/// <param name="Round">0 for the first run, 1–2 for revision rounds.</param>
/// <param name="Depth">The recursion depth the task's agent runs at (the workflow's own depth plus one).</param>
/// <param name="TokenBudget">
/// The model tokens the task may spend: what the coordinator's request had left when it was queued; 0 = unlimited.
/// </param>
public sealed record AgentTaskPayload(
    [property: JsonPropertyName("workflow_id")] string WorkflowId,
    [property: JsonPropertyName("task")] WorkflowTask Task,
    [property: JsonPropertyName("context")] string Context,
    [property: JsonPropertyName("round")] int Round,
    [property: JsonPropertyName("depth")] int Depth = 0,
    [property: JsonPropertyName("token_budget")] long TokenBudget = 0);
