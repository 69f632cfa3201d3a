namespace Memfun.Engine.Runtime.Workers;

/// <summary>The kinds a worker serves: kind → handler. Starts with the built-ins; add more with <see cref="Add"/>.</summary>
public sealed class TaskHandlerRegistry
{
    private readonly Dictionary<string, ITaskHandler> _handlers = new(StringComparer.Ordinal);

    /// <summary>A registry with the built-in kinds: <c>echo</c>, <c>sleep</c>, <c>run_cmd</c>, <c>fail</c>.</summary>
    public static TaskHandlerRegistry WithBuiltIns() =>
        new TaskHandlerRegistry().Add(new EchoTaskHandler()).Add(new SleepTaskHandler()).Add(new RunCommandTaskHandler()).Add(new FailTaskHandler());

    /// <summary>Adds or replaces the handler of its kind.</summary>
    public TaskHandlerRegistry Add(ITaskHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        RuntimeNames.ValidateKind(handler.Kind);
        _handlers[handler.Kind] = handler;
        return this;
    }

    /// <summary>Every kind served, sorted.</summary>
    public IReadOnlyList<string> Kinds => [.. _handlers.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The handler of <paramref name="kind"/>, if any.</summary>
    public bool TryGet(string kind, out ITaskHandler handler) => _handlers.TryGetValue(kind, out handler!);

    /// <summary>A registry limited to <paramref name="kinds"/>; fails naming any kind nobody serves.</summary>
    public TaskHandlerRegistry Only(IEnumerable<string> kinds)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        var only = new TaskHandlerRegistry();
        foreach (var kind in kinds)
        {
            if (!_handlers.TryGetValue(kind, out var handler))
            {
                throw new ArgumentException($"No handler serves the task kind '{kind}'. Known kinds: {string.Join(", ", Kinds)}.", nameof(kinds));
            }

            only.Add(handler);
        }

        return only;
    }
}
