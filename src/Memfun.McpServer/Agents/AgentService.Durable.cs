using System.Collections.Concurrent;
using Memfun.Engine.Orchestration;
using Memfun.Tools.Workspace;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Agents;

/// <summary>Workflows that outlive their coordinator: the lease while one runs here, resume, cancel and the stored state.</summary>
internal sealed partial class AgentService
{
    /// <summary>The workflows coordinated by this process now, each with what stops it.</summary>
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);

    /// <summary>The workflow store of the runtime's backend, or null when this server has no runtime.</summary>
    public WorkflowStore? Store => services.GetService<WorkflowStore>();

    /// <summary>
    /// A stored workflow's state as a user should read it: its record's state, or <c>interrupted</c> when it has not ended,
    /// no process here runs it and no live coordinator holds its lease (its coordinator died or stopped).
    /// </summary>
    public async Task<string> EffectiveStateAsync(WorkflowRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.IsTerminal || _running.ContainsKey(record.Id) || Store is not { } store)
        {
            return record.State;
        }

        var holder = await store.LeaseHolderAsync(record.Id, cancellationToken);
        return holder is null || holder.IsKnownGone() ? "interrupted" : record.State;
    }

    /// <summary>
    /// Runs the rest of a stored workflow whose coordinator stopped: finished tasks are not run again and staged changes
    /// already applied are not applied again (see <see cref="WorkflowRunner.ResumeAsync"/>).
    /// </summary>
    public async Task<WorkflowResult> ResumeWorkflowAsync(
        string id,
        RequestContext<CallToolRequestParams> call,
        IProgress<ProgressNotificationValue>? progress,
        CancellationToken cancellationToken)
    {
        var store = Store ?? throw new McpException("This server keeps no workflows beyond its memory (it has no runtime backend), so none can be resumed.");
        var (record, _) = await store.GetAsync(id, cancellationToken) ?? throw Unknown(id);
        if (record.IsTerminal)
        {
            throw new McpException($"Workflow {id} already ended ({record.State}): there is nothing to resume.");
        }

        if (_running.ContainsKey(id))
        {
            throw new McpException($"Workflow {id} is running in this server now: workflow_status shows its progress.");
        }

        var status = workflows.Start(id, record.Request);
        status.Plan = record.Plan;
        return await CoordinateAsync(id, store, call, progress, cancellationToken, async (runner, report, token) =>
        {
            // Read again under the lease: it may have been cancelled or resumed elsewhere meanwhile.
            var (current, _) = await store.GetAsync(id, token) ?? throw Unknown(id);
            if (current.IsTerminal)
            {
                throw new McpException($"Workflow {id} ended ({current.State}) while this resume started: there is nothing to resume.");
            }

            if (current.Plan is null)
            {
                report("resuming: the workflow was not planned yet");
                return await PlanAndRunAsync(status, runner, call, report, token);
            }

            report($"resuming while {current.State}");
            return await runner.ResumeAsync(current, token);
        });
    }

    /// <summary>
    /// Cancels a workflow that has not started applying its changes: nothing more of it runs and nothing of it is applied.
    /// One coordinated here stops at once; one coordinated by another process stops at its next step.
    /// </summary>
    public async Task<WorkflowRecord> CancelWorkflowAsync(string id, CancellationToken cancellationToken)
    {
        var store = Store ?? throw new McpException("This server keeps no workflows beyond its memory (it has no runtime backend), so none can be cancelled.");
        var (record, _) = await store.GetAsync(id, cancellationToken) ?? throw Unknown(id);
        if (record.IsTerminal)
        {
            throw new McpException($"Workflow {id} already ended ({record.State}).");
        }

        var now = DateTimeOffset.UtcNow;
        var updated = await store.UpdateAsync(id, r => r.State == "applying" ? r : r with { State = "cancelled", Detail = $"cancelled with workflow_control at {now:yyyy-MM-dd HH:mm:ss} UTC" }, cancellationToken);
        if (updated.State == "applying")
        {
            throw new McpException($"Workflow {id} is applying its changes, so it can no longer be cancelled: resume it (workflow_control resume) to finish applying them once.");
        }

        if (updated.State != "cancelled")
        {
            throw new McpException($"Workflow {id} already ended ({updated.State}).");
        }

        if (_running.TryGetValue(id, out var stop))
        {
            await stop.CancelAsync();
        }

        workflows.Record(new WorkflowEvent("workflow.completed", id, null, null, "cancelled", now));
        return updated;
    }

    /// <summary>
    /// Coordinates workflow <paramref name="id"/> here: takes its lease (refused while a live coordinator holds it), runs
    /// <paramref name="body"/> with the runner, and maps a cancellation by <c>workflow_control</c> cancel or a lost lease to a clear
    /// error. A call cancelled by its client, or any failure, leaves the workflow interrupted: resumable or cancellable.
    /// </summary>
    private async Task<WorkflowResult> CoordinateAsync(
        string id,
        WorkflowStore? store,
        RequestContext<CallToolRequestParams> call,
        IProgress<ProgressNotificationValue>? progress,
        CancellationToken cancellationToken,
        Func<WorkflowRunner, Action<string>, CancellationToken, Task<WorkflowResult>> body)
    {
        var step = 0;
        void Report(string message) => progress?.Report(new ProgressNotificationValue { Progress = ++step, Message = message });

        WorkflowLease? lease = null;
        if (store is not null)
        {
            (lease, var holder) = await WorkflowLease.TryTakeAsync(store, id, cancellationToken);
            if (lease is null)
            {
                throw new McpException(
                    $"Workflow {id} is coordinated by {holder}, which renews its lease while it runs: resume it once that process has stopped " +
                    $"(at most {store.LeaseDuration.TotalSeconds:0} s after it died on another machine; at once on this one).");
            }
        }

        await using (lease)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease?.Lost ?? CancellationToken.None);
            _running[id] = stop;
            try
            {
                var runner = await RunnerAsync(store, call, Report, stop.Token);
                var result = await body(runner, Report, stop.Token);
                if (workflows.Find(id) is { } status)
                {
                    status.Result = result;
                }

                return result;
            }
            catch (WorkflowCancelledException ex)
            {
                throw new McpException(ex.Message + " Nothing more of it ran and nothing of it was applied.", ex);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && lease is { Lost.IsCancellationRequested: true })
            {
                throw new McpException($"Workflow {id} was taken over by another coordinator (this one could not renew its lease in time); it goes on there.", ex);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && stop.IsCancellationRequested)
            {
                throw new McpException($"Workflow {id} was cancelled with workflow_control. Nothing more of it ran and nothing of it was applied.", ex);
            }
            finally
            {
                _running.TryRemove(new KeyValuePair<string, CancellationTokenSource>(id, stop));
            }
        }
    }

    /// <summary>A workspace file's bytes for the apply journal, or null when it does not exist (or is not a file of the workspace).</summary>
    private async Task<byte[]?> ReadWorkspaceFileAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var full = services.GetRequiredService<PathGuard>().Resolve(path);
            return File.Exists(full) ? await File.ReadAllBytesAsync(full, cancellationToken) : null;
        }
        catch (WorkspaceAccessException)
        {
            return null; // the apply itself reports the bad path
        }
    }

    private static McpException Unknown(string id) =>
        new($"There is no workflow '{id}' in this server or its backend. Call workflow_status without an id to list them.");
}
