using Memfun.Engine.Agents;
using Memfun.Engine.Repl;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Memfun.Engine.Rlm.Loop;

/// <summary>
/// The Recursive Language Model loop: the model sees the task, the REPL's tools and summaries of its
/// variables, answers with C#, the code runs, a truncated view of the output comes back; until FINAL,
/// the iteration cap or the token budget.
/// </summary>
/// <remarks>
/// Each run has its own REPL process, stopped when the run ends. Cancellation kills the running step.
/// Every step is recorded in the run's trace (memfun://rlm/traces/{id}). Thread-safe: runs are independent.
/// </remarks>
internal sealed partial class RlmRunner(ReplSessionRegistry registry, IOptions<RlmOptions> options, ILogger<RlmRunner> logger)
{
    /// <summary>What the loop's stall warnings tell the model to do, in REPL terms.</summary>
    private static readonly StallAdvice Advice = new(
        "Reply with one ```csharp block that calls the tools (list_files, search, read_file) to make progress.",
        "Keep its text in a variable and work on the variable instead of reading it again.",
        "call FINAL(answer) or FINAL_VAR(\"name\") with your best answer");

    /// <summary>
    /// Runs <paramref name="task"/> with <paramref name="chat"/> as the model (and the sub-model of llm_query);
    /// <paramref name="owner"/> (the client, an opaque key) is the only one its trace is listed to.
    /// </summary>
    public async Task<RlmResult> RunAsync(string task, int? maxIterations, IChatClient chat, IProgress<RlmProgress>? progress = null, CancellationToken cancellationToken = default, string? owner = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(task);
        ArgumentNullException.ThrowIfNull(chat);
        var opts = options.Value;
        var max = Math.Clamp(maxIterations ?? opts.MaxIterations, 1, 200);
        var session = registry.Create(chat, "rlm_run", task, owner);
        await using var sessionLifetime = session.ConfigureAwait(false);
        var trace = session.Trace;
        progress?.Report(new RlmProgress(0, max, "starting the REPL"));
        await session.StartAsync(cancellationToken).ConfigureAwait(false);

        var stall = new StallDetector(max, Advice);
        session.ToolCalled += (tool, args) => stall.RecordToolCall(tool, (string?)args["path"]);
        var steps = new List<RlmPrompt.StepView>();
        long tokens = 0;
        var largest = 0;
        string? answer = null;
        var finish = "iteration_cap";
        var iteration = 0;
        while (iteration < max)
        {
            iteration++;
            var vars = await session.GetVariablesAsync(cancellationToken).ConfigureAwait(false);
            var messages = RlmPrompt.Build(task, vars, steps, stall.Check(iteration - 1), iteration, max, opts);
            var promptTokens = messages.Sum(m => TokenEstimate.Of(m.Text));
            largest = Math.Max(largest, promptTokens);
            progress?.Report(new RlmProgress(iteration, max, $"iteration {iteration}: asking the model"));

            var response = await chat.GetResponseAsync(messages, new ChatOptions { Temperature = 0 }, cancellationToken).ConfigureAwait(false);
            long turnTokens = response.Usage?.TotalTokenCount ?? 0;
            if (turnTokens <= 0)
            {
                turnTokens = promptTokens + TokenEstimate.Of(response.Text);
            }

            tokens += turnTokens;
            var code = CodeBlocks.Extract(response.Text);
            if (code is null)
            {
                if (CodeBlocks.PlainFinal(response.Text) is { } plain)
                {
                    answer = plain;
                    finish = "final";
                    break;
                }

                steps.Add(new RlmPrompt.StepView(iteration, null, "no code", string.Empty, "The reply had no ```csharp block, so nothing ran.", null, []));
            }
            else
            {
                progress?.Report(new RlmProgress(iteration, max, $"iteration {iteration}: running {code.Split('\n').Length} line(s)"));
                var result = await session.ExecuteAsync(code, cancellationToken, turnTokens).ConfigureAwait(false);
                tokens += result.LlmTokens;
                if (result.Outcome == ReplStepOutcome.Ok)
                {
                    stall.RecordAction();
                }

                steps.Add(new RlmPrompt.StepView(iteration, code, result.Outcome.ToString(), result.Output, result.Error, result.Notice, result.Calls));
                if (result.Final is not null)
                {
                    answer = result.Final;
                    finish = "final";
                    break;
                }
            }

            if (tokens >= opts.TokenBudget)
            {
                finish = "token_budget";
                break;
            }
        }

        trace.Finish = finish;
        trace.Answer = answer;
        trace.Tokens = tokens;
        LogFinished(logger, trace.Id, finish, iteration, tokens);
        progress?.Report(new RlmProgress(iteration, max, $"finished: {finish}"));
        return new RlmResult
        {
            Answer = answer,
            Finish = finish,
            Iterations = iteration,
            Tokens = tokens,
            LargestPromptTokens = largest,
            TraceId = trace.Id,
            TraceUri = trace.Uri,
            Sandbox = session.SandboxMode,
        };
    }

    [LoggerMessage(EventId = 2620, Level = LogLevel.Information, Message = "rlm_run {Trace} finished ({Finish}) after {Iterations} iterations, {Tokens} tokens")]
    private static partial void LogFinished(ILogger logger, string trace, string finish, int iterations, long tokens);
}
