namespace Memfun.Engine.Orchestration;

/// <summary>The cross-agent review of a workflow's outputs.</summary>
/// <param name="Ok">True when the outputs are consistent and do what was asked.</param>
/// <param name="Revisions">Task id → feedback, for the tasks to run again.</param>
/// <param name="Summary">The reviewer's summary.</param>
public sealed record WorkflowReview(bool Ok, IReadOnlyDictionary<string, string> Revisions, string Summary);
