namespace Memfun.Engine.Runtime.Workers;

/// <summary><c>echo</c>: returns its payload unchanged (a smoke test for the whole path).</summary>
internal sealed class EchoTaskHandler : ITaskHandler
{
    public string Kind => "echo";

    public ValueTask<string> HandleAsync(TaskContext context, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(context.Payload);
}
