namespace Memfun.Engine.Agents;

/// <summary>
/// Watches an agent's loop and produces a warning for the model when it stalls: no action by the middle of
/// its budget, the same file read three times, or the iteration cap near.
/// </summary>
/// <remarks>Not thread-safe: one instance per run. Each kind of warning is given once.</remarks>
public sealed class StallDetector(int maxIterations)
{
    private static readonly HashSet<string> ActionTools = new(StringComparer.Ordinal)
    {
        "write_file", "edit_file", "run_cmd", "remember", "forget",
    };

    private readonly Dictionary<string, int> _reads = new(StringComparer.Ordinal);
    private readonly HashSet<string> _given = new(StringComparer.Ordinal);
    private bool _acted;

    /// <summary>Records a tool call made in the current iteration.</summary>
    public void Record(string tool, IReadOnlyDictionary<string, object?> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (ActionTools.Contains(tool) || tool.EndsWith("_agent", StringComparison.Ordinal) || tool == "orchestrate")
        {
            _acted = true;
        }

        if (tool == "read_file" && arguments.TryGetValue("path", out var p) && p?.ToString() is { Length: > 0 } path)
        {
            _reads[path] = _reads.GetValueOrDefault(path) + 1;
        }
    }

    /// <summary>Warnings due after <paramref name="iteration"/> (1-based) iterations; empty when none.</summary>
    public IReadOnlyList<string> Check(int iteration, bool codeProducing)
    {
        var warnings = new List<string>();
        if (codeProducing && !_acted && iteration >= Math.Max(1, maxIterations / 2) && _given.Add("no-action"))
        {
            warnings.Add($"You have used {iteration} of {maxIterations} iterations without changing anything. Stop exploring: make the change now, or answer with what blocks you.");
        }

        foreach (var (path, count) in _reads)
        {
            if (count >= 3 && _given.Add("reread:" + path))
            {
                warnings.Add($"You have read '{path}' {count} times. Its content has not changed: use what you already read.");
            }
        }

        if (maxIterations - iteration <= 2 && maxIterations - iteration >= 0 && _given.Add("cap"))
        {
            warnings.Add($"Only {maxIterations - iteration} iteration(s) left of {maxIterations}. Finish now: complete the change and give your final answer.");
        }

        return warnings;
    }
}
