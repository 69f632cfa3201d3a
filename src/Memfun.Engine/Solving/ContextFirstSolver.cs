using System.Text;
using Memfun.Engine.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Memfun.Engine.Solving;

/// <summary>The <see cref="ISolver"/>: see its remarks for the steps; this part holds the change flow.</summary>
/// <remarks>
/// Depends only on <see cref="IWorkspaceReader"/>, <see cref="ICodeMapSource"/>, <see cref="IEditApplier"/> and
/// <see cref="ICommandRunner"/>, so the workspace tools behind them can be swapped without touching this logic.
/// </remarks>
internal sealed partial class ContextFirstSolver(
    IWorkspaceReader reader,
    ICodeMapSource codeMap,
    IEditApplier applier,
    ICommandRunner runner,
    SolverOptions options,
    LlmOptions llm,
    ILogger<ContextFirstSolver> logger) : ISolver
{
    /// <summary>The tier a request goes to when this one cannot finish it.</summary>
    public const string NextTier = "workflow";

    public async Task<SolveResult> RunAsync(SolverRequest request, IChatClient model, IProgress<SolverProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(model);
        if (string.IsNullOrWhiteSpace(request.Text) && request.Mode is SolverMode.Solve or SolverMode.Fix or SolverMode.Ask)
        {
            throw new ArgumentException("Describe the task, problem or question in a sentence or more.", nameof(request));
        }

        using var scope = LlmRequestScope.Begin(llm);
        var changing = request.Mode is SolverMode.Solve or SolverMode.Fix;
        var run = new SolverRun(request, progress, scope, changing ? 6 : 4);
        LogStart(logger, request.Mode);
        try
        {
            return changing
                ? await ChangeAsync(run, model, cancellationToken).ConfigureAwait(false)
                : await AnswerAsync(run, model, cancellationToken).ConfigureAwait(false);
        }
        catch (LlmBudgetExceededException ex)
        {
            return run.Finish(SolveStatus.BudgetExceeded, ex.Message + Kept(run));
        }
        catch (LlmProviderException ex)
        {
            return run.Finish(SolveStatus.ProviderFailed, ex.Message + Kept(run));
        }
    }

    private static string Kept(SolverRun run) => run.Changed.Count == 0
        ? " The workspace was not changed."
        : $" Changes applied before it stopped (complete, validated batches) are kept: {string.Join(", ", run.Changed.Keys)}.";

    private async Task<SolveResult> ChangeAsync(SolverRun run, IChatClient model, CancellationToken ct)
    {
        var fix = run.Request.Mode == SolverMode.Fix;
        var task = new StringBuilder(run.Request.Text.Trim());
        if (fix)
        {
            // A fix starts from what the checks say now.
            var baseline = await VerifyAsync(run, "baseline", ct).ConfigureAwait(false);
            if (baseline.Any(l => !l.Passed))
            {
                task.Append("\n\nThe workspace's checks currently fail:\n").Append(Failures(baseline));
            }
        }

        var context = await GatherAsync(run, model, task.ToString(), focusPath: null, numbered: false, ct).ConfigureAwait(false);

        run.Step(4, fix ? "Fixing the problem" : "Solving the task");
        var prompt = $"{context}\n## {(fix ? "Problem" : "Task")}\n{task}\n";
        var response = await model.GetResponseAsync(
            [new ChatMessage(ChatRole.System, SolverPrompts.Solve(fix)), new ChatMessage(ChatRole.User, prompt)],
            new ChatOptions(), ct).ConfigureAwait(false);

        if (response.FinishReason == ChatFinishReason.Length)
        {
            return run.Finish(SolveStatus.Truncated,
                "The model's answer was cut off at its output limit before it was complete, so nothing was written. " +
                $"Hand the task to the '{NextTier}' tier, split it into smaller tasks, or raise [llm] max_tokens.",
                escalation: NextTier);
        }

        (string Summary, IReadOnlyList<FileOperation> Operations) answer;
        try
        {
            answer = ModelAnswerParser.ParseOperations(response.Text, editOnly: false);
        }
        catch (MalformedAnswerException ex)
        {
            return run.Finish(SolveStatus.Rejected, $"The model's answer was malformed: {ex.Message}. Nothing was written; try again or rephrase the task.");
        }

        run.Summary = answer.Summary;
        if (answer.Operations.Count == 0)
        {
            return run.Finish(SolveStatus.NoChanges, "The model found nothing to change." + (answer.Summary.Length > 0 ? " " + answer.Summary : string.Empty));
        }

        run.Step(5, $"Applying {answer.Operations.Count} operation(s) and verifying");
        try
        {
            await ApplyAsync(run, answer.Operations, "solve", ct).ConfigureAwait(false);
        }
        catch (OperationsRejectedException ex)
        {
            return run.Finish(SolveStatus.Rejected, ex.Message + ". The model's answer was refused as a whole; the workspace is untouched.");
        }

        var lint = await VerifyAsync(run, "solve", ct).ConfigureAwait(false);
        while (lint.Any(l => !l.Passed) && run.FixCycles < options.MaxFixCycles)
        {
            run.FixCycles++;
            run.Step(5, $"Checks failed; fix cycle {run.FixCycles} of {options.MaxFixCycles}");
            var phase = $"fix {run.FixCycles}";
            var repaired = await EditOnlyPassAsync(run, model, phase,
                $"## Task\n{task}\n\n## Check failures to fix\n{Failures(lint)}", ct).ConfigureAwait(false);
            if (!repaired)
            {
                break;
            }

            lint = await VerifyAsync(run, phase, ct).ConfigureAwait(false);
        }

        var verified = lint.All(l => l.Passed);

        run.Step(6, "Reviewing the change");
        await ReviewChangeAsync(run, model, task.ToString(), ct).ConfigureAwait(false);
        if (run.Review is { Ok: false })
        {
            run.Step(6, "Polishing after the review");
            var problems = string.Join("\n", run.Review.Problems.Select(p => "- " + p));
            if (await EditOnlyPassAsync(run, model, "polish", $"## Task\n{task}\n\n## Review findings to address\n{problems}", ct).ConfigureAwait(false))
            {
                run.Polished = true;
                lint = await VerifyAsync(run, "polish", ct).ConfigureAwait(false);
                verified = lint.All(l => l.Passed);
            }
        }

        var files = string.Join(", ", run.Changed.Keys.Order(StringComparer.Ordinal));
        if (!verified)
        {
            return run.Finish(SolveStatus.VerificationFailed,
                $"Changed {files}, but the checks still fail after {run.FixCycles} fix cycle(s): {string.Join(", ", lint.Where(l => !l.Passed).Select(l => l.Tool))}. " +
                $"The changes are kept for inspection; hand the task to the '{NextTier}' tier or fix the remaining errors shown in the check results.",
                escalation: NextTier);
        }

        var checks = run.Lint.Count == 0 ? "no checks detected for this workspace" : $"checks pass ({string.Join(", ", lint.Select(l => l.Tool).Distinct())})";
        var review = run.Review is null ? "not reviewed" : run.Review.Ok ? "review ok" : run.Polished ? "review found problems; one polish pass applied" : "review found problems that the polish pass could not apply";
        return run.Finish(SolveStatus.Completed, $"Changed {files}; {checks}; {review}.");
    }

    /// <summary>Applies the file operations of one answer (all or nothing), then runs its run operations.</summary>
    private async Task ApplyAsync(SolverRun run, IReadOnlyList<FileOperation> operations, string phase, CancellationToken ct)
    {
        var fileOps = operations.Where(o => o.Op != "run").ToList();
        if (fileOps.Count > 0)
        {
            var changes = await applier.ApplyAsync(fileOps, ct).ConfigureAwait(false);
            run.Record(changes, fileOps, phase);
        }

        foreach (var op in operations.Where(o => o.Op == "run"))
        {
            var outcome = await runner.RunAsync(op.Command!, options.CommandTimeout, ct).ConfigureAwait(false);
            run.Operations.Add(new AppliedOperation("run", null, op.Command, outcome.ExitCode, Tail(outcome.Output, 4000), phase));
            if (!outcome.Succeeded)
            {
                run.Notes.Add($"The command '{op.Command}' failed (exit {outcome.ExitCode}).");
            }
        }
    }

    /// <summary>One edit-only model call and its application; false when its answer could not be used.</summary>
    private async Task<bool> EditOnlyPassAsync(SolverRun run, IChatClient model, string phase, string instructions, CancellationToken ct)
    {
        var current = new StringBuilder("## Current content of the changed files\n");
        foreach (var path in run.Changed.Keys.Order(StringComparer.Ordinal))
        {
            var text = await reader.ReadTextAsync(path, 60_000, ct).ConfigureAwait(false);
            if (text is not null)
            {
                current.Append("### ").Append(path).Append("\n```\n").Append(text).Append("\n```\n");
            }
        }

        var response = await model.GetResponseAsync(
            [new ChatMessage(ChatRole.System, SolverPrompts.EditOnly), new ChatMessage(ChatRole.User, $"{current}\n{instructions}\n")],
            new ChatOptions(), ct).ConfigureAwait(false);
        if (response.FinishReason == ChatFinishReason.Length)
        {
            run.Notes.Add($"The {phase} answer was cut off; it was not applied.");
            return false;
        }

        try
        {
            var (_, ops) = ModelAnswerParser.ParseOperations(response.Text, editOnly: true);
            if (ops.Count == 0)
            {
                run.Notes.Add($"The {phase} pass proposed no edit.");
                return false;
            }

            await ApplyAsync(run, ops, phase, ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is MalformedAnswerException or OperationsRejectedException)
        {
            run.Notes.Add($"The {phase} answer was not applied: {ex.Message}");
            return false;
        }
    }

    private async Task<IReadOnlyList<LintResult>> VerifyAsync(SolverRun run, string phase, CancellationToken ct)
    {
        var checks = VerifierDetector.Detect(reader.ListFiles(ct), reader.Root, options, runner);
        var results = new List<LintResult>();
        foreach (var check in checks)
        {
            var outcome = await runner.RunAsync(check.Command, options.CommandTimeout, ct).ConfigureAwait(false);
            var result = new LintResult(check.Tool, check.Command, outcome.Succeeded, outcome.ExitCode, outcome.Succeeded ? string.Empty : Tail(outcome.Output, 6000), phase);
            results.Add(result);
            LogCheck(logger, check.Tool, phase, outcome.ExitCode);
        }

        run.Lint.AddRange(results);
        return results;
    }

    private async Task ReviewChangeAsync(SolverRun run, IChatClient model, string task, CancellationToken ct)
    {
        var prompt = new StringBuilder();
        prompt.Append("## Task\n").Append(task).Append("\n\n## The agent's summary\n").Append(run.Summary).Append("\n\n## The change\n");
        foreach (var (path, (original, current)) in run.Changed.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            prompt.Append(TextDiff.Unified(path, original, current, 30_000));
        }

        prompt.Append("\n## Checks\n");
        var last = run.Lint.GroupBy(l => l.Tool).Select(g => g.Last()).ToList();
        prompt.Append(last.Count == 0 ? "none detected\n" : string.Join("\n", last.Select(l => $"- {l.Tool}: {(l.Passed ? "pass" : "FAIL\n" + Tail(l.Output, 2000))}"))).Append('\n');

        var response = await model.GetResponseAsync(
            [new ChatMessage(ChatRole.System, SolverPrompts.Review), new ChatMessage(ChatRole.User, prompt.ToString())],
            new ChatOptions(), ct).ConfigureAwait(false);
        try
        {
            run.Review = ModelAnswerParser.ParseReview(response.Text).Verdict;
        }
        catch (MalformedAnswerException ex)
        {
            run.Notes.Add($"The review answer was unusable ({ex.Message}); the change is reported unreviewed.");
        }
    }

    private static string Failures(IEnumerable<LintResult> lint) =>
        string.Join("\n", lint.Where(l => !l.Passed).Select(l => $"### {l.Tool} (`{Tail(l.Command, 200)}`, exit {l.ExitCode})\n```\n{Tail(l.Output, 6000)}\n```"));

    internal static string Tail(string text, int max) => text.Length <= max ? text : "…" + text[^max..];

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Solver request: {Mode}.")]
    private static partial void LogStart(ILogger logger, SolverMode mode);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "Check {Tool} ({Phase}) exited {ExitCode}.")]
    private static partial void LogCheck(ILogger logger, string tool, string phase, int exitCode);
}
