namespace Memfun.Engine.Runtime.Workers;

/// <summary>The recorded outcome of a task: written once (the first completion wins), read by callers.</summary>
/// <param name="Id">The task id.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Worker">The worker that completed it.</param>
/// <param name="Attempt">The delivery that completed it.</param>
/// <param name="Result">The handler's result.</param>
/// <param name="CompletedAt">When.</param>
public sealed record TaskResult(string Id, string Kind, string Worker, int Attempt, string Result, DateTimeOffset CompletedAt);
