using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Memfun.Engine.Llm;
using Microsoft.Extensions.AI;

namespace Memfun.Engine.Orchestration;

/// <summary>
/// The cross-agent review with one LLM call in the review agent's voice: reads every task's answer and staged
/// changes, and the conflicts found mechanically, and answers which tasks to revise and why.
/// </summary>
public sealed class LlmWorkflowReviewer(IChatClient chat, string reviewerPrompt) : IWorkflowReviewer
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { AllowTrailingCommas = true };

    /// <summary>Tokens used by the reviews so far.</summary>
    public long Tokens { get; private set; }

    /// <summary>LLM calls made so far.</summary>
    public int Calls { get; private set; }

    /// <inheritdoc />
    public async Task<WorkflowReview> ReviewAsync(string request, IReadOnlyList<WorkflowTaskOutcome> outcomes, IReadOnlyList<string> detectedConflicts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(detectedConflicts);
        var sb = new StringBuilder().Append("## Request\n").AppendLine(request).AppendLine();
        foreach (var o in outcomes)
        {
            sb.Append("## Task ").Append(o.Task.Id).Append(" (").Append(o.Task.Agent).Append("): ").AppendLine(o.Task.Description);
            sb.AppendLine(o.Error is not null ? "FAILED: " + o.Error : o.Result?.Answer ?? string.Empty);
            foreach (var s in o.Staged)
            {
                sb.Append("- changes ").Append(s.Path).Append(" via ").AppendLine(s.Tool);
            }

            sb.AppendLine();
        }

        if (detectedConflicts.Count > 0)
        {
            sb.AppendLine("## Conflicts found").AppendLine(string.Join("\n", detectedConflicts));
        }

        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, reviewerPrompt + "\n\nYou review the outputs of several agents together. Answer with JSON only: " +
                "{\"ok\": true|false, \"summary\": \"...\", \"revisions\": [{\"task\": \"<task id>\", \"feedback\": \"what to change\"}]}. " +
                "Ask for revisions only for real problems: conflicts between outputs, failures, or work that does not do what was asked."),
            new(ChatRole.User, sb.ToString()),
        };
        var response = await chat.GetResponseAsync(messages, new ChatOptions { ResponseFormat = ChatResponseFormat.Json }, cancellationToken).ConfigureAwait(false);
        Calls++;
        Tokens += response.Usage?.TotalTokenCount ?? 0;
        try
        {
            var answer = ModelJson.Deserialize<Answer>(response.Text, Json);
            var revisions = (answer.Revisions ?? [])
                .Where(r => !string.IsNullOrWhiteSpace(r.Task))
                .GroupBy(r => r.Task!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => string.Join("\n", g.Select(r => r.Feedback)), StringComparer.Ordinal);
            return new WorkflowReview(answer.Ok && revisions.Count == 0, revisions, answer.Summary ?? string.Empty);
        }
        catch (MalformedAnswerException ex)
        {
            return new WorkflowReview(detectedConflicts.Count == 0, new Dictionary<string, string>(), $"The reviewer's answer was not usable: {ex.Message}.");
        }
    }

    private sealed record Answer(
        [property: JsonPropertyName("ok")] bool Ok,
        [property: JsonPropertyName("summary")] string? Summary,
        [property: JsonPropertyName("revisions")] List<Revision>? Revisions);

    private sealed record Revision(
        [property: JsonPropertyName("task")] string? Task,
        [property: JsonPropertyName("feedback")] string? Feedback);
}
