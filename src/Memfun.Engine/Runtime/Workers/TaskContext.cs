using Memfun.Engine.Runtime.Abstractions;

namespace Memfun.Engine.Runtime.Workers;

/// <summary>What a handler gets: the task and the worker's runtime services.</summary>
/// <param name="TaskId">The task id (stable across redeliveries).</param>
/// <param name="Kind">The task kind.</param>
/// <param name="Payload">The task's input as text (JSON by convention).</param>
/// <param name="Attempt">1 on first delivery.</param>
/// <param name="WorkerId">The worker running it.</param>
/// <param name="Sandbox">Where to run commands.</param>
/// <param name="Events">The bus, for progress events.</param>
public sealed record TaskContext(string TaskId, string Kind, string Payload, int Attempt, string WorkerId, ISandbox Sandbox, IEventBus Events);
