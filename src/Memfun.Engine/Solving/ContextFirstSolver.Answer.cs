using Memfun.Engine.Llm;
using Microsoft.Extensions.AI;

namespace Memfun.Engine.Solving;

/// <summary>Questions, analyses and reviews: gather, then one call; nothing is written.</summary>
internal sealed partial class ContextFirstSolver
{
    private async Task<SolveResult> AnswerAsync(SolverRun run, IChatClient model, CancellationToken ct)
    {
        var request = run.Request;
        var focus = request.Mode is SolverMode.Analyze or SolverMode.Review ? request.Path : null;
        var question = request.Mode switch
        {
            SolverMode.Analyze => $"Analyze '{request.Path ?? "."}'." + (string.IsNullOrWhiteSpace(request.Text) ? string.Empty : " Focus: " + request.Text),
            SolverMode.Review => $"Review '{request.Path ?? "."}'." + (string.IsNullOrWhiteSpace(request.Text) ? string.Empty : " Focus: " + request.Text),
            _ => request.Text.Trim(),
        };

        var context = await GatherAsync(run, model, question, focus, numbered: true, ct).ConfigureAwait(false);
        run.Step(4, request.Mode == SolverMode.Review ? "Reviewing" : "Answering");
        var system = request.Mode switch
        {
            SolverMode.Analyze => SolverPrompts.Analyze,
            SolverMode.Review => SolverPrompts.ReviewCode,
            _ => SolverPrompts.Ask,
        };
        var response = await model.GetResponseAsync(
            [new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, $"{context}\n## Request\n{question}\n")],
            new ChatOptions(), ct).ConfigureAwait(false);
        if (response.FinishReason == ChatFinishReason.Length)
        {
            run.Notes.Add("The answer was cut off at the model's output limit.");
        }

        if (request.Mode != SolverMode.Review)
        {
            return run.Finish(SolveStatus.Answered, "Answered from the workspace; nothing was changed.", response.Text);
        }

        try
        {
            var (verdict, summary) = ModelAnswerParser.ParseReview(response.Text);
            run.Review = verdict;
            var answer = (summary ?? string.Empty) + (verdict.Problems.Count == 0 ? string.Empty : "\n" + string.Join("\n", verdict.Problems.Select(p => "- " + p)));
            return run.Finish(SolveStatus.Answered, $"Review of '{request.Path ?? "."}': {verdict.Verdict} ({verdict.Problems.Count} finding(s)); nothing was changed.", answer.Trim());
        }
        catch (MalformedAnswerException ex)
        {
            run.Notes.Add($"The review was not in the expected JSON form ({ex.Message}); its text is returned as is.");
            return run.Finish(SolveStatus.Answered, $"Review of '{request.Path ?? "."}' (free text); nothing was changed.", response.Text);
        }
    }
}
