using Memfun.Engine.Agents;
using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace Memfun.Engine.Orchestration;

/// <summary>
/// Where a workflow's tasks run: on <c>memfun worker</c> nodes through the runtime's queue when the backend is
/// shared (nats or redis) and either <c>[agents] distributed = true</c> or a live worker serves
/// <c>agent_task</c>; otherwise in this process.
/// </summary>
internal static class WorkflowExecutorChoice
{
    /// <summary>The queued executor, or null to run in process.</summary>
    public static async Task<QueuedTaskExecutor?> QueuedAsync(
        IServiceProvider services, AgentOptions options, Func<WorkflowEvent, CancellationToken, ValueTask> events, CancellationToken cancellationToken)
    {
        var runtime = services.GetService<RuntimeOptions>();
        if (runtime is null || runtime.Tier is not (RuntimeTier.Nats or RuntimeTier.Redis))
        {
            return null;
        }

        var distributed = options.Distributed;
        if (!distributed && services.GetService<IAgentRegistry>() is { } registry)
        {
            var workers = await registry.DiscoverAsync([AgentTaskHandler.TaskKind], cancellationToken).ConfigureAwait(false);
            distributed = workers.Count > 0;
        }

        if (!distributed)
        {
            return null;
        }

        var backend = services.GetRequiredService<RuntimeBackend>();
        return new QueuedTaskExecutor(backend.TaskQueue, backend.StateStore(RuntimeAreas.Results), backend.EventBus) { Events = events };
    }
}
