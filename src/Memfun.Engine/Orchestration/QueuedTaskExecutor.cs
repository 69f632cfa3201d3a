using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Memfun.Engine.Agents;
using Memfun.Engine.Llm;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.Stored;
using Memfun.Engine.Runtime.Workers;

namespace Memfun.Engine.Orchestration;

/// <summary>
/// Runs each workflow task as an <c>agent_task</c> on the runtime's <see cref="ITaskQueue"/>, for a worker on
/// any node sharing the backend (<c>memfun worker</c>) to pick up; waits for its result in the results store and
/// hands the staged operations back to the <see cref="WorkflowRunner"/>, which applies them on this node.
/// </summary>
/// <remarks>
/// The idempotency key is <c>workflowId/taskId/round</c>, so enqueueing twice is one task. A worker that dies
/// mid-task loses its lease and the task is delivered again; the worker stores its result with
/// first-write-wins, so a task has exactly one result, and since workers only stage, every operation is
/// applied once, by the coordinator. A task carries what the request's token budget has left, and the tokens its
/// worker spent are charged to the request when its result comes back. Progress events of a task travel on the event bus under
/// <see cref="TopicFor"/> and are forwarded to <see cref="Events"/>.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The slot semaphore's wait handle is never created, so it holds nothing to dispose.")]
public sealed class QueuedTaskExecutor(ITaskQueue queue, IStateStore results, IEventBus bus) : IWorkflowTaskExecutor
{
    /// <summary>Receives the events workers publish for a task (<c>task.picked_up</c>, <c>task.progress</c>).</summary>
    public Func<WorkflowEvent, CancellationToken, ValueTask>? Events { get; init; }

    /// <summary>How long a task may take, queueing included, before it is reported failed (default 30 minutes).</summary>
    public TimeSpan TaskTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How often the results store is read as well as watched (default 250 ms).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How many tasks this executor has queued and is waiting on at once (default 64); the others of a large group
    /// wait for a slot before they are queued. Each waiting task holds one event subscription and one results
    /// watch on the backend (two JetStream consumers on NATS), so a group of a thousand tasks would otherwise
    /// open two thousand at once and time out the server's API. 64 keeps every worker busy in practice.
    /// </summary>
    public int MaxInFlight
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 64;

    private readonly Lock _gate = new();

    // Never disposed: a SemaphoreSlim whose wait handle is never asked for holds no unmanaged resource.
    private SemaphoreSlim? _slots;
    private TaskFeeds? _feeds;
    private int _users;

    private SemaphoreSlim Slots => LazyInitializer.EnsureInitialized(ref _slots, () => new SemaphoreSlim(MaxInFlight));

    /// <summary>The event-bus topic of one task of a workflow: <c>workflow.&lt;id&gt;.task.&lt;id&gt;</c>.</summary>
    public static string TopicFor(string workflowId, string taskId) => $"workflow.{Segment(workflowId)}.task.{Segment(taskId)}";

    /// <summary>The queue task id a workflow task gets (deterministic: <c>workflowId/taskId/round</c>).</summary>
    public static string QueueIdFor(string workflowId, string taskId, int round) =>
        Runtime.RuntimeNames.TaskIdFor(AgentTaskHandler.TaskKind, IdempotencyKey(workflowId, taskId, round));

    /// <inheritdoc />
    public async Task<WorkflowTaskOutcome> ExecuteAsync(string workflowId, WorkflowTask task, string context, int round, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TaskTimeout);
        var token = timeout.Token;
        try
        {
            await Slots.WaitAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WorkflowTaskOutcome(task, null, [], round, $"Task {task.Id} waited {TaskTimeout.TotalSeconds:0} s for one of the {MaxInFlight} queue slots of this workflow and was not queued.");
        }

        try
        {
            return await QueueAndWaitAsync(workflowId, task, context, round, token, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Slots.Release();
        }
    }

    private async Task<WorkflowTaskOutcome> QueueAndWaitAsync(string workflowId, WorkflowTask task, string context, int round, CancellationToken token, CancellationToken cancellationToken)
    {
        var feeds = Acquire();
        try
        {
            await feeds.StartAsync(workflowId, token).ConfigureAwait(false);
            var topic = TopicFor(workflowId, task.Id);
            var payload = JsonSerializer.Serialize(new AgentTaskPayload(workflowId, task, context, round, CallDepth.Next, RemainingTokens()));
            var id = await queue.EnqueueAsync(TaskRequest.FromText(AgentTaskHandler.TaskKind, payload, TaskPriority.Normal, IdempotencyKey(workflowId, task.Id, round)), token).ConfigureAwait(false);
            await bus.PublishAsync(topic, EventBytes("task.published", task, $"queued as {id}"), token).ConfigureAwait(false);

            var stored = await WaitForResultAsync(feeds, id, token).ConfigureAwait(false);
            var record = StoredJson.Read<TaskResult>(stored.Value);
            var reply = JsonSerializer.Deserialize<AgentTaskReply>(record.Result)
                ?? throw new InvalidDataException($"The result of task {task.Id} was empty.");
            if (reply.Result is { } done)
            {
                // The worker's model ran for this request: its tokens count against the request's budget here.
                LlmRequestScope.Current?.Record(new LlmUsage(done.Iterations, done.InputTokens, done.OutputTokens));
            }

            return new WorkflowTaskOutcome(task, reply.Result, reply.Staged ?? [], round, reply.Error);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WorkflowTaskOutcome(task, null, [], round, $"No worker finished task {task.Id} within {TaskTimeout.TotalSeconds:0} s: is a `memfun worker` serving {AgentTaskHandler.TaskKind} on this backend?");
        }
        finally
        {
            await ReleaseAsync(feeds).ConfigureAwait(false);
        }
    }

    /// <summary>The shared feeds, started once for all the tasks this executor waits on at the same time.</summary>
    private TaskFeeds Acquire()
    {
        lock (_gate)
        {
            _users++;
            return _feeds ??= new TaskFeeds(this, results, bus);
        }
    }

    /// <summary>Stops the feeds when the last task waiting on them is done (between groups, at the end).</summary>
    private async Task ReleaseAsync(TaskFeeds feeds)
    {
        TaskFeeds? done = null;
        lock (_gate)
        {
            if (--_users == 0 && ReferenceEquals(_feeds, feeds))
            {
                done = _feeds;
                _feeds = null;
            }
        }

        if (done is not null)
        {
            await done.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<StateEntry> WaitForResultAsync(TaskFeeds feeds, string id, CancellationToken cancellationToken)
    {
        using var changed = new SemaphoreSlim(0);
        feeds.Waiters[id] = changed;
        try
        {
            while (true)
            {
                if (await results.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    return entry;
                }

                await changed.WaitAsync(PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            feeds.Waiters.TryRemove(new KeyValuePair<string, SemaphoreSlim>(id, changed));
        }
    }

    /// <summary>What the current request's token budget has left for a queued task: 0 when unlimited, at least 1.</summary>
    private static long RemainingTokens() =>
        LlmRequestScope.Current is { TokenBudget: > 0 } scope ? Math.Max(1, scope.TokenBudget - scope.Usage.TotalTokens) : 0;

    /// <summary>The bytes of a task event on the bus.</summary>
    internal static byte[] EventBytes(string type, WorkflowTask task, string? detail) =>
        JsonSerializer.SerializeToUtf8Bytes(new TaskEventBody(type, task.Id, task.Agent, detail));

    private async Task ForwardAsync(IRuntimeSubscription<BusEvent> subscription, string workflowId, CancellationToken cancellationToken)
    {
        await foreach (var e in subscription.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            TaskEventBody? body;
            try
            {
                body = JsonSerializer.Deserialize<TaskEventBody>(e.Data.Span);
            }
            catch (JsonException)
            {
                continue;
            }

            // The runner reports published/completed/failed itself; workers' events are forwarded.
            if (body is { Type: not "task.published" } && Events is { } sink)
            {
                await sink(new WorkflowEvent(body.Type, workflowId, body.TaskId, body.Agent, body.Detail, e.Timestamp), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string IdempotencyKey(string workflowId, string taskId, int round) => $"{workflowId}/{taskId}/{round}";

    private static string Segment(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        }

        return sb.Length == 0 ? "_" : sb.ToString();
    }

    private sealed record TaskEventBody(string Type, string TaskId, string Agent, string? Detail);

    /// <summary>
    /// One results watch and one event subscription per workflow, shared by every task waiting at the same time,
    /// instead of one of each per task (two JetStream consumers per task on NATS).
    /// </summary>
    private sealed class TaskFeeds(QueuedTaskExecutor owner, IStateStore results, IEventBus bus) : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task<(IRuntimeSubscription<StateChange> Watch, Task Signalling)>? _watching;
        private readonly ConcurrentDictionary<string, Lazy<Task<(IRuntimeSubscription<BusEvent> Subscription, Task Forwarding)>>> _events = new(StringComparer.Ordinal);

        /// <summary>Result key → the semaphore its waiter sleeps on.</summary>
        public ConcurrentDictionary<string, SemaphoreSlim> Waiters { get; } = new(StringComparer.Ordinal);

        /// <summary>Starts (once) the results watch and the workflow's event subscription; both exist before a task is queued.</summary>
        public async Task StartAsync(string workflowId, CancellationToken cancellationToken)
        {
            var results = StartResults();
            var events = _events.GetOrAdd(workflowId, wf => new Lazy<Task<(IRuntimeSubscription<BusEvent>, Task)>>(() => SubscribeAsync(wf)));
            await results.WaitAsync(cancellationToken).ConfigureAwait(false);
            await events.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        private Task<(IRuntimeSubscription<StateChange> Watch, Task Signalling)> StartResults()
        {
            lock (Waiters)
            {
                _watching ??= WatchResultsAsync();
                return _watching;
            }
        }

        private async Task<(IRuntimeSubscription<StateChange> Watch, Task Signalling)> WatchResultsAsync()
        {
            // Queue ids of idempotent tasks (every workflow task) start with 'k'; other keys are skipped by the lookup.
            var watch = await results.WatchAsync("k", _stop.Token).ConfigureAwait(false);
            var signalling = Task.Run(async () =>
            {
                await foreach (var change in watch.ReadAllAsync(_stop.Token).ConfigureAwait(false))
                {
                    if (Waiters.TryGetValue(change.Key, out var waiter))
                    {
                        waiter.Release();
                    }
                }
            }, CancellationToken.None);
            return (watch, signalling);
        }

        private async Task<(IRuntimeSubscription<BusEvent>, Task)> SubscribeAsync(string workflowId)
        {
            var subscription = await bus.SubscribeAsync($"workflow.{Segment(workflowId)}.task.*", null, _stop.Token).ConfigureAwait(false);
            return (subscription, owner.ForwardAsync(subscription, workflowId, _stop.Token));
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            Task<(IRuntimeSubscription<StateChange> Watch, Task Signalling)>? watching;
            lock (Waiters)
            {
                watching = _watching;
            }

            if (watching is { IsCompletedSuccessfully: true })
            {
                await watching.Result.Watch.DisposeAsync().ConfigureAwait(false);
                await Quietly(watching.Result.Signalling).ConfigureAwait(false);
            }

            foreach (var lazy in _events.Values.Where(l => l.IsValueCreated))
            {
                if (lazy.Value is { IsCompletedSuccessfully: true } created)
                {
                    await created.Result.Subscription.DisposeAsync().ConfigureAwait(false);
                    await Quietly(created.Result.Forwarding).ConfigureAwait(false);
                }
            }

            _stop.Dispose();
        }

        private static async Task Quietly(Task task)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped with the feeds.
            }
        }
    }
}
