using Memfun.Engine.Runtime.Abstractions;

namespace Memfun.McpServer.Evals;

/// <summary>How an <see cref="EvalRunner"/> runs tasks.</summary>
internal sealed record EvalRunnerOptions
{
    /// <summary>Tasks run at once in this process (default 2, at least 1).</summary>
    public int Parallel { get; init; } = 2;

    /// <summary>The agent under test; default the real ladder (<see cref="LadderEvalAgent"/>) on the configured provider.</summary>
    public IEvalAgent Agent { get; init; } = new LadderEvalAgent();

    /// <summary>Receives a line's worth per task start and finish (the terminal's progress).</summary>
    public IProgress<EvalEvent>? Progress { get; init; }

    /// <summary>Where <c>task.eval_task.started|completed|failed</c> events go for the dashboard, or null.</summary>
    public IEventBus? Events { get; init; }

    /// <summary>What results say ran the task (<c>in-process</c>, or a worker id).</summary>
    public string RanOn { get; init; } = "in-process";

    /// <summary>Keep each task's temp workspace instead of deleting it (debugging).</summary>
    public bool KeepWorkspaces { get; init; }
}
