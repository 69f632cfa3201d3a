namespace Memfun.Engine.Runtime.Workers;

/// <summary>Executes queued tasks of one kind inside a worker.</summary>
/// <remarks>Delivery is at-least-once: a handler may see a task again after a worker died mid-task, so side effects
/// should be idempotent (key them on <see cref="TaskContext.TaskId"/>). Throwing fails the attempt: the task is retried
/// with back-off, and dead-lettered after the queue's max attempts. Honour the cancellation token: it fires on shutdown.</remarks>
public interface ITaskHandler
{
    /// <summary>The task kind served (letters, digits, <c>-</c>, <c>_</c>).</summary>
    string Kind { get; }

    /// <summary>Runs one task; returns its result (JSON by convention), which callers read from the results store and
    /// the <c>task.{kind}.completed</c> event.</summary>
    ValueTask<string> HandleAsync(TaskContext context, CancellationToken cancellationToken = default);
}
