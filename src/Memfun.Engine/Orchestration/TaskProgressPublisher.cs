using System.Threading.Channels;
using Memfun.Engine.Runtime.Abstractions;

namespace Memfun.Engine.Orchestration;

/// <summary>
/// Carries a specialist's progress lines on a worker to the coordinator: each line becomes a <c>task.progress</c>
/// event on the task's topic, published in order by one pump so a slow bus never blocks the agent's loop.
/// </summary>
/// <remarks>
/// Progress is best effort: a line that cannot be published is dropped (the task's result does not depend on
/// it). <see cref="DisposeAsync"/> publishes what is still queued, so the lines arrive before the result.
/// </remarks>
internal sealed class TaskProgressPublisher : IProgress<string>, IAsyncDisposable
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;

    public TaskProgressPublisher(IEventBus bus, string topic, WorkflowTask task, CancellationToken cancellationToken)
    {
        _pump = PumpAsync(bus, topic, task, cancellationToken);
    }

    public void Report(string value) => _lines.Writer.TryWrite(value);

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
    }

    private async Task PumpAsync(IEventBus bus, string topic, WorkflowTask task, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await foreach (var line in _lines.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await bus.PublishAsync(topic, QueuedTaskExecutor.EventBytes("task.progress", task, line), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    throw;
                }
#pragma warning disable CA1031 // A progress line is best effort; the task goes on without it.
                catch (Exception)
#pragma warning restore CA1031
                {
                    // Dropped.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The task was cancelled: the remaining lines do not matter.
        }
    }
}
