using Memfun.Engine.Agents;
using Microsoft.Extensions.AI;

namespace Memfun.Engine.Orchestration;

/// <summary>Runs workflow tasks in this process: the task's specialist over a staging tool host.</summary>
public sealed class InProcessTaskExecutor(AgentCatalog catalog, IChatClient chat, IAgentToolHost tools, IProgress<string>? progress = null) : IWorkflowTaskExecutor
{
    private readonly SpecialistRunner _runner = new();

    /// <inheritdoc />
    public async Task<WorkflowTaskOutcome> ExecuteAsync(string workflowId, WorkflowTask task, string context, int round, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        var agent = catalog.Get(task.Agent);
        var staging = new StagingToolHost(tools, task.Id);
        var result = await _runner.RunAsync(agent, task.Description, context, chat, staging, progress, task.MaxIterations, cancellationToken).ConfigureAwait(false);
        return new WorkflowTaskOutcome(task, result, staging.Staged, round);
    }
}
