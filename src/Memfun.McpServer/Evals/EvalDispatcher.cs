using System.Collections.Concurrent;
using System.Text.Json;
using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.Stored;
using Memfun.Engine.Runtime.Workers;

namespace Memfun.McpServer.Evals;

/// <summary>
/// Runs a suite on <c>memfun worker --kinds eval_task</c> processes: queues one <c>eval_task</c> per task on the backend
/// (idempotency key <c>runId/taskId</c>), reports starts from the bus, collects each result from the results store and
/// assembles the report in the suite's order.
/// </summary>
/// <remarks>
/// A dead-lettered task, or one no worker finishes within <see cref="TaskTimeout"/> after the run's last progress, is
/// reported as errored; the run never waits forever. Every attempt a worker starts is reported once: from the bus as it
/// starts (a worker may start a task before its enqueue has returned here), or from its result when the bus's notice
/// has not come by then (a late or lost event).
/// </remarks>
internal sealed class EvalDispatcher(RuntimeBackend backend, IProgress<EvalEvent>? progress = null)
{
    /// <summary>How long the run waits for the next result before giving up on the rest (default 40 minutes).</summary>
    public TimeSpan TaskTimeout { get; init; } = TimeSpan.FromMinutes(40);

    /// <summary>How long each queued agent may work (default 30 minutes).</summary>
    public TimeSpan AgentTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How often results are looked for (default 250 ms).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public async Task<EvalReport> RunAsync(EvalSuite suite, string? repos, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suite);
        var startedAt = DateTimeOffset.UtcNow;
        var runId = Guid.NewGuid().ToString("N")[..12];
        var registry = new StoredAgentRegistry(backend.StateStore(RuntimeAreas.Agents));
        if ((await registry.DiscoverAsync([EvalRunner.TaskKind], cancellationToken).ConfigureAwait(false)).Count == 0)
        {
            progress?.Report(new EvalEvent("waiting", "(run)", $"no worker serving {EvalRunner.TaskKind} is registered on {backend.Tier} yet: start `memfun worker --kinds {EvalRunner.TaskKind}`"));
        }

        var queueIds = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var started = new ConcurrentDictionary<(string QueueId, int Attempt), byte>();
        await using var starts = await backend.EventBus.SubscribeAsync($"task.{EvalRunner.TaskKind}.started", cancellationToken: cancellationToken).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reporting = ReportStartsAsync(starts, queueIds, started, stop.Token);

        var results = backend.StateStore(RuntimeAreas.Results);
        var pending = new Dictionary<string, EvalTask>(StringComparer.Ordinal);
        foreach (var task in suite.Tasks)
        {
            var payload = JsonSerializer.Serialize(new EvalTaskPayload(runId, suite.Path, repos, task.Id, (int)AgentTimeout.TotalSeconds), EvalJson.Options);
            var request = TaskRequest.FromText(EvalRunner.TaskKind, payload, TaskPriority.Normal, $"{runId}/{task.Id}");

            // Known before it is queued: a worker may announce its start before the enqueue returns.
            queueIds[RuntimeNames.TaskIdOf(request)] = task.Id;
            var id = await backend.TaskQueue.EnqueueAsync(request, cancellationToken).ConfigureAwait(false);
            queueIds[id] = task.Id;
            pending[id] = task;
            progress?.Report(new EvalEvent("queued", task.Id, id));
        }

        var done = new Dictionary<string, EvalTaskResult>(StringComparer.Ordinal);
        var lastProgress = DateTimeOffset.UtcNow;
        var nextDeadCheck = DateTimeOffset.UtcNow;
        while (pending.Count > 0)
        {
            foreach (var (id, task) in pending.ToList())
            {
                if (await results.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } entry)
                {
                    continue;
                }

                var record = StoredJson.Read<TaskResult>(entry.Value);
                if (started.TryAdd((id, record.Attempt), 0))
                {
                    progress?.Report(new EvalEvent("started", task.Id, record.Worker));
                }

                var result = Read(record.Result, task) with { RanOn = record.Worker };
                Finish(id, task, result);
            }

            if (pending.Count > 0 && DateTimeOffset.UtcNow >= nextDeadCheck)
            {
                nextDeadCheck = DateTimeOffset.UtcNow.AddSeconds(5);
                await foreach (var dead in backend.TaskQueue.ListDeadAsync(EvalRunner.TaskKind, cancellationToken).ConfigureAwait(false))
                {
                    if (pending.TryGetValue(dead.Id, out var task))
                    {
                        Finish(dead.Id, task, Errored(task, $"The eval_task was given up on after {dead.Attempts} attempt(s): {dead.Reason ?? "no reason given"}."));
                    }
                }
            }

            if (pending.Count > 0 && DateTimeOffset.UtcNow - lastProgress > TaskTimeout)
            {
                foreach (var (id, task) in pending.ToList())
                {
                    Finish(id, task, Errored(task, $"No worker finished this task within {TaskTimeout.TotalMinutes:0} min of the run's last result: is a `memfun worker --kinds {EvalRunner.TaskKind}` running on this backend?"));
                }
            }

            if (pending.Count > 0)
            {
                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }

        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await reporting.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        return new EvalReport
        {
            Suite = suite.Name,
            SuitePath = suite.Path,
            Mode = $"workers ({backend.Tier})",
            StartedAt = startedAt,
            FinishedAt = DateTimeOffset.UtcNow,
            Tasks = [.. suite.Tasks.Select(t => done[t.Id])],
        };

        void Finish(string id, EvalTask task, EvalTaskResult result)
        {
            pending.Remove(id);
            done[task.Id] = result;
            lastProgress = DateTimeOffset.UtcNow;
            progress?.Report(new EvalEvent("finished", task.Id, result.RanOn, result));
        }
    }

    private static EvalTaskResult Errored(EvalTask task, string error) =>
        new() { Id = task.Id, Format = EvalRunner.FormatName(task.Format), Error = error };

    private static EvalTaskResult Read(string json, EvalTask task)
    {
        try
        {
            return JsonSerializer.Deserialize<EvalTaskResult>(json, EvalJson.Options) ?? Errored(task, "The worker's result was empty.");
        }
        catch (JsonException ex)
        {
            return Errored(task, "The worker's result is not an eval result: " + ex.Message);
        }
    }

    private async Task ReportStartsAsync(IRuntimeSubscription<BusEvent> starts, ConcurrentDictionary<string, string> queueIds,
        ConcurrentDictionary<(string QueueId, int Attempt), byte> started, CancellationToken cancellationToken)
    {
        await foreach (var e in starts.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                using var doc = JsonDocument.Parse(e.Data);
                var root = doc.RootElement;
                var attempt = root.TryGetProperty("attempt", out var a) && a.ValueKind == JsonValueKind.Number && a.TryGetInt32(out var n) ? n : 1;
                if (root.TryGetProperty("id", out var id) && id.GetString() is { } queueId && queueIds.TryGetValue(queueId, out var taskId)
                    && started.TryAdd((queueId, attempt), 0))
                {
                    progress?.Report(new EvalEvent("started", taskId, root.TryGetProperty("worker", out var w) ? w.GetString() : null));
                }
            }
            catch (JsonException)
            {
            }
        }
    }
}
