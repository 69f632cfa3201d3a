using System.Text.Json.Serialization;

namespace Memfun.Engine.Orchestration;

/// <summary>The decomposer's answer: the tasks of a workflow.</summary>
public sealed record WorkflowPlan([property: JsonPropertyName("tasks")] IReadOnlyList<WorkflowTask> Tasks);
