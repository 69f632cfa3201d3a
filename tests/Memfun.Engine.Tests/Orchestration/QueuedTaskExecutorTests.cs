using System.Collections.Concurrent;
using System.Text.Json;
using Memfun.Engine.Agents;
using Memfun.Engine.Llm;
using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.InProcess;
using Memfun.Engine.Runtime.Local;
using Memfun.Engine.Runtime.Stored;
using Memfun.Engine.Runtime.Workers;
using Memfun.Engine.Tests.Agents;
using Memfun.Engine.Tests.Infrastructure;
using Memfun.Engine.Orchestration;
using Microsoft.Extensions.Logging.Abstractions;
using static Memfun.Engine.Tests.Agents.ChatReplies;

namespace Memfun.Engine.Tests.Orchestration;

public sealed class QueuedTaskExecutorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("memfun-qwf").FullName;
    private readonly string _agents = Directory.CreateTempSubdirectory("memfun-qwf-agents").FullName;

    public QueuedTaskExecutorTests()
    {
        Directory.CreateDirectory(Path.Combine(_agents, "writer"));
        File.WriteAllText(Path.Combine(_agents, "writer", "AGENT.md"),
            "---\nname: writer\ndescription: Writes one file.\nmax_iterations: 4\ntools: [read_file, write_file]\ncode_producing: false\n---\nYou write the file you are asked to write.\n");
    }

    [Fact]
    public async Task A_task_whose_worker_died_is_redelivered_and_its_write_applies_once()
    {
        await using var backend = new InProcessBackend(new TaskQueueOptions { VisibilityTimeout = TimeSpan.FromMilliseconds(300) });
        await RedeliveredTaskAppliesOnceAsync(backend);
    }

    /// <summary>The scenario on any tier: a worker leases the task and dies; a second worker's result applies once.</summary>
    internal async Task RedeliveredTaskAppliesOnceAsync(RuntimeBackend backend)
    {
        var results = backend.StateStore(RuntimeAreas.Results);
        var events = new ConcurrentQueue<WorkflowEvent>();
        var executor = new QueuedTaskExecutor(backend.TaskQueue, results, backend.EventBus)
        {
            Events = (e, _) => { events.Enqueue(e); return ValueTask.CompletedTask; },
        };
        var runner = new WorkflowRunner(executor, null, new FolderToolHost(_root)) { Events = executor.Events };
        CallDepth.Current = 1; // the workflow runs under a call at depth 1 (an agent's orchestrate)
        using var request = LlmRequestScope.Begin(10_000, TimeSpan.Zero); // the coordinator's request has a token budget
        var run = runner.RunAsync("wf-q1", "write a", new WorkflowPlan([new WorkflowTask("a", "write a.txt", "writer")]));

        // The first worker leases the task and dies without a word: no ack, no result.
        var dead = await backend.TaskQueue.LeaseAsync([AgentTaskHandler.TaskKind], 1, TimeSpan.FromSeconds(10));
        Assert.Single(dead);
        var carried = JsonSerializer.Deserialize<AgentTaskPayload>(dead[0].Payload.Span)!;
        Assert.Equal(2, carried.Depth);
        Assert.Equal(10_000, carried.TokenBudget);

        var chat = new ScriptedChatClient()
            .Then((_, _) => ToolCalls(("read_file", Args(("path", "a.txt")))))
            .Then((_, _) => ToolCalls(("write_file", Args(("path", "a.txt"), ("content", "from the second worker")))))
            .Then("wrote a.txt");
        var workerTools = new FolderToolHost(_root);
        var handlers = new TaskHandlerRegistry().Add(new AgentTaskHandler(new AgentCatalog([_agents]), chat, workerTools));
        var worker = new TaskWorker(backend.EventBus, backend.TaskQueue, new StoredAgentRegistry(backend.StateStore(RuntimeAreas.Agents)), results,
            new LocalProcessSandbox(_root), handlers, new TaskWorkerOptions { Concurrency = 1 }, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var working = worker.RunAsync(null, stop.Token);

        var result = await run.WaitAsync(TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await working;

        Assert.Equal("completed", result.Status);
        Assert.Single(result.Applied);
        Assert.Equal("from the second worker", await File.ReadAllTextAsync(Path.Combine(_root, "a.txt")));
        Assert.Equal(new[] { 2 }, workerTools.Depths.ToArray()); // the task's read reached the host at the depth the task carried
        Assert.Contains(events, e => e.Type == "task.picked_up" && e.Detail!.Contains("attempt 2", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Type == "task.progress" && e.TaskId == "a" && e.Detail!.Contains("writer: iteration 1/", StringComparison.Ordinal));
        Assert.Equal(240, request.Usage.TotalTokens); // the worker's three model calls were charged to the coordinator's request

        // A late completion by a duplicate run does not replace the first result.
        var id = QueuedTaskExecutor.QueueIdFor("wf-q1", "a", 0);
        Assert.Null(await results.TryUpdateAsync(id, "{}"u8.ToArray(), 0));
        Assert.Equal(0, chat.Remaining);
    }

    [Fact]
    public async Task A_queued_task_runs_within_what_the_request_s_token_budget_has_left()
    {
        await using var backend = new InProcessBackend(new TaskQueueOptions { VisibilityTimeout = TimeSpan.FromSeconds(30) });
        var results = backend.StateStore(RuntimeAreas.Results);
        var executor = new QueuedTaskExecutor(backend.TaskQueue, results, backend.EventBus);
        var runner = new WorkflowRunner(executor, null, new FolderToolHost(_root));
        using var request = LlmRequestScope.Begin(100, TimeSpan.Zero);
        var run = runner.RunAsync("wf-q2", "write a", new WorkflowPlan([new WorkflowTask("a", "write a.txt", "writer")]));

        // The worker's model is metered like any other; each reply costs 60 tokens, so the second goes over 100.
        var scripted = new ScriptedChatClient()
            .Then((_, _) => ToolCalls(("read_file", Args(("path", "a.txt")))))
            .Then((_, _) => ToolCalls(("write_file", Args(("path", "a.txt"), ("content", "never written")))))
            .Then("wrote a.txt");
        var chat = new BudgetChatClient(new UsageAccountingChatClient(scripted, NullLogger.Instance));
        var handlers = new TaskHandlerRegistry().Add(new AgentTaskHandler(new AgentCatalog([_agents]), chat, new FolderToolHost(_root)));
        var worker = new TaskWorker(backend.EventBus, backend.TaskQueue, new StoredAgentRegistry(backend.StateStore(RuntimeAreas.Agents)), results,
            new LocalProcessSandbox(_root), handlers, new TaskWorkerOptions { Concurrency = 1 }, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        Task working;
        using (ExecutionContext.SuppressFlow())
        {
            working = Task.Run(() => worker.RunAsync(null, stop.Token)); // like a worker process: none of the caller's request scope
        }

        var result = await run.WaitAsync(TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await working;

        Assert.Equal("failed", result.Status);
        var outcome = Assert.Single(result.Outcomes);
        Assert.Contains("over its budget of 100 tokens", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(result.Applied);
        Assert.False(File.Exists(Path.Combine(_root, "a.txt")));
        Assert.Equal(1, scripted.Remaining);
    }

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_agents, recursive: true);
    }
}
