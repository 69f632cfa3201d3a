namespace Memfun.McpServer.Evals;

/// <summary>A loaded suite: its name, where it was read from, and its tasks in order.</summary>
/// <param name="Name">The folder or file name without extension.</param>
/// <param name="Path">The absolute path given to <c>memfun eval</c>.</param>
/// <param name="Tasks">The tasks, in file or folder-name order.</param>
internal sealed record EvalSuite(string Name, string Path, IReadOnlyList<EvalTask> Tasks)
{
    /// <summary>The task named <paramref name="id"/>.</summary>
    /// <exception cref="EvalSuiteException">No task has that id.</exception>
    public EvalTask Get(string id) =>
        Tasks.FirstOrDefault(t => t.Id == id)
        ?? throw new EvalSuiteException($"The suite '{Path}' has no task '{id}'. Its tasks: {string.Join(", ", Tasks.Select(t => t.Id))}.");

    /// <summary>This suite narrowed to <paramref name="ids"/> (in the suite's order).</summary>
    public EvalSuite Only(IReadOnlyCollection<string> ids)
    {
        foreach (var id in ids)
        {
            Get(id);
        }

        return this with { Tasks = [.. Tasks.Where(t => ids.Contains(t.Id))] };
    }
}
