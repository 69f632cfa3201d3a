using System.Collections.Concurrent;

namespace Memfun.Engine.Rlm.Traces;

/// <summary>Keeps the traces of recent REPL sessions and rlm_runs in memory (the most recent 200).</summary>
/// <remarks>Thread-safe. Traces are lost when the server stops.</remarks>
public sealed class RlmTraceStore
{
    private const int Capacity = 200;
    private readonly ConcurrentDictionary<string, RlmTrace> _traces = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    /// <summary>
    /// Creates and keeps a new trace. Its id is unguessable (128 random bits): in stateless HTTP, where no
    /// protocol session tells clients apart, knowing the id is what lets a client use its REPL and read its trace.
    /// </summary>
    public RlmTrace Create(string kind, string? task, string? id = null, string? owner = null)
    {
        var trace = new RlmTrace(id ?? Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)), kind, task) { Owner = owner };
        _traces[trace.Id] = trace;
        _order.Enqueue(trace.Id);
        while (_order.Count > Capacity && _order.TryDequeue(out var old))
        {
            _traces.TryRemove(old, out _);
        }

        return trace;
    }

    public RlmTrace? Find(string id) => _traces.TryGetValue(id, out var t) ? t : null;

    public IReadOnlyList<RlmTrace> All() => [.. _traces.Values.OrderByDescending(t => t.Started)];
}
