namespace Memfun.Engine.Runtime.Workers;

/// <summary><c>fail</c>: always throws with its payload as the message (to exercise retries and dead letters).</summary>
internal sealed class FailTaskHandler : ITaskHandler
{
    public string Kind => "fail";

    public ValueTask<string> HandleAsync(TaskContext context, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException(string.IsNullOrEmpty(context?.Payload) ? "failed on purpose" : context.Payload);
}
