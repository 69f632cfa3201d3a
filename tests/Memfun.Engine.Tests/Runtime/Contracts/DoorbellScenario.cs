using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;

namespace Memfun.Engine.Tests.Runtime.Contracts;

/// <summary>What every tier with <see cref="PriorityDoorbells"/> (NATS, Redis) must show: a high-priority task enqueued
/// through another connection is leased through its bell, with no recheck to find it otherwise.</summary>
internal static class DoorbellScenario
{
    public static async Task A_bell_from_another_process_reopens_an_empty_priority(ITaskQueue worker, PriorityDoorbells bells, ITaskQueue producer, CancellationToken ct)
    {
        bells.Recheck = TimeSpan.FromHours(1); // no second look without a bell
        await producer.EnqueueAsync(TaskRequest.FromText("rung", "warm-up"), ct); // the streams or groups exist: enqueues below are quick
        Assert.Single(await worker.LeaseAsync(["rung"], 1, TimeSpan.FromSeconds(5), ct));
        // Polls long enough for the bells to be listened to and every priority to be found empty.
        Assert.Empty(await worker.LeaseAsync(["rung"], 1, TimeSpan.FromMilliseconds(300), ct));
        Assert.True(bells.Listening);

        await producer.EnqueueAsync(TaskRequest.FromText("rung", "urgent") with { Priority = TaskPriority.High }, ct);
        var lease = Assert.Single(await worker.LeaseAsync(["rung"], 1, TimeSpan.FromSeconds(10), ct));

        Assert.Equal(("urgent", TaskPriority.High), (lease.Text, lease.Priority));
    }
}
