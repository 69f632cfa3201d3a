namespace Memfun.Engine.Orchestration;

/// <summary>
/// An event of a workflow's life: <c>workflow.started</c>, <c>task.published</c>, <c>task.picked_up</c>,
/// <c>task.completed</c>, <c>task.failed</c>, <c>worker.online</c>, <c>worker.offline</c>, <c>workflow.completed</c>.
/// </summary>
public sealed record WorkflowEvent(string Type, string WorkflowId, string? TaskId, string? Agent, string? Detail, DateTimeOffset At);
