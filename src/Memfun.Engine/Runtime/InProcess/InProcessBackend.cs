using Memfun.Engine.Runtime.Abstractions;

namespace Memfun.Engine.Runtime.InProcess;

/// <summary>The in-process tier: nothing leaves the process, nothing survives it.</summary>
internal sealed class InProcessBackend(TaskQueueOptions? taskOptions = null) : RuntimeBackend
{
    public override string Tier => "in-process";

    public override string Address => "this process";

    public override IEventBus EventBus { get; } = new InProcessEventBus();

    public override ITaskQueue TaskQueue { get; } = new InProcessTaskQueue(taskOptions);

    protected override IStateStore CreateStateStore(string area) => new InProcessStateStore();
}
