using System.Globalization;
using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.McpServer.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Memfun.McpServer.Tests.Cli;

/// <summary><c>memfun worker --backend sqlite</c>: several processes on one SQLite file, and a crash during writes.</summary>
public sealed class WorkerOnSqliteTests
{
    private static readonly string[] Args = ["--backend", "sqlite", "--kinds", "echo", "--concurrency", "4", "--visibility-timeout", "3"];

    [Fact]
    public async Task Two_worker_processes_and_a_producer_share_one_file_under_concurrent_writes_and_lose_nothing()
    {
        using var ws = new TempWorkspace("memfun-sqlite");
        await using var a = await WorkerProcess.StartAsync(ws.Path, "a", Args);
        await using var b = await WorkerProcess.StartAsync(ws.Path, "b", Args);
        await using var producer = await OpenAsync(ws.Path);

        const int tasks = 300, events = 300;
        var ids = new List<string>();
        var publishing = Task.Run(async () =>
        {
            for (var i = 0; i < events; i++)
            {
                await producer.EventBus.PublishAsync("test.load", System.Text.Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"));
            }
        });
        for (var i = 0; i < tasks; i++)
        {
            ids.Add(await producer.TaskQueue.EnqueueAsync(TaskRequest.FromText("echo", $"{{\"n\":{i}}}")));
        }

        await publishing;
        var results = await WorkerTestKit.WaitForResultsAsync(producer, tasks, TimeSpan.FromSeconds(90));
        Assert.Equal(ids.Order(), results.Select(r => r.Id).Order());
        Assert.Contains(results, r => r.Worker == "a");
        Assert.Contains(results, r => r.Worker == "b");
        var completed = await WorkerTestKit.ReplayAsync(producer, "task.echo.completed", tasks);
        Assert.Equal(tasks, completed.Count);
        Assert.Equal(tasks, completed.Select(e => e.Body.GetProperty("id").GetString()).Distinct().Count());
        var load = await WorkerTestKit.ReplayAsync(producer, "test.load", events);
        Assert.Equal(Enumerable.Range(0, events), load.Select(e => e.Body.GetProperty("n").GetInt32()));
        foreach (var w in new[] { a, b })
        {
            Assert.DoesNotContain("locked", w.StandardError, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Exception", w.StandardError, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_worker_killed_during_writes_leaves_a_readable_store_that_another_worker_finishes()
    {
        using var ws = new TempWorkspace("memfun-sqlite");
        const int tasks = 600;
        var ids = new List<string>();
        await using (var producer = await OpenAsync(ws.Path))
        {
            for (var i = 0; i < tasks; i++)
            {
                ids.Add(await producer.TaskQueue.EnqueueAsync(TaskRequest.FromText("echo", i.ToString(CultureInfo.InvariantCulture))));
            }
        }

        var victim = await WorkerProcess.StartAsync(ws.Path, "victim", Args);
        await using (var watcher = await OpenAsync(ws.Path))
        {
            await WorkerTestKit.WaitForResultsAsync(watcher, 100, TimeSpan.FromSeconds(60));
        }

        victim.Kill(); // SIGKILL in the middle of a stream of write transactions
        await victim.DisposeAsync();

        var db = Path.Combine(ws.Path, ".memfun", "runtime.db");
        await using (var connection = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", (string?)await check.ExecuteScalarAsync());
        }

        await using var survivor = await WorkerProcess.StartAsync(ws.Path, "survivor", Args);
        await using var reader = await OpenAsync(ws.Path);
        var results = await WorkerTestKit.WaitForResultsAsync(reader, tasks, TimeSpan.FromSeconds(90));
        Assert.Equal(ids.Order(), results.Select(r => r.Id).Order());
        Assert.Contains(results, r => r.Worker == "victim");
        Assert.Contains(results, r => r.Worker == "survivor");
        var completed = await WorkerTestKit.ReplayAsync(reader, "task.echo.completed", tasks);
        // A result is recorded before its event is published, so a kill between the two can drop an event; never duplicate one.
        Assert.Equal(completed.Count, completed.Select(e => e.Body.GetProperty("id").GetString()).Distinct().Count());
        Assert.InRange(completed.Count, tasks - 4, tasks); // at most one per running slot
    }

    private static Task<RuntimeBackend> OpenAsync(string workspace) =>
        RuntimeBackendFactory.OpenAsync(new RuntimeOptions { Tier = RuntimeTier.Sqlite, Workspace = workspace, Tasks = new TaskQueueOptions { VisibilityTimeout = TimeSpan.FromSeconds(3) } });
}
