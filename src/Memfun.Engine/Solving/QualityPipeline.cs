using System.Text;
using Memfun.Engine.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Memfun.Engine.Solving;

/// <summary>
/// The quality pipeline that follows a change: the workspace's checks (linters, builds or <c>[verify]</c> commands),
/// up to <see cref="SolverOptions.MaxFixCycles"/> edit-only fix passes while they fail, one consistency review of the
/// change, and one edit-only polish pass when the review finds problems.
/// </summary>
/// <remarks>
/// Used by the context-first solver after it applies its answer, and by code-producing specialist agents after their
/// tool loop (<see cref="RunAsync"/>). Fix and polish edits are applied all or nothing through <see cref="IEditApplier"/>
/// (confined to the workspace); an unusable answer is noted and skipped, never half-applied. Thread-safe: no state
/// between runs; two runs on the same files at once are the caller's problem.
/// </remarks>
public sealed partial class QualityPipeline
{
    private readonly IWorkspaceReader _reader;
    private readonly IEditApplier _applier;
    private readonly ICommandRunner _runner;
    private readonly SolverOptions _options;
    private readonly ILogger _logger;

    internal QualityPipeline(IWorkspaceReader reader, IEditApplier applier, ICommandRunner runner, SolverOptions options, ILogger logger)
    {
        _reader = reader;
        _applier = applier;
        _runner = runner;
        _options = options;
        _logger = logger;
    }

    /// <summary>Checks, fixes, reviews and polishes a change that was already made in the workspace.</summary>
    /// <param name="task">What the change was meant to do (the agent's task).</param>
    /// <param name="summary">What the author says it did (the agent's answer), or null.</param>
    /// <param name="originals">Each changed file (relative path) with its text before the change, or null when it was created.</param>
    /// <param name="model">The model for the fix, review and polish calls.</param>
    /// <param name="progress">Receives a line per step, or null.</param>
    /// <param name="cancellationToken">Cancels between and during the steps.</param>
    /// <returns>The verdict, the checks, the fix cycles and the review; <see cref="QualityResult.Verdict"/> is
    /// <c>unchanged</c> (and nothing ran) when no file differs from its original.</returns>
    public async Task<QualityResult> RunAsync(
        string task,
        string? summary,
        IReadOnlyDictionary<string, string?> originals,
        IChatClient model,
        IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(originals);
        ArgumentNullException.ThrowIfNull(model);
        var counting = new CountingChatClient(model);
        var run = new SolverRun(new SolverRequest(SolverMode.Solve, task), progress is null ? null : new Progress(progress), null, 6) { Summary = summary };
        foreach (var (path, original) in originals.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            var current = await _reader.ReadTextAsync(path, 1_000_000, cancellationToken).ConfigureAwait(false);
            if (current is not null && current != original)
            {
                run.Changed[path] = (original, current);
            }
        }

        if (run.Changed.Count == 0)
        {
            return new QualityResult("unchanged", "No file differs from before the run; nothing to check.", [], [], null, 0, false, [], [], 0, 0);
        }

        var (lint, verified) = await CheckAsync(run, counting, task, "agent", cancellationToken).ConfigureAwait(false);
        var files = string.Join(", ", run.Changed.Keys.Order(StringComparer.Ordinal));
        var checks = run.Lint.Count == 0 ? NoChecksText : verified
            ? $"checks pass ({string.Join(", ", lint.Select(l => l.Tool).Distinct())})"
            : $"checks still fail after {run.FixCycles} fix cycle(s): {string.Join(", ", lint.Where(l => !l.Passed).Select(l => l.Tool))}";
        var verdict = !verified ? "verification_failed" : run.Review is { Ok: false } && !run.Polished ? "needs_changes" : "ok";
        return new QualityResult(
            verdict,
            $"Changed {files}; {checks}; {ReviewText(run)}.",
            [.. run.Changed.Keys.Order(StringComparer.Ordinal)],
            [.. run.Lint],
            run.Review,
            run.FixCycles,
            run.Polished,
            [.. run.Operations],
            [.. run.Notes],
            counting.InputTokens,
            counting.OutputTokens);
    }

    /// <summary>What a result says when no check ran: none detected, or none allowed in an untrusted workspace.</summary>
    internal string NoChecksText => _options.RunProjectChecks ? "no checks detected for this workspace" : ChecksSkippedNote;

    /// <summary>The note of a verification skipped because the workspace is not trusted.</summary>
    internal string ChecksSkippedNote =>
        $"verification skipped: workspace not trusted (checks run the project's own code); run `memfun trust {_reader.Root}` to enable them";

    /// <summary>How the review went, in a few words.</summary>
    internal static string ReviewText(SolverRun run) => run.Review is null ? "not reviewed" : run.Review.Ok ? "review ok"
        : run.Polished ? "review found problems; one polish pass applied" : "review found problems that the polish pass could not apply";

    /// <summary>
    /// Verifies the change recorded in <paramref name="run"/> (phase <paramref name="phase"/>), runs the fix cycles
    /// while the checks fail, reviews the change and polishes once after a negative review.
    /// </summary>
    /// <returns>The last check results and whether they all pass.</returns>
    internal async Task<(IReadOnlyList<LintResult> Lint, bool Verified)> CheckAsync(SolverRun run, IChatClient model, string task, string phase, CancellationToken ct)
    {
        var lint = await VerifyAsync(run, phase, ct).ConfigureAwait(false);
        while (lint.Any(l => !l.Passed) && run.FixCycles < _options.MaxFixCycles)
        {
            run.FixCycles++;
            run.Step(5, $"Checks failed; fix cycle {run.FixCycles} of {_options.MaxFixCycles}");
            var fixPhase = $"fix {run.FixCycles}";
            var repaired = await EditOnlyPassAsync(run, model, fixPhase,
                $"## Task\n{task}\n\n## Check failures to fix\n{Failures(lint)}", ct).ConfigureAwait(false);
            if (!repaired)
            {
                break;
            }

            lint = await VerifyAsync(run, fixPhase, ct).ConfigureAwait(false);
        }

        var verified = lint.All(l => l.Passed);

        run.Step(6, "Reviewing the change");
        await ReviewChangeAsync(run, model, task, ct).ConfigureAwait(false);
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

        return (lint, verified);
    }

    /// <summary>Applies the file operations of one answer (all or nothing), then runs its run operations.</summary>
    /// <exception cref="OperationsRejectedException">A file operation is invalid; nothing was written.</exception>
    internal async Task ApplyAsync(SolverRun run, IReadOnlyList<FileOperation> operations, string phase, CancellationToken ct)
    {
        var fileOps = operations.Where(o => o.Op != "run").ToList();
        if (fileOps.Count > 0)
        {
            var changes = await _applier.ApplyAsync(fileOps, ct).ConfigureAwait(false);
            run.Record(changes, fileOps, phase);
        }

        foreach (var op in operations.Where(o => o.Op == "run"))
        {
            var outcome = await _runner.RunAsync(op.Command!, _options.CommandTimeout, ct).ConfigureAwait(false);
            run.Operations.Add(new AppliedOperation("run", null, op.Command, outcome.ExitCode, Tail(outcome.Output, 4000), phase));
            if (!outcome.Succeeded)
            {
                run.Notes.Add($"The command '{op.Command}' failed (exit {outcome.ExitCode}).");
            }
        }
    }

    /// <summary>Runs the workspace's checks and records them on <paramref name="run"/>.</summary>
    internal async Task<IReadOnlyList<LintResult>> VerifyAsync(SolverRun run, string phase, CancellationToken ct)
    {
        if (!_options.RunProjectChecks)
        {
            // Linters, builds and [verify] commands all run code the project ships: not in an untrusted workspace.
            if (!run.Notes.Contains(ChecksSkippedNote))
            {
                run.Notes.Add(ChecksSkippedNote);
                LogChecksSkipped(_logger, phase);
            }

            return [];
        }

        var checks = VerifierDetector.Detect(_reader.ListFiles(ct), _reader.Root, _options, _runner);
        var results = new List<LintResult>();
        foreach (var check in checks)
        {
            var outcome = await _runner.RunAsync(check.Command, _options.CommandTimeout, ct).ConfigureAwait(false);
            var result = new LintResult(check.Tool, check.Command, outcome.Succeeded, outcome.ExitCode, outcome.Succeeded ? string.Empty : Tail(outcome.Output, 6000), phase);
            results.Add(result);
            LogCheck(_logger, check.Tool, phase, outcome.ExitCode);
        }

        run.Lint.AddRange(results);
        return results;
    }

    /// <summary>The failing checks, as a markdown section for a prompt.</summary>
    internal static string Failures(IEnumerable<LintResult> lint) =>
        string.Join("\n", lint.Where(l => !l.Passed).Select(l => $"### {l.Tool} (`{Tail(l.Command, 200)}`, exit {l.ExitCode})\n```\n{Tail(l.Output, 6000)}\n```"));

    internal static string Tail(string text, int max) => text.Length <= max ? text : "…" + text[^max..];

    /// <summary>One edit-only model call and its application; false when its answer could not be used.</summary>
    private async Task<bool> EditOnlyPassAsync(SolverRun run, IChatClient model, string phase, string instructions, CancellationToken ct)
    {
        var current = new StringBuilder("## Current content of the changed files\n");
        foreach (var path in run.Changed.Keys.Order(StringComparer.Ordinal))
        {
            var text = await _reader.ReadTextAsync(path, 60_000, ct).ConfigureAwait(false);
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

    private static async Task ReviewChangeAsync(SolverRun run, IChatClient model, string task, CancellationToken ct)
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

    [LoggerMessage(EventId = 2160, Level = LogLevel.Information, Message = "Checks skipped ({Phase}): the workspace is not trusted")]
    private static partial void LogChecksSkipped(ILogger logger, string phase);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "Check {Tool} ({Phase}) exited {ExitCode}.")]
    private static partial void LogCheck(ILogger logger, string tool, string phase, int exitCode);

    /// <summary>Step lines of the agent path, as plain text.</summary>
    private sealed class Progress(IProgress<string> inner) : IProgress<SolverProgress>
    {
        public void Report(SolverProgress value) => inner.Report("quality: " + value.Message);
    }

    /// <summary>Sums the token usage of the pipeline's own calls (the agent path reports them with the agent's).</summary>
    private sealed class CountingChatClient(IChatClient inner) : DelegatingChatClient(inner)
    {
        private long _input;
        private long _output;

        public long InputTokens => Interlocked.Read(ref _input);

        public long OutputTokens => Interlocked.Read(ref _output);

        public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _input, response.Usage?.InputTokenCount ?? 0);
            Interlocked.Add(ref _output, response.Usage?.OutputTokenCount ?? 0);
            return response;
        }
    }
}
