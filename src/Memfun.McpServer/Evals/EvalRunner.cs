using System.Diagnostics;
using System.Text.Json;

namespace Memfun.McpServer.Evals;

/// <summary>
/// Scores tasks: each in a fresh copy of its workspace, the agent, then the tests with the test patch's files put back.
/// <see cref="RunTaskAsync"/> scores one task (what an <c>eval_task</c> worker does); <see cref="RunSuiteAsync"/> runs a
/// suite in this process, <see cref="EvalRunnerOptions.Parallel"/> tasks at a time, and assembles the report.
/// </summary>
/// <remarks>A task's failure (bad workspace, provider error, unreadable answer, timeout) is that task's error; the run goes on. Thread-safe.</remarks>
internal sealed class EvalRunner(EvalRunnerOptions? options = null)
{
    /// <summary>The task kind of a queued eval task.</summary>
    public const string TaskKind = "eval_task";

    private readonly EvalRunnerOptions _options = options ?? new EvalRunnerOptions();

    public EvalRunnerOptions Options => _options;

    /// <summary>Runs and scores one task; throws only on cancellation.</summary>
    public async Task<EvalTaskResult> RunTaskAsync(EvalTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        _options.Progress?.Report(new EvalEvent("started", task.Id, _options.RanOn));
        await PublishAsync("started", new { id = task.Id, worker = _options.RanOn }).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var usage = new EvalUsage();
        var result = new EvalTaskResult { Id = task.Id, Format = FormatName(task.Format), RanOn = _options.RanOn };
        try
        {
            using var workspace = await EvalWorkspace.CreateAsync(task, cancellationToken).ConfigureAwait(false);
            workspace.Keep = _options.KeepWorkspaces;
            var outcome = await _options.Agent.RunAsync(task, workspace.Path, usage, cancellationToken).ConfigureAwait(false);
            result = result with
            {
                Rung = outcome.Rung,
                AgentStatus = outcome.Status,
                Summary = outcome.Summary,
                Notes = outcome.Notes,
                Diff = await workspace.DiffAsync(cancellationToken).ConfigureAwait(false),
            };
            if (outcome.Error is { } error)
            {
                result = result with { Error = error };
            }
            else
            {
                await workspace.RestoreTestFilesAsync(cancellationToken).ConfigureAwait(false);
                var tests = await EvalTestRunner.RunAsync(task, workspace, cancellationToken).ConfigureAwait(false);
                result = result with { Tests = tests, Resolved = tests.Count > 0 && tests.All(t => t.Passed) };
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            result = result with { Error = ex is EvalSuiteException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}", Resolved = false };
        }

        result = result with
        {
            LlmCalls = usage.Calls,
            InputTokens = usage.InputTokens,
            OutputTokens = usage.OutputTokens,
            WallSeconds = Math.Round(clock.Elapsed.TotalSeconds, 2),
        };
        _options.Progress?.Report(new EvalEvent("finished", task.Id, _options.RanOn, result));
        await PublishAsync(result.Errored ? "failed" : "completed", new { id = task.Id, worker = _options.RanOn, resolved = result.Resolved, error = result.Error }).ConfigureAwait(false);
        return result;
    }

    /// <summary>Runs every task of <paramref name="suite"/> in this process and returns the report (tasks in the suite's order).</summary>
    public async Task<EvalReport> RunSuiteAsync(EvalSuite suite, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suite);
        var started = DateTimeOffset.UtcNow;
        var results = new EvalTaskResult[suite.Tasks.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, suite.Tasks.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Parallel), CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await RunTaskAsync(suite.Tasks[i], ct).ConfigureAwait(false)).ConfigureAwait(false);
        return new EvalReport
        {
            Suite = suite.Name,
            SuitePath = suite.Path,
            Mode = "in-process",
            StartedAt = started,
            FinishedAt = DateTimeOffset.UtcNow,
            Tasks = results,
        };
    }

    internal static string FormatName(EvalTaskFormat format) => format switch
    {
        EvalTaskFormat.SweBench => "swe-bench",
        EvalTaskFormat.Terminal => "terminal",
        _ => "folder",
    };

    private async Task PublishAsync(string what, object body)
    {
        if (_options.Events is not { } bus)
        {
            return;
        }

        try
        {
            await bus.PublishAsync($"task.{TaskKind}.{what}", JsonSerializer.SerializeToUtf8Bytes(body), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The dashboard's feed is best effort: a bus that is down never fails a task.
        }
    }
}
