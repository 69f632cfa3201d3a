namespace Memfun.Engine.Rlm.Loop;

/// <summary>
/// Warns the model when a run stalls: no action (a tool call or a step that ran) by half the iteration
/// budget, the same file read three times, or the iteration cap near. Each warning is given once.
/// </summary>
/// <remarks>Thread-safe for <see cref="OnToolCall"/> (called from tool-call threads).</remarks>
internal sealed class StallDetector(int maxIterations)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _reads = new(StringComparer.Ordinal);
    private readonly HashSet<string> _given = new(StringComparer.Ordinal);
    private int _actions;

    public void OnToolCall(string tool, string? path)
    {
        lock (_gate)
        {
            _actions++;
            if (tool == "read_file" && path is not null)
            {
                _reads[path] = _reads.GetValueOrDefault(path) + 1;
            }
        }
    }

    public void OnStepRan()
    {
        lock (_gate)
        {
            _actions++;
        }
    }

    /// <summary>The warnings to show before iteration <paramref name="iteration"/> (1-based).</summary>
    public List<string> Warnings(int iteration)
    {
        var warnings = new List<string>();
        lock (_gate)
        {
            if (iteration > 1 && iteration - 1 >= maxIterations / 2 && _actions == 0 && _given.Add("no-action"))
            {
                warnings.Add($"Half of the {maxIterations} iterations are used and nothing has run yet. Reply with one ```csharp block that calls the tools (list_files, search, read_file) to make progress.");
            }

            foreach (var (path, count) in _reads)
            {
                if (count >= 3 && _given.Add("read:" + path))
                {
                    warnings.Add($"You have read '{path}' {count} times. Keep its text in a variable and work on the variable instead of reading it again.");
                }
            }

            var left = maxIterations - iteration;
            if (left <= 2 && _given.Add("cap:" + left))
            {
                warnings.Add(left == 0
                    ? "This is the last iteration: call FINAL(answer) now with your best answer."
                    : $"Only {left + 1} iterations remain including this one: finish soon with FINAL(answer) or FINAL_VAR(\"name\").");
            }
        }

        return warnings;
    }
}
