using System.Text.Json;
using Memfun.Engine.Agents;
using Memfun.Engine.Llm;
using Memfun.Engine.Runtime.Workers;
using Microsoft.Extensions.AI;

namespace Memfun.Engine.Orchestration;

/// <summary>
/// The worker side of a distributed workflow: runs the queued task's specialist with this node's model over a
/// <see cref="StagingToolHost"/> on <c>tools</c> (the coordinator's workspace, reached through its MCP tools),
/// and returns the staged operations for the coordinator to apply. The specialist's progress lines travel back
/// as <c>task.progress</c> events on the task's topic.
/// </summary>
/// <remarks>
/// Writes nothing itself. A specialist failure comes back as an <see cref="AgentTaskReply.Error"/> (reported,
/// not retried); only an infrastructure failure (the coordinator unreachable) throws, so the queue retries.
/// </remarks>
public sealed class AgentTaskHandler(AgentCatalog catalog, IChatClient chat, IAgentToolHost tools) : ITaskHandler
{
    /// <summary>The task kind of a workflow task.</summary>
    public const string TaskKind = "agent_task";

    private readonly SpecialistRunner _runner = new();

    /// <inheritdoc />
    public string Kind => TaskKind;

    /// <inheritdoc />
    public async ValueTask<string> HandleAsync(TaskContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = JsonSerializer.Deserialize<AgentTaskPayload>(context.Payload)
            ?? throw new InvalidDataException("An agent_task payload was empty.");
        var topic = QueuedTaskExecutor.TopicFor(payload.WorkflowId, payload.Task.Id);
        await context.Events.PublishAsync(topic, QueuedTaskExecutor.EventBytes("task.picked_up", payload.Task, $"worker {context.WorkerId}, attempt {context.Attempt}"), cancellationToken).ConfigureAwait(false);

        AgentTaskReply reply;
        CallDepth.Current = payload.Depth; // the agent's calls back to the coordinator carry it
        using var budget = payload.TokenBudget > 0 ? LlmRequestScope.Begin(payload.TokenBudget, TimeSpan.Zero) : null; // the coordinator's request's leftover
        var staging = new StagingToolHost(tools, payload.Task.Id);
        var progress = new TaskProgressPublisher(context.Events, topic, payload.Task, cancellationToken);
        try
        {
            var agent = catalog.Get(payload.Task.Agent);
            var result = await _runner.RunAsync(agent, payload.Task.Description, payload.Context, chat, staging, progress, payload.Task.MaxIterations, cancellationToken).ConfigureAwait(false);
            reply = new AgentTaskReply(result, staging.Staged, null, context.WorkerId);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (HttpRequestException)
        {
            throw; // The coordinator is unreachable: let the queue deliver the task again.
        }
#pragma warning disable CA1031 // The specialist's failure is the task's result, reported to the coordinator.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            reply = new AgentTaskReply(null, [], ex.Message, context.WorkerId);
        }
        finally
        {
            await progress.DisposeAsync().ConfigureAwait(false); // the lines reach the coordinator before the result
        }

        return JsonSerializer.Serialize(reply);
    }
}
