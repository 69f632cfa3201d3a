namespace Memfun.Engine.Orchestration;

/// <summary>A workspace change an agent asked for during a workflow, held until the coordinator applies it.</summary>
/// <param name="TaskId">The task that produced it.</param>
/// <param name="Tool"><c>write_file</c> or <c>edit_file</c>.</param>
/// <param name="Path">The target path (workspace-relative, as the agent gave it).</param>
/// <param name="Arguments">The tool arguments, to replay exactly.</param>
public sealed record StagedOperation(string TaskId, string Tool, string Path, IReadOnlyDictionary<string, object?> Arguments);
