using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.InProcess;
using Memfun.Engine.Runtime.Local;
using Memfun.Engine.Runtime.Stored;
using Memfun.Engine.Runtime.Workers;
using Memfun.McpServer.Evals;
using Memfun.McpServer.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Memfun.McpServer.Tests.Evals;

/// <summary>
/// The dispatcher reports each task's start once, on the worker that ran it, however the bus's notice of the start and
/// the enqueue's return are ordered: a real in-process worker runs the suite's tasks (scored by their real tests) with
/// an agent that changes nothing.
/// </summary>
public sealed class EvalDispatcherTests
{
    [Fact]
    public async Task A_task_a_worker_starts_before_its_enqueue_returns_is_still_reported_started_on_that_worker()
    {
        // Each enqueue returns only once its task is done: the worker's start notice always comes before the id.
        using var ws = new TempWorkspace("memfun-eval");
        await using var inner = new InProcessBackend();
        await using var backend = new Wrapped(inner, queue: new ReturnsWhenDone(inner.TaskQueue, inner.EventBus));

        var events = await RunAsync(ws, inner, backend);

        AssertStartedOnceBeforeFinished(events);
    }

    [Fact]
    public async Task A_task_whose_start_notice_never_arrives_is_reported_started_from_its_result()
    {
        // The dispatcher's bus delivers nothing (as a pub/sub bus may drop a slow subscriber's events).
        using var ws = new TempWorkspace("memfun-eval");
        await using var inner = new InProcessBackend();
        await using var backend = new Wrapped(inner, bus: new DeliversNothing(inner.EventBus));

        var events = await RunAsync(ws, inner, backend);

        AssertStartedOnceBeforeFinished(events);
    }

    /// <summary>Runs the fixture suite through a dispatcher on <paramref name="backend"/> and one worker "w-test" on <paramref name="inner"/>.</summary>
    private static async Task<List<EvalEvent>> RunAsync(TempWorkspace ws, RuntimeBackend inner, RuntimeBackend backend)
    {
        var suite = EvalSuiteLoader.Load(EvalFixtures.WriteSuite(ws.Path));
        var handlers = new TaskHandlerRegistry().Add(new EvalTaskHandler(_ => new ChangesNothing()));
        var worker = new TaskWorker(inner.EventBus, inner.TaskQueue, new StoredAgentRegistry(inner.StateStore(RuntimeAreas.Agents)), inner.StateStore(RuntimeAreas.Results),
            new LocalProcessSandbox(ws.Path), handlers, new TaskWorkerOptions { Id = "w-test", Concurrency = 1 }, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var working = worker.RunAsync(ready.SetResult, stop.Token);
        await ready.Task;

        var progress = new Collected();
        var report = await new EvalDispatcher(backend, progress).RunAsync(suite, null);
        await stop.CancelAsync();
        await working;

        Assert.Equal(suite.Tasks.Select(t => t.Id), report.Tasks.Select(t => t.Id));
        Assert.All(report.Tasks, t => Assert.True(t.Error is null && t.RanOn == "w-test", $"{t.Id}: {t.Error} on {t.RanOn}"));
        return progress.Events;
    }

    private static void AssertStartedOnceBeforeFinished(List<EvalEvent> events)
    {
        foreach (var id in events.Where(e => e.Type == "queued").Select(e => e.TaskId))
        {
            var mine = events.Where(e => e.TaskId == id && e.Type is "started" or "finished").ToList();
            Assert.True(mine.Count == 2 && mine[0].Type == "started" && mine[0].Where == "w-test" && mine[1].Type == "finished",
                $"{id}: {string.Join(", ", mine.Select(e => $"{e.Type} {e.Where}"))}");
        }
    }

    /// <summary>Keeps every event in the order reported.</summary>
    private sealed class Collected : IProgress<EvalEvent>
    {
        private readonly List<EvalEvent> _events = [];

        public List<EvalEvent> Events
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        public void Report(EvalEvent value)
        {
            lock (_events)
            {
                _events.Add(value);
            }
        }
    }

    /// <summary>An agent that leaves the workspace as it is.</summary>
    private sealed class ChangesNothing : IEvalAgent
    {
        public Task<EvalAgentOutcome> RunAsync(EvalTask task, string workspace, EvalUsage usage, CancellationToken cancellationToken = default) =>
            Task.FromResult(new EvalAgentOutcome("test", "completed", "changed nothing", null, []));
    }

    /// <summary>A queue whose enqueue returns once the task's completion is announced on <paramref name="bus"/>.</summary>
    private sealed class ReturnsWhenDone(ITaskQueue inner, IEventBus bus) : DelegatingTaskQueue(inner)
    {
        public override async ValueTask<string> EnqueueAsync(TaskRequest request, CancellationToken cancellationToken = default)
        {
            await using var completed = await bus.SubscribeAsync($"task.{request.Kind}.completed", cancellationToken: cancellationToken);
            var id = await Inner.EnqueueAsync(request, cancellationToken);
            await foreach (var e in completed.ReadAllAsync(cancellationToken))
            {
                if (e.Text.Contains($"\"{id}\"", StringComparison.Ordinal))
                {
                    break;
                }
            }

            return id;
        }
    }

    /// <summary>A bus whose subscriptions never deliver (they listen on a topic nobody publishes).</summary>
    private sealed class DeliversNothing(IEventBus inner) : DelegatingEventBus(inner)
    {
        public override ValueTask<IRuntimeSubscription<BusEvent>> SubscribeAsync(string pattern, SubscribeOptions? options = null, CancellationToken cancellationToken = default) =>
            Inner.SubscribeAsync("test.nothing", options, cancellationToken);
    }

    /// <summary><paramref name="inner"/>'s stores with another bus or queue.</summary>
    private sealed class Wrapped(RuntimeBackend inner, IEventBus? bus = null, ITaskQueue? queue = null) : RuntimeBackend
    {
        public override string Tier => "test";

        public override string Address => inner.Address;

        public override IEventBus EventBus => bus ?? inner.EventBus;

        public override ITaskQueue TaskQueue => queue ?? inner.TaskQueue;

        protected override IStateStore CreateStateStore(string area) => inner.StateStore(area);
    }
}
