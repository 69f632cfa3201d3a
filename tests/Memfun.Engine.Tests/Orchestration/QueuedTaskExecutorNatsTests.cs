using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.Nats;
using Memfun.Engine.Tests.Runtime.Servers;

namespace Memfun.Engine.Tests.Orchestration;

[Collection(NatsCollection.Name)]
public sealed class QueuedTaskExecutorNatsTests(NatsServerFixture server)
{
    [Fact]
    public async Task On_nats_a_task_whose_worker_died_is_redelivered_and_its_write_applies_once()
    {
        await using var backend = await NatsBackend.ConnectAsync(server.Url, "qwf" + Guid.NewGuid().ToString("N")[..8], new TaskQueueOptions { VisibilityTimeout = TimeSpan.FromSeconds(1) });
        using var scenario = new QueuedTaskExecutorTests();
        await scenario.RedeliveredTaskAppliesOnceAsync(backend);
    }
}
