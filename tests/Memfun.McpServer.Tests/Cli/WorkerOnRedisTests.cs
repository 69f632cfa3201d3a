using System.Text.Json;
using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Tests.Runtime.Servers;
using Memfun.McpServer.Tests.Infrastructure;

namespace Memfun.McpServer.Tests.Cli;

/// <summary><c>memfun worker --backend redis</c> on a real Redis server.</summary>
[Collection(RedisCollection.Name)]
public sealed class WorkerOnRedisTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_worker_killed_mid_task_has_its_task_redelivered_and_finished_once_by_another()
    {
        using var ws = new TempWorkspace("memfun-workers");
        var prefix = "w" + Guid.NewGuid().ToString("N")[..10];
        string[] args = ["--backend", "redis", "--url", redis.Url, "--prefix", prefix, "--visibility-timeout", "2", "--concurrency", "1", "--kinds", "sleep"];
        await using var producer = await RuntimeBackendFactory.OpenAsync(new RuntimeOptions { Tier = RuntimeTier.Redis, RedisUrl = redis.Url, Prefix = prefix });
        await using var started = await producer.EventBus.SubscribeAsync("task.sleep.started");
        await using var doomed = await WorkerProcess.StartAsync(ws.Path, "doomed", args);

        var id = await producer.TaskQueue.EnqueueAsync(TaskRequest.FromText("sleep", "{\"ms\":2500}"));
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var first = await started.ReadAllAsync(wait.Token).FirstAsync(wait.Token);
        Assert.Equal(("doomed", 1), (JsonDocument.Parse(first.Data).RootElement.GetProperty("worker").GetString(), JsonDocument.Parse(first.Data).RootElement.GetProperty("attempt").GetInt32()));
        doomed.Kill();

        await using var rescuer = await WorkerProcess.StartAsync(ws.Path, "rescuer", args);
        var result = Assert.Single(await WorkerTestKit.WaitForResultsAsync(producer, 1, TimeSpan.FromSeconds(60)));
        Assert.Equal((id, "rescuer", 2, "{\"slept\":2500}"), (result.Id, result.Worker, result.Attempt, result.Result));
        var completed = await WorkerTestKit.ReplayAsync(producer, "task.sleep.completed", 1);
        Assert.Single(completed);
        Assert.Empty(await producer.TaskQueue.LeaseAsync(["sleep"], 1, TimeSpan.FromSeconds(3)));
    }
}
