namespace Memfun.McpServer.Evals;

/// <summary>
/// One coding task of a suite, in SWE-bench's terms: a workspace, a problem statement, a test patch applied before the
/// agent runs, and the tests that must go from failing to passing (<see cref="FailToPass"/>) and keep passing
/// (<see cref="PassToPass"/>).
/// </summary>
/// <remarks>Everything here comes from the suite's files and is untrusted: commands run only in the sandbox, in a copy.</remarks>
internal sealed record EvalTask
{
    /// <summary>The task id (<c>instance_id</c>, or the folder name).</summary>
    public required string Id { get; init; }

    /// <summary>How the task is laid out.</summary>
    public required EvalTaskFormat Format { get; init; }

    /// <summary>What the agent is asked to do (<c>problem_statement</c>, or <c>instruction.md</c>).</summary>
    public required string ProblemStatement { get; init; }

    /// <summary>The folder copied as the workspace (<c>repo/</c>, <c>workspace/</c>), or the git checkout cloned at <see cref="BaseCommit"/>.</summary>
    public required string Source { get; init; }

    /// <summary>SWE-bench's <c>repo</c> (<c>owner/name</c>), when given.</summary>
    public string? Repo { get; init; }

    /// <summary>The commit the workspace starts at (SWE-bench only).</summary>
    public string? BaseCommit { get; init; }

    /// <summary>The reference solution, a unified diff (never shown to the agent).</summary>
    public string? GoldPatch { get; init; }

    /// <summary>The tests' change, applied before the agent runs and again over its changes before the tests run.</summary>
    public string? TestPatch { get; init; }

    /// <summary>SWE-bench's <c>hints_text</c> (kept in the report, not given to the agent).</summary>
    public string? Hints { get; init; }

    /// <summary>Test ids that must pass after the agent's change (and failed before it).</summary>
    public IReadOnlyList<string> FailToPass { get; init; } = [];

    /// <summary>Test ids that must still pass.</summary>
    public IReadOnlyList<string> PassToPass { get; init; } = [];

    /// <summary>The shell command that runs tests: <c>{test}</c> is one quoted id, <c>{tests}</c> a set's ids; neither runs it once.</summary>
    public string? TestCommand { get; init; }

    /// <summary>A shell command run once in the fresh workspace before the agent (installs, builds).</summary>
    public string? SetupCommand { get; init; }

    /// <summary>The check script of a Terminal-Bench-style task (outside the workspace, so the agent cannot edit it).</summary>
    public string? CheckScript { get; init; }

    /// <summary>The task's language, when the suite says.</summary>
    public string? Language { get; init; }

    /// <summary>Limit of each setup, test or check command, in seconds (default 300).</summary>
    public int TimeoutSeconds { get; init; } = 300;
}
