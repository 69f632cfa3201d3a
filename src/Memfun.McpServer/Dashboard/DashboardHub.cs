using System.Threading.Channels;

namespace Memfun.McpServer.Dashboard;

/// <summary>
/// The dashboard's state — active requests, finished ones, workflows with their tasks, the recent event
/// stream — fed by events from this process and forwarded from others, and fanned out to live viewers.
/// </summary>
/// <remarks>Thread-safe. Bounded: the last 500 events, 200 finished requests and 50 workflows are kept.</remarks>
internal sealed class DashboardHub
{
    private const int MaxEvents = 500;
    private const int MaxHistory = 200;
    private const int MaxWorkflows = 50;

    private readonly Lock _gate = new();
    private readonly LinkedList<DashboardEvent> _events = new();
    private readonly Dictionary<string, RequestView> _active = new(StringComparer.Ordinal);
    private readonly LinkedList<RequestView> _history = new();
    private readonly Dictionary<string, WorkflowView> _workflows = new(StringComparer.Ordinal);
    private readonly List<Channel<DashboardEvent>> _viewers = [];
    private IReadOnlyList<string> _memory = [];

    /// <summary>Records an event and sends it to every viewer.</summary>
    public void Publish(DashboardEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Channel<DashboardEvent>[] viewers;
        lock (_gate)
        {
            _events.AddLast(e);
            if (_events.Count > MaxEvents)
            {
                _events.RemoveFirst();
            }

            Apply(e);
            viewers = [.. _viewers];
        }

        foreach (var v in viewers)
        {
            v.Writer.TryWrite(e);
        }
    }

    /// <summary>A consistent copy of the whole state.</summary>
    public DashboardSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new DashboardSnapshot(
                [.. _active.Values.Select(r => r with { })],
                [.. _history.Reverse().Select(r => r with { })],
                [.. _workflows.Values.OrderByDescending(w => w.Started).Select(w => w.Copy())],
                [.. _events],
                _memory);
        }
    }

    /// <summary>Subscribes a viewer; dispose the result to leave.</summary>
    public (ChannelReader<DashboardEvent> Reader, IDisposable Subscription) Subscribe()
    {
        var channel = Channel.CreateBounded<DashboardEvent>(new BoundedChannelOptions(2000) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate)
        {
            _viewers.Add(channel);
        }

        return (channel.Reader, new Unsubscriber(this, channel));
    }

    private void Apply(DashboardEvent e)
    {
        switch (e.Type)
        {
            case "memory.updated" when e.Entries is not null:
                _memory = e.Entries;
                break;
            case "request.started" when e.RequestId is not null:
                _active[e.RequestId] = new RequestView(e.RequestId, e.Tool ?? "?", "running", e.Summary ?? string.Empty, e.At, null, null, null, e.Source);
                break;
            case "request.progress" when e.RequestId is not null && _active.TryGetValue(e.RequestId, out var r):
                _active[e.RequestId] = r with { LastStep = e.Detail, Tokens = e.Tokens ?? r.Tokens };
                break;
            case "request.completed" or "request.failed" when e.RequestId is not null:
                var started = _active.Remove(e.RequestId, out var a) ? a : new RequestView(e.RequestId, e.Tool ?? "?", "running", e.Summary ?? string.Empty, e.At, null, null, null, e.Source);
                _history.AddLast(started with
                {
                    Status = e.Type == "request.completed" ? e.Outcome ?? "completed" : "failed",
                    Finished = e.At,
                    Tokens = e.Tokens ?? started.Tokens,
                    LastStep = e.Detail ?? started.LastStep,
                });
                if (_history.Count > MaxHistory)
                {
                    _history.RemoveFirst();
                }

                break;
        }

        if (e.WorkflowId is not null)
        {
            if (!_workflows.TryGetValue(e.WorkflowId, out var w))
            {
                w = new WorkflowView(e.WorkflowId, e.At);
                _workflows[e.WorkflowId] = w;
                foreach (var old in _workflows.Values.OrderByDescending(x => x.Started).Skip(MaxWorkflows).ToList())
                {
                    _workflows.Remove(old.Id);
                }
            }

            w.Apply(e);
        }
    }

    private sealed class Unsubscriber(DashboardHub hub, Channel<DashboardEvent> channel) : IDisposable
    {
        public void Dispose()
        {
            lock (hub._gate)
            {
                hub._viewers.Remove(channel);
            }

            channel.Writer.TryComplete();
        }
    }
}

/// <summary>Everything the page shows.</summary>
internal sealed record DashboardSnapshot(
    IReadOnlyList<RequestView> Active,
    IReadOnlyList<RequestView> History,
    IReadOnlyList<WorkflowView> Workflows,
    IReadOnlyList<DashboardEvent> Events,
    IReadOnlyList<string> Memory);

/// <summary>A request as the dashboard shows it.</summary>
internal sealed record RequestView(string Id, string Tool, string Status, string Summary, DateTimeOffset Started, DateTimeOffset? Finished, long? Tokens, string? LastStep, string? Source);

/// <summary>A workflow as the dashboard shows it: each task's agent and state.</summary>
internal sealed class WorkflowView(string id, DateTimeOffset started)
{
    public string Id { get; } = id;

    public DateTimeOffset Started { get; } = started;

    public string State { get; private set; } = "running";

    public Dictionary<string, WorkflowTaskView> Tasks { get; private init; } = new(StringComparer.Ordinal);

    public void Apply(DashboardEvent e)
    {
        if (e.Type == "workflow.completed")
        {
            State = e.Detail ?? "completed";
        }

        if (e.TaskId is null)
        {
            return;
        }

        var state = e.Type switch
        {
            "task.published" => "queued",
            "task.picked_up" => "running",
            "task.completed" => "completed",
            "task.failed" => "failed",
            _ => null,
        };
        var existing = Tasks.GetValueOrDefault(e.TaskId) ?? new WorkflowTaskView(e.TaskId, e.Agent ?? "?", "pending", null, []);
        var dependencies = e.Type == "task.published" && e.Detail is { } d && d.StartsWith("after ", StringComparison.Ordinal);
        var after = dependencies ? e.Detail![6..].Split(", ", StringSplitOptions.RemoveEmptyEntries) : existing.After;

        // "after a, b" is shown once, as the dependencies; it is not also the task's detail.
        var detail = dependencies ? existing.Detail : e.Detail ?? existing.Detail;
        Tasks[e.TaskId] = existing with { Agent = e.Agent ?? existing.Agent, State = state ?? existing.State, Detail = detail, After = after };
    }

    public WorkflowView Copy() => new(Id, Started) { State = State, Tasks = new Dictionary<string, WorkflowTaskView>(Tasks, StringComparer.Ordinal) };
}

/// <summary>One task of a workflow on the dashboard.</summary>
/// <param name="After">The tasks it depends on (from <c>task.published</c>'s "after a, b").</param>
internal sealed record WorkflowTaskView(string Id, string Agent, string State, string? Detail, IReadOnlyList<string> After);
