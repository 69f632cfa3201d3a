using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Memfun.Engine.Agents;

/// <summary>
/// Runs one specialist: a tool-calling loop over exactly the tools its AGENT.md allows (a call to any
/// other tool is refused and the refusal returned to the model), with stall warnings and the iteration cap.
/// </summary>
/// <remarks>
/// Thread-safe: no state between runs. Tool calls go through <see cref="IAgentToolHost"/>, so confinement,
/// the write guard and fuzzy edits apply exactly as they do for a host.
/// </remarks>
public sealed class SpecialistRunner
{
    private static readonly HashSet<string> WritingTools = new(StringComparer.Ordinal) { "write_file", "edit_file" };

    /// <summary>Runs <paramref name="agent"/> on <paramref name="task"/>.</summary>
    /// <param name="agent">The agent definition.</param>
    /// <param name="task">What to do.</param>
    /// <param name="context">Extra context (outputs of earlier tasks, memory), or null.</param>
    /// <param name="chat">The model.</param>
    /// <param name="tools">Where tool calls go.</param>
    /// <param name="progress">Receives a line per iteration, or null.</param>
    /// <param name="maxIterations">Overrides the agent's cap when lower; null keeps it.</param>
    /// <param name="cancellationToken">Cancels the run between and during calls.</param>
    public async Task<SpecialistResult> RunAsync(
        AgentDefinition agent,
        string task,
        string? context,
        IChatClient chat,
        IAgentToolHost tools,
        IProgress<string>? progress = null,
        int? maxIterations = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentException.ThrowIfNullOrWhiteSpace(task);

        var cap = Math.Min(agent.MaxIterations, maxIterations is > 0 ? maxIterations.Value : int.MaxValue);
        var allowed = new HashSet<string>(agent.Tools, StringComparer.Ordinal);
        foreach (var d in agent.Delegates)
        {
            allowed.Add($"{d}_agent");
        }

        var available = await tools.ListToolsAsync(cancellationToken).ConfigureAwait(false);
        var declarations = available
            .Where(t => allowed.Contains(t.Name))
            .Select(t => (AITool)AIFunctionFactory.CreateDeclaration(t.Name, t.Description, t.InputSchema))
            .ToList();

        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, agent.SystemPrompt + "\n\n" +
                $"You have at most {cap} iterations. Tools you may use: {string.Join(", ", declarations.Select(d => d.Name))}. " +
                "When you are done, answer without calling a tool: say what you did and how you checked it."),
            new(ChatRole.User, context is { Length: > 0 } ? $"{task}\n\n## Context\n{context}" : task),
        };
        var options = new ChatOptions { Tools = declarations, ToolMode = declarations.Count > 0 ? ChatToolMode.Auto : null };

        var stall = new StallDetector(cap, StallAdvice.Specialist, expectsAction: agent.CodeProducing);
        var operations = new List<AgentOperation>();
        var calls = new List<AgentToolCall>();
        var warnings = new List<string>();
        long inputTokens = 0, outputTokens = 0;
        var lastText = string.Empty;

        for (var iteration = 1; iteration <= cap; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();

            var response = await chat.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            inputTokens += response.Usage?.InputTokenCount ?? 0;
            outputTokens += response.Usage?.OutputTokenCount ?? 0;
            messages.AddRange(response.Messages);
            lastText = response.Text;

            var requested = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
            progress?.Report($"{agent.Name}: iteration {iteration}/{cap}, {requested.Count} tool call(s)");
            if (requested.Count == 0)
            {
                // A cut-off or refused answer is not a finished one, whatever text it carries.
                var stop = response.FinishReason == ChatFinishReason.Length ? "truncated"
                    : response.FinishReason == ChatFinishReason.ContentFilter ? "refused"
                    : "completed";
                return Result(stop, lastText, iteration);
            }

            var results = new List<AIContent>();
            foreach (var call in requested)
            {
                var args = (IReadOnlyDictionary<string, object?>)(call.Arguments as IDictionary<string, object?> is { } d
                    ? new Dictionary<string, object?>(d, StringComparer.Ordinal)
                    : new Dictionary<string, object?>(StringComparer.Ordinal));
                var shortArgs = Shorten(JsonSerializer.Serialize(args));
                if (!allowed.Contains(call.Name))
                {
                    var refusal = $"The tool '{call.Name}' is not allowed for the {agent.Name} agent. Allowed tools: {string.Join(", ", allowed.Order(StringComparer.Ordinal))}.";
                    calls.Add(new AgentToolCall(call.Name, shortArgs, IsError: true));
                    results.Add(new FunctionResultContent(call.CallId, refusal));
                    continue;
                }

                stall.RecordToolCall(call.Name, args.GetValueOrDefault("path")?.ToString());
                AgentToolResult result;
                try
                {
                    result = await tools.CallToolAsync(call.Name, args, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
#pragma warning disable CA1031 // A failing tool is reported to the model, which can recover; the loop must go on.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    result = new AgentToolResult($"The tool '{call.Name}' failed: {ex.Message}", IsError: true);
                }

                calls.Add(new AgentToolCall(call.Name, shortArgs, result.IsError));
                if (WritingTools.Contains(call.Name))
                {
                    operations.Add(new AgentOperation(call.Name, args.GetValueOrDefault("path")?.ToString() ?? string.Empty, !result.IsError));
                }

                results.Add(new FunctionResultContent(call.CallId, result.IsError ? "ERROR: " + result.Text : result.Text));
            }

            messages.Add(new ChatMessage(ChatRole.Tool, results));
            var due = stall.Check(iteration);
            if (due.Count > 0)
            {
                warnings.AddRange(due);
                messages.Add(new ChatMessage(ChatRole.User, string.Join("\n", due)));
            }
        }

        return Result("iteration_cap", lastText.Length > 0 ? lastText : $"The {agent.Name} agent reached its cap of {cap} iterations before finishing.", cap);

        SpecialistResult Result(string stop, string answer, int iterations) =>
            new(agent.Name, answer, iterations, inputTokens, outputTokens, operations, calls, stop, warnings) { CodeProducing = agent.CodeProducing };
    }

    private static string Shorten(string s) => s.Length <= 200 ? s : string.Concat(s.AsSpan(0, 197), "...");
}
