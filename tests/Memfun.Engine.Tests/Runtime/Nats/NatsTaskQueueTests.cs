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
}
