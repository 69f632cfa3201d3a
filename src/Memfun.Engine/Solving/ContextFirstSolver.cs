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

    /// <summary>Checks, fixes, review and polish after the change (shared with code-producing agents).</summary>
    private QualityPipeline Quality => field ??= new(reader, applier, runner, options, logger);

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
            var baseline = await Quality.VerifyAsync(run, "baseline", ct).ConfigureAwait(false);
            if (baseline.Any(l => !l.Passed))
            {
                task.Append("\n\nThe workspace's checks currently fail:\n").Append(QualityPipeline.Failures(baseline));
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
            await Quality.ApplyAsync(run, answer.Operations, "solve", ct).ConfigureAwait(false);
        }
        catch (OperationsRejectedException ex)
        {
            return run.Finish(SolveStatus.Rejected, ex.Message + ". The model's answer was refused as a whole; the workspace is untouched.");
        }

        // Checks, up to MaxFixCycles edit-only fixes, the consistency review and a polish pass.
        var (lint, verified) = await Quality.CheckAsync(run, model, task.ToString(), "solve", ct).ConfigureAwait(false);

        var files = string.Join(", ", run.Changed.Keys.Order(StringComparer.Ordinal));
        if (!verified)
        {
            return run.Finish(SolveStatus.VerificationFailed,
                $"Changed {files}, but the checks still fail after {run.FixCycles} fix cycle(s): {string.Join(", ", lint.Where(l => !l.Passed).Select(l => l.Tool))}. " +
                $"The changes are kept for inspection; hand the task to the '{NextTier}' tier or fix the remaining errors shown in the check results.",
                escalation: NextTier);
        }

        var checks = run.Lint.Count == 0 ? Quality.NoChecksText : $"checks pass ({string.Join(", ", lint.Select(l => l.Tool).Distinct())})";
        var review = QualityPipeline.ReviewText(run);
        return run.Finish(SolveStatus.Completed, $"Changed {files}; {checks}; {review}.");
    }

    internal static string Tail(string text, int max) => QualityPipeline.Tail(text, max);

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Solver request: {Mode}.")]
    private static partial void LogStart(ILogger logger, SolverMode mode);
}
