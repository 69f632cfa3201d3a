namespace Memfun.Engine.Agents;

/// <summary>
/// Watches a model's loop (a specialist agent's tool loop or the RLM loop) and warns the model when it stalls: nothing
/// done by the middle of its budget, the same file read three times, few iterations left, the last one. Each warning
/// is given once; what the model should do about it is the loop's <see cref="StallAdvice"/>.
/// </summary>
/// <remarks>Thread-safe (the RLM's tool calls are recorded from the REPL's threads). One instance per run.</remarks>
public sealed class StallDetector(int maxIterations, StallAdvice advice, bool expectsAction = true)
{
    private static readonly HashSet<string> ActionTools = new(StringComparer.Ordinal)
    {
        "write_file", "edit_file", "run_cmd", "remember", "forget", "orchestrate",
    };

    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _reads = new(StringComparer.Ordinal);
    private readonly HashSet<string> _given = new(StringComparer.Ordinal);
    private bool _acted;

    /// <summary>
    /// Records a tool call: a <c>read_file</c> of <paramref name="path"/> counts towards the re-read warning; a call that
    /// changes something (writes, edits, commands, memory, agents) counts as done.
    /// </summary>
    public void RecordToolCall(string tool, string? path)
    {
        ArgumentNullException.ThrowIfNull(tool);
        lock (_gate)
        {
            if (ActionTools.Contains(tool) || tool.EndsWith("_agent", StringComparison.Ordinal))
            {
                _acted = true;
            }

            if (tool == "read_file" && path is { Length: > 0 })
            {
                _reads[path] = _reads.GetValueOrDefault(path) + 1;
            }
        }
    }

    /// <summary>Records that the loop did something by other means than a tool call (an RLM step that ran).</summary>
    public void RecordAction()
    {
        lock (_gate)
        {
            _acted = true;
        }
    }

    /// <summary>The warnings due after <paramref name="done"/> iterations, to show the model before the next one; empty when none.</summary>
    public IReadOnlyList<string> Check(int done)
    {
        var warnings = new List<string>();
        var left = maxIterations - done;
        lock (_gate)
        {
            if (expectsAction && !_acted && done >= Math.Max(1, maxIterations / 2) && _given.Add("no-action"))
            {
                warnings.Add($"You have used {done} of {maxIterations} iterations and nothing has been done yet. {advice.Act}");
            }

            foreach (var (path, count) in _reads)
            {
                if (count >= 3 && _given.Add("reread:" + path))
                {
                    warnings.Add($"You have read '{path}' {count} times; it has not changed since. {advice.Reuse}");
                }
            }

            if (left is > 1 and <= 3 && _given.Add("few-left"))
            {
                warnings.Add($"Only {left} iterations are left of {maxIterations}: {advice.Finish} soon.");
            }
            else if (left == 1 && _given.Add("last"))
            {
                warnings.Add($"This is the last iteration of {maxIterations}: {advice.Finish} now.");
            }
        }

        return warnings;
    }
}
