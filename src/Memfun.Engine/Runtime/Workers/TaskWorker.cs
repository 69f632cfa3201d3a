using System.Text.Json;
using Memfun.Engine.Runtime.Abstractions;
using Microsoft.Extensions.Logging;

namespace Memfun.Engine.Runtime.Workers;

/// <summary>Runs queued tasks of the kinds its handlers serve: registers itself (with heartbeats), leases tasks,
/// keeps their leases alive while they run, records each result once, and publishes events.</summary>
/// <remarks>
/// <para>Events: <c>worker.online</c>, <c>worker.offline</c>, <c>task.{kind}.started</c>, <c>task.{kind}.completed</c>
/// (only by the worker whose result was recorded first), <c>task.{kind}.failed</c>; payloads are JSON.</para>
/// <para>Exactly-once from the caller's view: a result is recorded with compare-and-set on the task id, so a task
/// redelivered after its worker died (or ran twice) yields one result and one completed event. A redelivered task whose
/// result is already recorded is acked without running again. A task is acknowledged only once a result is stored (its
/// own or another worker's); when none can be stored it is given back to the queue, never dropped.</para>
/// </remarks>
public sealed partial class TaskWorker
{
    private readonly IEventBus _events;
    private readonly ITaskQueue _queue;
    private readonly IAgentRegistry _registry;
    private readonly IStateStore _results;
    private readonly ISandbox _sandbox;
    private readonly TaskHandlerRegistry _handlers;
    private readonly TaskWorkerOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a worker over the runtime's services.</summary>
    /// <param name="events">Where events go.</param>
    /// <param name="queue">Where tasks come from.</param>
    /// <param name="registry">Where the worker registers.</param>
    /// <param name="results">The results store (the <c>results</c> area).</param>
    /// <param name="sandbox">Where handlers run commands.</param>
    /// <param name="handlers">The kinds served.</param>
    /// <param name="options">Id, concurrency, heartbeat.</param>
    /// <param name="logger">Logs.</param>
    public TaskWorker(IEventBus events, ITaskQueue queue, IAgentRegistry registry, IStateStore results, ISandbox sandbox,
        TaskHandlerRegistry handlers, TaskWorkerOptions options, ILogger logger)
    {
        _events = events;
        _queue = queue;
        _registry = registry;
        _results = results;
        _sandbox = sandbox;
        _handlers = handlers;
        _options = options;
        _logger = logger;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Concurrency, 256);
        if (handlers.Kinds.Count == 0)
        {
            throw new ArgumentException("A worker needs at least one task kind to serve.", nameof(handlers));
        }
    }

    /// <summary>The worker's id.</summary>
    public string Id => _options.Id;

    /// <summary>Runs until <paramref name="cancellationToken"/> fires; then stops leasing, gives back unfinished tasks
    /// and goes offline.</summary>
    /// <param name="ready">Called once registered and online.</param>
    /// <param name="cancellationToken">Stops the worker.</param>
    public async Task RunAsync(Action? ready = null, CancellationToken cancellationToken = default)
    {
        var kinds = _handlers.Kinds;
        await _registry.RegisterAsync(new AgentRegistration(Id, Id, kinds, _options.StaleAfter, _options.Metadata), cancellationToken).ConfigureAwait(false);
        await PublishAsync("worker.online", new { worker = Id, kinds }, CancellationToken.None).ConfigureAwait(false);
        LogOnline(Id, string.Join(",", kinds));
        ready?.Invoke();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = HeartbeatAsync(stop.Token);
        var running = new List<Task>();
        using var slots = new SemaphoreSlim(_options.Concurrency);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                var free = 1;
                while (slots.Wait(0))
                {
                    free++;
                }

                IReadOnlyList<TaskLease> leases;
                try
                {
                    leases = await _queue.LeaseAsync(kinds, free, TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception) when (cancellationToken.IsCancellationRequested)
                {
                    slots.Release(free);
                    break;
                }
                catch (Exception ex) when (ex is not RuntimeUnavailableException)
                {
                    // Not the server being away for longer than the retry budget (that stops the worker with one clear
                    // line): log it and lease again shortly, without dying.
                    slots.Release(free);
                    LogLeaseFailed(Id, ex.GetType().Name, ex.Message);
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (free > leases.Count)
                {
                    slots.Release(free - leases.Count);
                }

                foreach (var lease in leases)
                {
                    running.Add(Task.Run(async () =>
                    {
                        try
                        {
                            await ProcessAsync(lease, cancellationToken).ConfigureAwait(false);
                        }
                        catch (Exception ex)
                        {
                            // Not acknowledged: the lease runs out and the task is delivered again.
                            LogFailed(Id, lease.Kind, lease.Id, lease.Attempt, ex.Message);
                        }
                        finally
                        {
                            slots.Release();
                        }
                    }, CancellationToken.None));
                }

                running.RemoveAll(t => t.IsCompleted);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            await Task.WhenAll(running).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await heartbeat.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await PublishAsync("worker.offline", new { worker = Id }, grace.Token).ConfigureAwait(false);
                await _registry.UnregisterAsync(Id, grace.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or RuntimeUnavailableException)
            {
                LogOfflineFailed(Id, ex.Message);
            }

            LogOffline(Id);
        }
    }

    private async Task ProcessAsync(TaskLease lease, CancellationToken cancellationToken)
    {
        if (await _results.GetAsync(lease.Id, CancellationToken.None).ConfigureAwait(false) is not null)
        {
            // Completed before (its worker died before acking): do not run it again.
            await _queue.AckAsync(lease, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        if (!_handlers.TryGet(lease.Kind, out var handler))
        {
            await _queue.NackAsync(lease, TimeSpan.FromSeconds(5), $"worker {Id} has no handler for '{lease.Kind}'", CancellationToken.None).ConfigureAwait(false);
            return;
        }

        await PublishAsync($"task.{lease.Kind}.started", new { id = lease.Id, worker = Id, attempt = lease.Attempt }, CancellationToken.None).ConfigureAwait(false);
        LogStarted(Id, lease.Kind, lease.Id, lease.Attempt);
        using var keepAlive = new CancellationTokenSource();
        var extender = ExtendAsync(lease, keepAlive.Token);
        string result;
        try
        {
            var context = new TaskContext(lease.Id, lease.Kind, lease.Text, lease.Attempt, Id, _sandbox, _events);
            result = await handler.HandleAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await StopExtendingAsync(keepAlive, extender).ConfigureAwait(false);
            await _queue.NackAsync(lease, TimeSpan.Zero, $"worker {Id} stopped", CancellationToken.None).ConfigureAwait(false);
            return;
        }
        catch (Exception ex)
        {
            await StopExtendingAsync(keepAlive, extender).ConfigureAwait(false);
            LogFailed(Id, lease.Kind, lease.Id, lease.Attempt, ex.Message);
            await PublishAsync($"task.{lease.Kind}.failed", new { id = lease.Id, worker = Id, attempt = lease.Attempt, error = ex.Message }, CancellationToken.None).ConfigureAwait(false);
            var delay = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, lease.Attempt - 1)));
            await _queue.NackAsync(lease, delay, ex.Message, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        await StopExtendingAsync(keepAlive, extender).ConfigureAwait(false);
        var record = new TaskResult(lease.Id, lease.Kind, Id, lease.Attempt, result, DateTimeOffset.UtcNow);
        if (await RecordAsync(record).ConfigureAwait(false) is not { } first)
        {
            // No result is stored (neither ours nor another's): acknowledging would lose the task. Give it back.
            LogResultMissing(Id, lease.Kind, lease.Id, lease.Attempt);
            await _queue.NackAsync(lease, TimeSpan.Zero, $"worker {Id} could not record the result", CancellationToken.None).ConfigureAwait(false);
            return;
        }

        if (first)
        {
            // Deduplicated by task: a publish retried after the server stored it and died before replying is stored once.
            await PublishAsync($"task.{lease.Kind}.completed", new { id = lease.Id, worker = Id, attempt = lease.Attempt, result }, CancellationToken.None,
                deduplicationId: $"task-completed-{lease.Id}").ConfigureAwait(false);
        }

        await _queue.AckAsync(lease, CancellationToken.None).ConfigureAwait(false);
        LogCompleted(Id, lease.Kind, lease.Id, lease.Attempt, first);
    }

    /// <summary>Records <paramref name="record"/> unless a result is there already, and checks that one is stored.</summary>
    /// <returns><see langword="true"/> when this attempt's result is the one stored (announce it),
    /// <see langword="false"/> when another's is (do not), <see langword="null"/> when none is stored (do not acknowledge).</returns>
    /// <remarks>The store reports a write whose reply was lost and retried as done; should a store still answer "not
    /// written", a stored result with this worker and attempt is recognised as ours here.</remarks>
    private async Task<bool?> RecordAsync(TaskResult record)
    {
        var data = JsonSerializer.SerializeToUtf8Bytes(record, Stored.StoredJson.Options);
        for (var tries = 0; tries < 3; tries++)
        {
            if (await _results.TryUpdateAsync(record.Id, data, 0, null, CancellationToken.None).ConfigureAwait(false) is not null)
            {
                return true;
            }

            if (await _results.GetAsync(record.Id, CancellationToken.None).ConfigureAwait(false) is { } stored)
            {
                var theirs = JsonSerializer.Deserialize<TaskResult>(stored.Value.Span, Stored.StoredJson.Options);
                return theirs is not null && theirs.Worker == record.Worker && theirs.Attempt == record.Attempt;
            }
        }

        return null;
    }

    private async Task ExtendAsync(TaskLease lease, CancellationToken cancellationToken)
    {
        var every = TimeSpan.FromTicks(Math.Max(_queue.Options.VisibilityTimeout.Ticks / 3, TimeSpan.TicksPerMillisecond * 100));
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await _queue.ExtendAsync(lease, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Done.
        }
        catch (RuntimeUnavailableException ex)
        {
            LogExtendFailed(Id, lease.Id, ex.Message);
        }
    }

    private static async Task StopExtendingAsync(CancellationTokenSource keepAlive, Task extender)
    {
        await keepAlive.CancelAsync().ConfigureAwait(false);
        await extender.ConfigureAwait(false);
    }

    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                if (!await _registry.HeartbeatAsync(Id, cancellationToken).ConfigureAwait(false))
                {
                    await _registry.RegisterAsync(new AgentRegistration(Id, Id, _handlers.Kinds, _options.StaleAfter, _options.Metadata), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (RuntimeUnavailableException ex)
            {
                LogHeartbeatFailed(Id, ex.Message);
            }
        }
    }

    private async Task PublishAsync(string topic, object payload, CancellationToken cancellationToken, string? deduplicationId = null)
    {
        var data = JsonSerializer.SerializeToUtf8Bytes(payload);
        await (deduplicationId is null
            ? _events.PublishAsync(topic, data, cancellationToken)
            : _events.PublishAsync(topic, data, deduplicationId, cancellationToken)).ConfigureAwait(false);
    }

    [LoggerMessage(2101, LogLevel.Information, "Worker {Worker} online, serving {Kinds}")]
    private partial void LogOnline(string worker, string kinds);

    [LoggerMessage(2102, LogLevel.Information, "Worker {Worker} offline")]
    private partial void LogOffline(string worker);

    [LoggerMessage(2103, LogLevel.Debug, "Worker {Worker} started {Kind} task {TaskId} (attempt {Attempt})")]
    private partial void LogStarted(string worker, string kind, string taskId, int attempt);

    [LoggerMessage(2104, LogLevel.Debug, "Worker {Worker} completed {Kind} task {TaskId} (attempt {Attempt}, first result: {First})")]
    private partial void LogCompleted(string worker, string kind, string taskId, int attempt, bool first);

    [LoggerMessage(2105, LogLevel.Warning, "Worker {Worker}: {Kind} task {TaskId} failed on attempt {Attempt}: {Error}")]
    private partial void LogFailed(string worker, string kind, string taskId, int attempt, string error);

    [LoggerMessage(2106, LogLevel.Warning, "Worker {Worker}: heartbeat failed: {Error}")]
    private partial void LogHeartbeatFailed(string worker, string error);

    [LoggerMessage(2107, LogLevel.Warning, "Worker {Worker}: could not extend the lease of task {TaskId}: {Error}")]
    private partial void LogExtendFailed(string worker, string taskId, string error);

    [LoggerMessage(2108, LogLevel.Warning, "Worker {Worker}: could not announce going offline: {Error}")]
    private partial void LogOfflineFailed(string worker, string error);

    [LoggerMessage(2109, LogLevel.Warning, "Worker {Worker}: leasing failed ({Type}): {Error}; leasing again in 1 s")]
    private partial void LogLeaseFailed(string worker, string type, string error);

    [LoggerMessage(2110, LogLevel.Warning, "Worker {Worker}: {Kind} task {TaskId} (attempt {Attempt}) ran but no result could be recorded; given back to the queue")]
    private partial void LogResultMissing(string worker, string kind, string taskId, int attempt);
}
