namespace Memfun.Engine.Orchestration;

/// <summary>A workflow's live state: plan, per-task state and events.</summary>
/// <remarks>Thread-safe: read through <see cref="Snapshot"/>.</remarks>
public sealed class WorkflowStatus(string id, string request, DateTimeOffset started)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _taskStates = new(StringComparer.Ordinal);
    private readonly List<WorkflowEvent> _events = [];

    /// <summary>The workflow id.</summary>
    public string Id { get; } = id;

    /// <summary>The request it serves.</summary>
    public string Request { get; } = request;

    /// <summary>When it started.</summary>
    public DateTimeOffset Started { get; } = started;

    /// <summary>The plan, once decomposed.</summary>
    public WorkflowPlan? Plan { get; set; }

    /// <summary>The final result, once finished.</summary>
    public WorkflowResult? Result { get; set; }

    /// <summary><c>planning</c>, <c>running</c>, or the result's status.</summary>
    public string State { get; private set; } = "planning";

    internal void Apply(WorkflowEvent e)
    {
        lock (_gate)
        {
            _events.Add(e);
            if (e.TaskId is not null)
            {
                _taskStates[e.TaskId] = e.Type switch
                {
                    "task.published" => "queued",
                    "task.picked_up" => "running",
                    "task.completed" => "completed",
                    "task.failed" => "failed",
                    _ => _taskStates.GetValueOrDefault(e.TaskId, "pending"),
                };
            }

            State = e.Type switch
            {
                "workflow.started" => "running",
                "workflow.completed" => e.Detail ?? "completed",
                _ => State,
            };
        }
    }

    /// <summary>A consistent copy of the state for display.</summary>
    public (string State, IReadOnlyDictionary<string, string> Tasks, IReadOnlyList<WorkflowEvent> Events) Snapshot()
    {
        lock (_gate)
        {
            return (State, new Dictionary<string, string>(_taskStates, StringComparer.Ordinal), [.. _events]);
        }
    }
}
