using System.Text.Json;
using Memfun.Engine.Agents;
using Memfun.Engine.Llm;
using Microsoft.Extensions.AI;

namespace Memfun.Engine.Orchestration;

/// <summary>
/// Turns a request into a workflow DAG with one LLM call (JSON), validates it, and asks the model once to
/// repair it when it is invalid (unknown agent, missing dependency, a cycle, too many tasks).
/// </summary>
public sealed class Decomposer
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { AllowTrailingCommas = true, ReadCommentHandling = JsonCommentHandling.Skip };

    /// <summary>Produces a valid plan for <paramref name="request"/>.</summary>
    /// <param name="request">The user's request.</param>
    /// <param name="workspaceSummary">A compact code map or description of the workspace.</param>
    /// <param name="agents">The agents the plan may use.</param>
    /// <param name="chat">The model.</param>
    /// <param name="maxTasks">The task cap.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The plan and the number of LLM calls made (1 or 2).</returns>
    /// <exception cref="WorkflowPlanException">Still invalid after one repair.</exception>
    public async Task<(WorkflowPlan Plan, int Calls, long Tokens)> DecomposeAsync(
        string request,
        string workspaceSummary,
        IReadOnlyList<AgentDefinition> agents,
        IChatClient chat,
        int maxTasks = 20,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(chat);
        var known = new HashSet<string>(agents.Select(a => a.Name), StringComparer.Ordinal);
        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, SystemPrompt(agents, maxTasks)),
            new(ChatRole.User, $"## Request\n{request}\n\n## Workspace\n{workspaceSummary}"),
        };

        long tokens = 0;
        IReadOnlyList<string> problems = [];
        for (var call = 1; call <= 2; call++)
        {
            var response = await chat.GetResponseAsync(messages, new ChatOptions { ResponseFormat = ChatResponseFormat.Json }, cancellationToken).ConfigureAwait(false);
            tokens += response.Usage?.TotalTokenCount ?? 0;
            messages.AddRange(response.Messages);
            WorkflowPlan? plan = null;
            try
            {
                plan = ModelJson.Deserialize<WorkflowPlan>(response.Text, Json);
                problems = WorkflowPlanValidator.Validate(plan, known, maxTasks);
            }
            catch (MalformedAnswerException ex)
            {
                problems = [$"Expected a JSON plan of the form {{\"tasks\": [...]}}, but {ex.Message}."];
            }

            if (problems.Count == 0)
            {
                return (plan!, call, tokens);
            }

            messages.Add(new ChatMessage(ChatRole.User,
                "Your plan is invalid:\n- " + string.Join("\n- ", problems) + "\nAnswer again with the corrected JSON plan only."));
        }

        throw new WorkflowPlanException(problems);
    }

    private static string SystemPrompt(IReadOnlyList<AgentDefinition> agents, int maxTasks) =>
        $$"""
        You decompose a software request into a small DAG of tasks for specialist agents.
        Agents:
        {{string.Join("\n", agents.Select(a => $"- {a.Name}: {a.Description}"))}}

        Answer with JSON only, no prose:
        {"tasks": [{"id": "t1", "description": "...", "agent": "coder", "inputs": [], "outputs": ["..."], "depends_on": [], "max_iterations": 8}]}
        Rules: at most {{maxTasks}} tasks; ids unique; depends_on names earlier task ids only; no cycles;
        independent tasks have no dependency between them so they run in parallel; each description is
        self-contained and names the files involved when known.
        """;
}
