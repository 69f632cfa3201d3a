using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Memfun.Engine.Tests.Runtime.Servers;
using Memfun.McpServer.Tests.Infrastructure;
using Memfun.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Tests.Agents;

/// <summary>
/// Across machines, all real processes: a real <c>nats-server -js</c>, the coordinator (<c>memfun serve --http</c> on
/// the workspace, tier nats), three <c>memfun worker</c> processes with no workspace of their own, each with its own
/// stub model server. One worker is killed with SIGKILL while it holds a task.
/// </summary>
[Collection(NatsCollection.Name)]
public sealed partial class DistributedWorkflowOnNatsTests(NatsServerFixture nats)
{
    private const int Tasks = 20;
    private const string Token = "coordinator-test-token-7f3a";

    [Fact]
    public async Task A_twenty_task_workflow_across_three_workers_completes_with_every_write_applied_once_after_one_worker_is_killed()
    {
        using var ws = new TempWorkspace("memfun-coord");
        using var remote = new TempWorkspace("memfun-remote"); // the workers' own folder: not the workspace
        var prefix = "dw" + Guid.NewGuid().ToString("N")[..10];
        ws.Write("README.md", "A project whose tasks each write one file under out/.\n");

        using var coordinatorModel = new StubModelServer { Respond = CoordinatorAnswer };

        // w0's model holds every answer long enough for w0 to be killed while it waits: mid-task, nothing staged.
        var w0Tasks = new ConcurrentBag<string>();
        var w0Busy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var w0Model = new StubModelServer
        {
            Respond = body =>
            {
                w0Tasks.Add(TaskOf(body));
                w0Busy.TrySetResult();
                return WorkerAnswer(body) with { Delay = TimeSpan.FromSeconds(20) };
            },
        };
        using var w1Model = new StubModelServer { Respond = body => WorkerAnswer(body) with { Delay = TimeSpan.FromMilliseconds(50) } };
        using var w2Model = new StubModelServer { Respond = body => WorkerAnswer(body) with { Delay = TimeSpan.FromMilliseconds(50) } };

        // The four processes start at once: a worker reaches the coordinator only when it runs a task.
        var port = MemfunServerProcess.FreePort();
        var endpoint = $"http://127.0.0.1:{port}/mcp";
        string[] args = ["--backend", "nats", "--url", nats.Url, "--prefix", prefix, "--visibility-timeout", "2", "--kinds", "agent_task", "--coordinator", endpoint];
        // The backend is the user's setting (variables, ~/.memfun/config.toml), never a project file's.
        var starting = MemfunServerProcess.StartHttpAsync(ws.Path, environment: Model(coordinatorModel, new()
        {
            ["MEMFUN_HTTP_TOKEN"] = Token,
            ["MEMFUN_BACKEND__TIER"] = "nats",
            ["MEMFUN_BACKEND__PREFIX"] = prefix,
            ["MEMFUN_BACKEND__NATS__URL"] = nats.Url,
            ["MEMFUN_BACKEND__TASKS__VISIBILITY_TIMEOUT_SECONDS"] = "2",
            ["MEMFUN_AGENTS__DISTRIBUTED"] = "true",
        }), port: port);
        var launching = new[]
        {
            WorkerProcess.StartAsync(remote.Path, "w0", Model(w0Model, new() { ["MEMFUN_COORDINATOR_TOKEN"] = Token }), args),
            WorkerProcess.StartAsync(remote.Path, "w1", Model(w1Model, new() { ["MEMFUN_COORDINATOR_TOKEN"] = Token }), args),
            WorkerProcess.StartAsync(remote.Path, "w2", Model(w2Model, new() { ["MEMFUN_COORDINATOR_TOKEN"] = Token }), args),
        };
        try
        {
            await Task.WhenAll(launching.Cast<Task>().Append(starting));
        }
        catch
        {
            // Stop whatever did start before reporting the one that did not.
            foreach (var started in launching.Where(t => t.IsCompletedSuccessfully))
            {
                await (await started).DisposeAsync();
            }

            if (starting.IsCompletedSuccessfully)
            {
                await (await starting).DisposeAsync();
            }

            throw;
        }

        var workers = await Task.WhenAll(launching);
        await using var coordinator = await starting;
        await using var w0 = workers[0];
        await using var w1 = workers[1];
        await using var w2 = workers[2];

        await using var client = await coordinator.ConnectAsync(new Dictionary<string, string> { ["Authorization"] = "Bearer " + Token });
        await client.ListToolsAsync();
        var run = client.CallToolAsync("orchestrate", new Dictionary<string, object?> { ["task"] = "Write the twenty out files", ["tier"] = "workflow" }).AsTask();
        await Task.WhenAny(w0Busy.Task, run);
        Assert.True(w0Busy.Task.IsCompleted, "w0 never got a task: " + (run.IsCompleted ? (await run).Text() : string.Empty));
        w0.Kill();
        var killedTasks = w0Tasks.ToHashSet();

        var result = await run;

        var text = result.Text();
        Assert.False(result.IsError, text + "\n" + w1.StandardError + "\n" + coordinator.StandardError);
        var report = Assert.IsType<JsonElement>(result.StructuredContent);
        Assert.Equal("completed", report.GetProperty("status").GetString());
        var tasks = report.GetProperty("tasks").EnumerateArray().ToList();
        Assert.Equal(Tasks, tasks.Count);
        Assert.All(tasks, t => Assert.Equal("completed", t.GetProperty("state").GetString()));

        // Every task's write was applied exactly once, by the coordinator, and the files hold it.
        var applied = report.GetProperty("applied").EnumerateArray().Select(a => a.GetString()!).ToList();
        var expected = Enumerable.Range(1, Tasks).Select(i => $"write_file out/t{i:00}.txt (task t{i:00})").ToList();
        Assert.Equal(expected, applied.Order(StringComparer.Ordinal));
        for (var i = 1; i <= Tasks; i++)
        {
            Assert.Equal($"written for t{i:00}\n", ws.Read($"out/t{i:00}.txt"));
        }

        Assert.False(File.Exists(Path.Combine(remote.Path, "out", "t01.txt")));

        // The task w0 died holding was delivered again and finished by another worker.
        var status = await client.CallToolAsync("workflow_status", new Dictionary<string, object?> { ["id"] = report.GetProperty("workflowId").GetString() });
        var events = Assert.IsType<JsonElement>(status.StructuredContent).GetProperty("events").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.NotEmpty(killedTasks);
        Assert.Contains(events, e => e.Contains(" task.progress ", StringComparison.Ordinal) && e.Contains(": iteration 1/", StringComparison.Ordinal)); // a remote specialist's progress came back
        foreach (var id in killedTasks)
        {
            Assert.Contains(events, e => e.Contains($"task.picked_up {id} ", StringComparison.Ordinal) && e.Contains("worker w0, attempt 1", StringComparison.Ordinal));
            Assert.Contains(events, e => e.Contains($"task.picked_up {id} ", StringComparison.Ordinal) && !e.Contains("worker w0", StringComparison.Ordinal) && !e.Contains("attempt 1", StringComparison.Ordinal));
            Assert.Single(events, e => e.Contains($"task.completed {id} ", StringComparison.Ordinal));
        }
    }

    private static Dictionary<string, string?> Model(StubModelServer stub, Dictionary<string, string?> more)
    {
        var env = new Dictionary<string, string?>(more)
        {
            ["MEMFUN_LLM__PROVIDER"] = "openai",
            ["MEMFUN_LLM__MODEL"] = "stub-model",
            ["MEMFUN_LLM__BASE_URL"] = stub.BaseUrl.ToString(),
            ["MEMFUN_LLM__RETRY_BASE_DELAY_MS"] = "1",
            ["MEMFUN_LLM__API_KEY_ENV"] = "MEMFUN_TEST_STUB_KEY",
            ["MEMFUN_TEST_STUB_KEY"] = "sk-stub",
        };
        return env;
    }

    /// <summary>The coordinator's model: the decomposer's twenty independent tasks, then the review's approval.</summary>
    private static StubModelServer.Reply CoordinatorAnswer(string body)
    {
        if (body.Contains("You decompose", StringComparison.Ordinal))
        {
            var tasks = Enumerable.Range(1, Tasks).Select(i => new { id = $"t{i:00}", description = $"Write out/t{i:00}.txt", agent = "coder" });
            return StubModelServer.OpenAiReply(JsonSerializer.Serialize(new { tasks }));
        }

        return body.Contains("You review the outputs of several agents", StringComparison.Ordinal)
            ? StubModelServer.OpenAiReply("""{"ok": true, "summary": "All twenty files are written.", "revisions": []}""")
            : new StubModelServer.Reply(500, "{\"error\": {\"message\": \"unexpected coordinator request\"}}");
    }

    /// <summary>A worker's model: the task's coder writes its file, then reports.</summary>
    private static StubModelServer.Reply WorkerAnswer(string body)
    {
        if (body.Contains("\"role\":\"tool\"", StringComparison.Ordinal))
        {
            return StubModelServer.OpenAiReply("Wrote the file.");
        }

        var id = TaskOf(body);
        var arguments = JsonSerializer.Serialize(new { path = $"out/{id}.txt", content = $"written for {id}\n" });
        return new StubModelServer.Reply(200, JsonSerializer.Serialize(new
        {
            id = "chatcmpl-stub",
            @object = "chat.completion",
            created = 1_700_000_000,
            model = "stub-model",
            choices = new[]
            {
                new
                {
                    index = 0,
                    message = new { role = "assistant", content = (string?)null, tool_calls = new[] { new { id = "call_" + id, type = "function", function = new { name = "write_file", arguments } } } },
                    finish_reason = "tool_calls",
                },
            },
            usage = new { prompt_tokens = 50, completion_tokens = 10, total_tokens = 60 },
        }));
    }

    private static string TaskOf(string body) => TaskFile().Match(body) is { Success: true } m ? m.Groups[1].Value : "unknown";

    [GeneratedRegex(@"Write out/(t\d\d)\.txt")]
    private static partial Regex TaskFile();
}
