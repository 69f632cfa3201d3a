using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Memfun.Engine.Agents;
using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.InProcess;
using Memfun.Engine.Runtime.Local;
using Memfun.Engine.Runtime.Nats;
using Memfun.Engine.Runtime.Stored;
using Memfun.Engine.Runtime.Workers;
using Memfun.Engine.Tests.Runtime.Servers;
using Memfun.Engine.Orchestration;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Memfun.Bench.Workflow;

/// <summary>
/// Orchestration overhead per workflow task beyond model time: the same no-op tasks (the model answers at once)
/// through the in-process executor (the reference) and through the queued executor with three workers, on the
/// in-process tier and on a real <c>nats-server -js</c> (each worker on its own connection), measured in the same run.
/// <c>workflow [count] [in-process] [nats]</c>.
/// </summary>
internal static class WorkflowBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var tiers = args.Length > 1 ? args[1..].Select(a => a.ToLowerInvariant()).ToHashSet() : ["in-process", "nats"];
        var agents = Directory.CreateTempSubdirectory("memfun-wfbench").FullName;
        Directory.CreateDirectory(Path.Combine(agents, "noop"));
        await File.WriteAllTextAsync(Path.Combine(agents, "noop", "AGENT.md"),
            "---\nname: noop\ndescription: Answers at once.\nmax_iterations: 2\ntools: [read_file]\ncode_producing: false\n---\nAnswer.\n");
        var catalog = new AgentCatalog([agents]);
        var tools = new NoTools();
        using var chat = new InstantChat();
        var plan = new WorkflowPlan([.. Enumerable.Range(0, count).Select(i => new WorkflowTask($"t{i}", "nothing", "noop"))]);

        Console.WriteLine($"workflow bench: {count} no-op tasks in one parallel group, model answers at once");
        var inProcess = await TimeAsync(new InProcessTaskExecutor(catalog, chat, tools), plan, "wf-ref");
        Print("in-process executor (reference)", inProcess, count);

        if (tiers.Contains("in-process"))
        {
            await using var backend = new InProcessBackend(new TaskQueueOptions { VisibilityTimeout = TimeSpan.FromSeconds(30) });
            var queued = await QueuedAsync(backend, [backend, backend, backend], catalog, chat, agents, plan, "wf-q");
            Print("queued executor, 3 workers, in-process tier", queued, count);
            Overhead(queued, inProcess, count);
        }

        if (tiers.Contains("nats"))
        {
            // A real nats-server -js; the coordinator and each of the three workers on a connection of its own, as on separate nodes.
            await using var server = await ServerProcess.StartAsync("nats-server", "nats-server", (port, dir) =>
                ["-js", "-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-sd", dir]);
            var url = $"nats://127.0.0.1:{server.Port}";
            var options = new TaskQueueOptions { VisibilityTimeout = TimeSpan.FromSeconds(30) };
            await using var coordinator = await NatsBackend.ConnectAsync(url, "wfbench", options);
            await using var n0 = await NatsBackend.ConnectAsync(url, "wfbench", options);
            await using var n1 = await NatsBackend.ConnectAsync(url, "wfbench", options);
            await using var n2 = await NatsBackend.ConnectAsync(url, "wfbench", options);
            var warm = new WorkflowPlan([.. Enumerable.Range(0, 50).Select(i => new WorkflowTask($"w{i}", "nothing", "noop"))]);
            await QueuedAsync(coordinator, [n0, n1, n2], catalog, chat, agents, warm, "wf-warm");
            var queued = await QueuedAsync(coordinator, [n0, n1, n2], catalog, chat, agents, plan, "wf-n");
            Print("queued executor, 3 workers, nats-server -js", queued, count);
            Overhead(queued, inProcess, count);
        }

        Directory.Delete(agents, recursive: true);
        return 0;
    }

    private static void Overhead((TimeSpan Wall, List<double> Latencies) queued, (TimeSpan Wall, List<double> Latencies) reference, int count) =>
        Console.WriteLine($"  orchestration overhead of the queue per task (queued minus reference, wall / tasks): {(queued.Wall.TotalMilliseconds - reference.Wall.TotalMilliseconds) / count:0.000} ms");

    /// <summary>Runs <paramref name="plan"/> through the queued executor on <paramref name="coordinator"/>, three workers serving agent_task.</summary>
    private static async Task<(TimeSpan Wall, List<double> Latencies)> QueuedAsync(
        RuntimeBackend coordinator, RuntimeBackend[] nodes, AgentCatalog catalog, IChatClient chat, string agents, WorkflowPlan plan, string id)
    {
        using var stop = new CancellationTokenSource();
        var workers = nodes.Select((node, i) => new TaskWorker(node.EventBus, node.TaskQueue,
            new StoredAgentRegistry(node.StateStore(RuntimeAreas.Agents)), node.StateStore(RuntimeAreas.Results), new LocalProcessSandbox(agents),
            new TaskHandlerRegistry().Add(new AgentTaskHandler(catalog, chat, new NoTools())),
            new TaskWorkerOptions { Id = $"bench-{id}-{i}", Concurrency = 16 }, NullLogger.Instance).RunAsync(null, stop.Token)).ToList();
        var result = await TimeAsync(new QueuedTaskExecutor(coordinator.TaskQueue, coordinator.StateStore(RuntimeAreas.Results), coordinator.EventBus) { PollInterval = TimeSpan.FromMilliseconds(50) }, plan, id);
        await stop.CancelAsync();
        try
        {
            await Task.WhenAll(workers);
        }
        catch (OperationCanceledException)
        {
        }

        return result;
    }

    private static void Print(string name, (TimeSpan Wall, List<double> Latencies) r, int count)
    {
        r.Latencies.Sort();
        var p99 = r.Latencies[Math.Min(r.Latencies.Count - 1, (int)Math.Ceiling(r.Latencies.Count * 0.99) - 1)];
        var p50 = r.Latencies[r.Latencies.Count / 2];
        Console.WriteLine($"{name,-48} {count / r.Wall.TotalSeconds,9:0.0} tasks/s   wall {r.Wall.TotalMilliseconds,8:0.0} ms   task latency p50 {p50:0.00} ms  p99 {p99:0.00} ms");
    }

    private static async Task<(TimeSpan Wall, List<double> Latencies)> TimeAsync(IWorkflowTaskExecutor executor, WorkflowPlan plan, string id)
    {
        var latencies = new List<double>();
        var timed = new TimedExecutor(executor, latencies);
        var runner = new WorkflowRunner(timed, null, new NoTools());
        var clock = Stopwatch.StartNew();
        var result = await runner.RunAsync(id, "bench", plan);
        clock.Stop();
        if (result.Status != "completed")
        {
            var errors = result.Outcomes.Where(o => !o.Succeeded).Select(o => $"{o.Task.Id}: {o.Error}").Take(3);
            throw new InvalidOperationException($"The bench workflow ended {result.Status}: {string.Join("; ", errors)}");
        }

        return (clock.Elapsed, latencies);
    }

    private sealed class TimedExecutor(IWorkflowTaskExecutor inner, List<double> latencies) : IWorkflowTaskExecutor
    {
        public async Task<WorkflowTaskOutcome> ExecuteAsync(string workflowId, WorkflowTask task, string context, int round, CancellationToken cancellationToken = default)
        {
            var start = Stopwatch.GetTimestamp();
            var outcome = await inner.ExecuteAsync(workflowId, task, context, round, cancellationToken);
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            lock (latencies)
            {
                latencies.Add(ms);
            }

            return outcome;
        }
    }

    private sealed class NoTools : IAgentToolHost
    {
        public ValueTask<IReadOnlyList<AgentTool>> ListToolsAsync(CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<AgentTool>>([new AgentTool("read_file", "Reads a file.", JsonDocument.Parse("""{"type":"object","properties":{"path":{"type":"string"}}}""").RootElement)]);

        public ValueTask<AgentToolResult> CallToolAsync(string name, IReadOnlyDictionary<string, object?> arguments, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new AgentToolResult("ok", IsError: false));
    }

    private sealed class InstantChat : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "done")) { Usage = new UsageDetails { InputTokenCount = 1, OutputTokenCount = 1 } });

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
