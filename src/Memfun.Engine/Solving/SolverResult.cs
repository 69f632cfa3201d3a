using System.Text.Json.Serialization;

namespace Memfun.Engine.Solving;

/// <summary>What a solver request asks for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SolverMode>))]
public enum SolverMode
{
    /// <summary>Change the workspace to do a task.</summary>
    Solve,

    /// <summary>Answer a question about the code; no writes.</summary>
    Ask,

    /// <summary>Explain a file or folder: structure, behaviour, risks; no writes.</summary>
    Analyze,

    /// <summary>Fix a described problem (the current check failures are added to the context).</summary>
    Fix,

    /// <summary>Review a file or folder and give a verdict with findings; no writes.</summary>
    Review,
}

/// <summary>One request to the solver.</summary>
/// <param name="Mode">What to do.</param>
/// <param name="Text">The task, question or problem (for analyze/review, optional focus).</param>
/// <param name="Path">The file or folder for analyze/review (relative).</param>
public sealed record SolverRequest(SolverMode Mode, string Text, string? Path = null);

/// <summary>How a request ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SolveStatus>))]
public enum SolveStatus
{
    /// <summary>Changes applied and verified (or nothing to verify), review done.</summary>
    Completed,

    /// <summary>A question answered (ask, analyze, review).</summary>
    Answered,

    /// <summary>The model proposed no change.</summary>
    NoChanges,

    /// <summary>The model's answer was malformed or its operations invalid; nothing was written.</summary>
    Rejected,

    /// <summary>The model's answer was cut off (output limit); nothing was written.</summary>
    Truncated,

    /// <summary>Changes applied, but the checks still fail after the fix cycles.</summary>
    VerificationFailed,

    /// <summary>The request ran over its token or time budget.</summary>
    BudgetExceeded,

    /// <summary>The model provider failed after retries.</summary>
    ProviderFailed,
}

/// <summary>An operation that was carried out.</summary>
/// <param name="Op"><c>write</c>, <c>edit</c> or <c>run</c>.</param>
/// <param name="Path">The file (write, edit).</param>
/// <param name="Command">The command (run).</param>
/// <param name="ExitCode">The command's exit code (run).</param>
/// <param name="Output">The command's output tail (run).</param>
/// <param name="Phase"><c>solve</c>, <c>fix 1</c>, <c>fix 2</c> or <c>polish</c>.</param>
public sealed record AppliedOperation(string Op, string? Path, string? Command, int? ExitCode, string? Output, string Phase);

/// <summary>The result of one check.</summary>
/// <param name="Tool">The linter or build (<c>ruff</c>, <c>dotnet build</c>, <c>custom</c>…).</param>
/// <param name="Command">The command run.</param>
/// <param name="Passed">Exit code 0 within the time limit.</param>
/// <param name="ExitCode">The exit code (-1 on timeout).</param>
/// <param name="Output">The output tail (empty when it passed).</param>
/// <param name="Phase">When it ran: <c>baseline</c>, <c>solve</c>, <c>fix 1</c>, <c>fix 2</c>, <c>polish</c>.</param>
public sealed record LintResult(string Tool, string Command, bool Passed, int ExitCode, string Output, string Phase);

/// <summary>The consistency review's verdict.</summary>
/// <param name="Ok">The change (or code) does what was asked.</param>
/// <param name="Verdict"><c>ok</c> or <c>needs_changes</c>.</param>
/// <param name="Problems">What is wrong or missing.</param>
public sealed record ReviewVerdict(bool Ok, string Verdict, IReadOnlyList<string> Problems);

/// <summary>Everything a solver request did: the tool result.</summary>
public sealed record SolveResult
{
    /// <summary>How it ended.</summary>
    public required SolveStatus Status { get; init; }

    /// <summary>One paragraph for a person or a model: what happened, and what to do when it failed.</summary>
    public required string Message { get; init; }

    /// <summary>The model's summary of its change, or the answer (ask, analyze, review).</summary>
    public string? Answer { get; init; }

    /// <summary>Operations carried out, in order.</summary>
    public IReadOnlyList<AppliedOperation> Operations { get; init; } = [];

    /// <summary>Files changed (relative paths).</summary>
    public IReadOnlyList<string> ChangedFiles { get; init; } = [];

    /// <summary>Checks run, in order.</summary>
    public IReadOnlyList<LintResult> Lint { get; init; } = [];

    /// <summary>The review verdict, when a review ran.</summary>
    public ReviewVerdict? Review { get; init; }

    /// <summary>Fix cycles run after failed checks.</summary>
    public int FixCycles { get; init; }

    /// <summary>True when a polish pass ran after the review.</summary>
    public bool Polished { get; init; }

    /// <summary>True when the planner ran (large workspaces).</summary>
    public bool Planned { get; init; }

    /// <summary>Model calls made.</summary>
    public int LlmCalls { get; init; }

    /// <summary>Prompt tokens over all calls.</summary>
    public long PromptTokens { get; init; }

    /// <summary>Completion tokens over all calls.</summary>
    public long CompletionTokens { get; init; }

    /// <summary>Prompt plus completion tokens.</summary>
    public long TotalTokens => PromptTokens + CompletionTokens;

    /// <summary>The next tier to hand the task to (<c>workflow</c>) when this one could not finish it; else null.</summary>
    public string? Escalation { get; init; }

    /// <summary>
    /// Set when the request escalated on its own (the <c>solve</c> tool hands a task it could not finish to the
    /// workflow): that tier's outcome. Null when it did not escalate.
    /// </summary>
    public SolverEscalation? Escalated { get; init; }

    /// <summary>Notes: planner paths skipped, web queries not fetched, and the like.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>A step of a solver request, reported as it starts.</summary>
/// <param name="Step">1-based step number.</param>
/// <param name="Total">Steps expected (6 for changes, 4 for questions).</param>
/// <param name="Message">What is happening.</param>
public sealed record SolverProgress(int Step, int Total, string Message);
