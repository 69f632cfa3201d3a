using System.Text;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.Nats;
using Memfun.Engine.Tests.Runtime.Contracts;
using Memfun.Engine.Tests.Runtime.Servers;
using NATS.Client.Core;

namespace Memfun.Engine.Tests.Runtime.Nats;

/// <summary>The TaskQueue contract on the Nats tier, and what only NATS has: the task message's format.</summary>
[Collection(NatsCollection.Name)]
public sealed class NatsTaskQueueTests(NatsServerFixture server) : TaskQueueContract(new NatsHarness(server))
{
    [Fact]
    public async Task A_task_carries_its_id_in_the_body_not_in_a_header()
    {
        var backend = (NatsBackend)await OpenAsync();
        await using var wire = await backend.JetStream.Connection.SubscribeCoreAsync<byte[]>(backend.Prefix + ".task.framed.1", cancellationToken: Ct);
        var id = await backend.TaskQueue.EnqueueAsync(TaskRequest.FromText("framed", "payload"), Ct);

        var sent = await wire.Msgs.ReadAsync(Ct);
        Assert.True(sent.Headers is null || !sent.Headers.ContainsKey("Memfun-Task-Id"));
        Assert.Equal([1, (byte)id.Length, .. Encoding.ASCII.GetBytes(id), .. "payload"u8.ToArray()], sent.Data);

        var lease = Assert.Single(await backend.TaskQueue.LeaseAsync(["framed"], 10, TimeSpan.FromSeconds(5), Ct));
        Assert.Equal((id, "payload"), (lease.Id, lease.Text));
    }

    [Fact]
    public async Task A_task_written_with_the_id_in_a_header_is_still_leased_with_its_id_and_payload()
    {
        var backend = (NatsBackend)await OpenAsync();
        var queue = backend.TaskQueue;
        var id = await queue.EnqueueAsync(TaskRequest.FromText("legacy", "new format"), Ct); // also creates the streams
        await backend.JetStream.PublishAsync(backend.Prefix + ".task.legacy.1", Encoding.UTF8.GetBytes("old format"),
            headers: new NatsHeaders { ["Memfun-Task-Id"] = "old-task-id" }, cancellationToken: Ct);

        var leases = await queue.LeaseAsync(["legacy"], 10, TimeSpan.FromSeconds(5), Ct);

        Assert.Equal([(id, "new format"), ("old-task-id", "old format")], leases.Select(l => (l.Id, l.Text)));
        foreach (var lease in leases)
        {
            Assert.True(await queue.AckAsync(lease, Ct));
        }
    }

    [Fact]
    public async Task A_high_priority_task_enqueued_by_another_process_rings_the_bell_that_reopens_an_empty_priority()
    {
        var worker = (NatsTaskQueue)(await OpenAsync()).TaskQueue;
        await DoorbellScenario.A_bell_from_another_process_reopens_an_empty_priority(worker, worker.Doorbells, (await OpenAsync()).TaskQueue, Ct);
    }

    [Fact]
    public async Task A_high_priority_task_from_a_producer_that_rings_no_bell_is_still_leased()
    {
        var backend = (NatsBackend)await OpenAsync();
        var queue = backend.TaskQueue;
        Assert.Empty(await queue.LeaseAsync(["silent"], 1, TimeSpan.Zero, Ct));

        // Straight into the stream, as the nats CLI or another client would: no doorbell rings.
        await backend.JetStream.PublishAsync(backend.Prefix + ".task.silent.0", NatsTaskFrameBody("from-cli", "quiet"), cancellationToken: Ct);
        var lease = Assert.Single(await queue.LeaseAsync(["silent"], 1, TimeSpan.FromSeconds(5), Ct));

        Assert.Equal(("from-cli", "quiet", TaskPriority.High), (lease.Id, lease.Text, lease.Priority));
        Assert.True(await queue.AckAsync(lease, Ct));
    }

    [Fact]
    public async Task A_doorbell_rung_on_one_connection_is_heard_on_another_and_reopens_an_empty_priority()
    {
        var listener = (NatsBackend)await OpenAsync();
        var ringer = (NatsBackend)await OpenAsync();
        var heard = 0;
        var bells = new NatsDoorbells(listener.JetStream.Connection, listener.Prefix, () => Interlocked.Increment(ref heard)) { Recheck = TimeSpan.FromHours(1) };
        var ringing = new NatsDoorbells(ringer.JetStream.Connection, ringer.Prefix, () => { });
        Assert.True(bells.MayHaveWork("bell", 0)); // nothing known before the bells are listened to
        bells.Listen();
        await WaitUntilAsync(() => bells.Listening);

        bells.FoundEmpty("bell", 0, bells.Rings("bell", 0));
        Assert.False(bells.MayHaveWork("bell", 0));
        Assert.True(bells.MayHaveWork("bell", 1)); // normal priority has no bell: always worth a pull
        await ringing.RingAsync("bell", 0, Ct);
        await WaitUntilAsync(() => bells.MayHaveWork("bell", 0));

        Assert.Equal(1, Volatile.Read(ref heard));
        Assert.Equal(0, bells.Rings("other", 0)); // another kind's bell did not ring
    }

    private async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25, Ct);
        }

        Assert.True(condition());
    }

    private static byte[] NatsTaskFrameBody(string id, string text) => [1, (byte)id.Length, .. Encoding.ASCII.GetBytes(id), .. Encoding.UTF8.GetBytes(text)];
}
