using System.Text.Json.Serialization;
using Memfun.Engine.Agents;

namespace Memfun.Engine.Orchestration;

/// <summary>What a worker returns for a queued workflow task: the specialist's result and the operations it staged.</summary>
/// <remarks>The coordinator applies <see cref="Staged"/>; the worker never writes to the workspace.</remarks>
/// <param name="Result">The specialist's result, or null when it failed.</param>
/// <param name="Staged">The workspace changes it staged.</param>
/// <param name="Error">Why it failed, when it did.</param>
/// <param name="Worker">The worker that ran it.</param>
public sealed record AgentTaskReply(
    [property: JsonPropertyName("result")] SpecialistResult? Result,
    [property: JsonPropertyName("staged")] IReadOnlyList<StagedOperation> Staged,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("worker")] string Worker);
