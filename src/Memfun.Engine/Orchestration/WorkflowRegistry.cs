using System.Collections.Concurrent;

namespace Memfun.Engine.Orchestration;

/// <summary>
/// The live state of this process's workflows, for <c>workflow_status</c> and the workflow resources:
/// the plan, each task's state and the events so far.
/// </summary>
/// <remarks>Thread-safe. Keeps the most recent <see cref="Capacity"/> workflows.</remarks>
public sealed class WorkflowRegistry
{
    /// <summary>How many workflows are kept.</summary>
    public const int Capacity = 100;

    private readonly ConcurrentDictionary<string, WorkflowStatus> _workflows = new(StringComparer.Ordinal);

    /// <summary>Raised after every change, with the workflow id.</summary>
    public event Action<string>? Changed;

    /// <summary>Raised with every event recorded (whether or not the workflow is tracked here).</summary>
    public event Action<WorkflowEvent>? EventRecorded;

    /// <summary>Every workflow known, newest first.</summary>
    public IReadOnlyList<WorkflowStatus> All => [.. _workflows.Values.OrderByDescending(w => w.Started)];

    /// <summary>Starts tracking a workflow.</summary>
    public WorkflowStatus Start(string id, string request)
    {
        var status = new WorkflowStatus(id, request, DateTimeOffset.UtcNow);
        _workflows[id] = status;
        foreach (var old in _workflows.Values.OrderByDescending(w => w.Started).Skip(Capacity))
        {
            _workflows.TryRemove(old.Id, out _);
        }

        Changed?.Invoke(id);
        return status;
    }

    /// <summary>Finds a workflow; null when unknown.</summary>
    public WorkflowStatus? Find(string id) => _workflows.GetValueOrDefault(id);

    /// <summary>Records an event of a tracked workflow.</summary>
    public void Record(WorkflowEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        EventRecorded?.Invoke(e);
        if (_workflows.TryGetValue(e.WorkflowId, out var status))
        {
            status.Apply(e);
            Changed?.Invoke(e.WorkflowId);
        }
    }
}
