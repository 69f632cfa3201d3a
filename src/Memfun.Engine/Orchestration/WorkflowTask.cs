using System.Text.Json.Serialization;

namespace Memfun.Engine.Orchestration;

/// <summary>One node of a workflow DAG, as the decomposer produces it.</summary>
/// <param name="Id">Unique id within the workflow (e.g. <c>t1</c>).</param>
/// <param name="Description">What the task must achieve.</param>
/// <param name="Agent">The specialist that runs it.</param>
/// <param name="Inputs">Names of what it needs (informative).</param>
/// <param name="Outputs">Names of what it produces (informative).</param>
/// <param name="DependsOn">Ids of tasks that must finish first; their outputs reach this task as context.</param>
/// <param name="MaxIterations">Iteration cap for this task; 0 or absent keeps the agent's own.</param>
public sealed record WorkflowTask(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("agent")] string Agent,
    [property: JsonPropertyName("inputs")] IReadOnlyList<string>? Inputs = null,
    [property: JsonPropertyName("outputs")] IReadOnlyList<string>? Outputs = null,
    [property: JsonPropertyName("depends_on")] IReadOnlyList<string>? DependsOn = null,
    [property: JsonPropertyName("max_iterations")] int? MaxIterations = null)
{
    /// <summary>The dependencies, never null.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Dependencies => DependsOn ?? [];
}
