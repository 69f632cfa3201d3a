namespace Memfun.McpServer.Evals;

/// <summary>
/// Runs a task's tests in its workspace after the agent: <c>check.sh</c> for a Terminal-Bench-style task, else the
/// task's <c>test_command</c> once per test (<c>{test}</c>), once per set (<c>{tests}</c>) or once for all.
/// </summary>
/// <remarks>The commands are the suite's code: they run sandboxed, each with the task's time limit. Ids are shell-quoted.</remarks>
internal static class EvalTestRunner
{
    public const string FailToPass = "FAIL_TO_PASS";
    public const string PassToPass = "PASS_TO_PASS";

    public static async Task<IReadOnlyList<EvalTestOutcome>> RunAsync(EvalTask task, EvalWorkspace workspace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(workspace);
        var timeout = TimeSpan.FromSeconds(task.TimeoutSeconds);
        async Task<(bool Passed, int Exit, bool TimedOut, string Output)> Run(string script)
        {
            var r = await workspace.RunAsync(script, timeout, cancellationToken).ConfigureAwait(false);
            return (r.ExitCode == 0 && !r.TimedOut, r.ExitCode, r.TimedOut, EvalWorkspace.Tail(r.StandardOutput + "\n" + r.StandardError));
        }

        EvalTestOutcome Outcome(string id, string set, (bool Passed, int Exit, bool TimedOut, string Output) r) =>
            new(id, set, r.Passed, r.Exit, r.TimedOut, r.Passed ? null : r.Output);

        if (task.CheckScript is { } check)
        {
            return [Outcome("check.sh", FailToPass, await Run("/bin/sh " + Quote(check)).ConfigureAwait(false))];
        }

        var command = task.TestCommand ?? throw new EvalSuiteException($"Task {task.Id} has no test_command.");
        (string Set, IReadOnlyList<string> Ids)[] sets = [(FailToPass, task.FailToPass), (PassToPass, task.PassToPass)];
        var outcomes = new List<EvalTestOutcome>();
        if (command.Contains("{test}", StringComparison.Ordinal))
        {
            foreach (var (set, ids) in sets)
            {
                foreach (var id in ids)
                {
                    outcomes.Add(Outcome(id, set, await Run(command.Replace("{test}", Quote(id), StringComparison.Ordinal)).ConfigureAwait(false)));
                }
            }
        }
        else if (command.Contains("{tests}", StringComparison.Ordinal))
        {
            foreach (var (set, ids) in sets.Where(s => s.Ids.Count > 0))
            {
                var r = await Run(command.Replace("{tests}", string.Join(' ', ids.Select(Quote)), StringComparison.Ordinal)).ConfigureAwait(false);
                outcomes.AddRange(ids.Select(id => Outcome(id, set, r)));
            }
        }
        else
        {
            var r = await Run(command).ConfigureAwait(false);
            outcomes.AddRange(sets.SelectMany(s => s.Ids.Select(id => Outcome(id, s.Set, r))));
        }

        if (outcomes.Count == 0)
        {
            // A task that names no tests is judged by its command alone.
            var r = await Run(command.Replace("{tests}", string.Empty, StringComparison.Ordinal).Replace("{test}", string.Empty, StringComparison.Ordinal)).ConfigureAwait(false);
            outcomes.Add(Outcome("test_command", FailToPass, r));
        }

        return outcomes;
    }

    /// <summary>POSIX single-quoting.</summary>
    internal static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
