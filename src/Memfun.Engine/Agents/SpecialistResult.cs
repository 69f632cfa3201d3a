namespace Memfun.Engine.Agents;

/// <summary>What a specialist run did.</summary>
/// <param name="Agent">The agent's name.</param>
/// <param name="Answer">The agent's final answer (or the reason it stopped).</param>
/// <param name="Iterations">Model turns used.</param>
/// <param name="InputTokens">Prompt tokens over every call.</param>
/// <param name="OutputTokens">Completion tokens over every call.</param>
/// <param name="Operations">Every workspace-changing tool call, in order (tool name and target).</param>
/// <param name="ToolCalls">Every tool call, in order.</param>
/// <param name="StopReason"><c>completed</c>, <c>iteration_cap</c>, <c>truncated</c> (the answer hit the output limit) or
/// <c>refused</c> (the provider's refusal stop); cancellation throws.</param>
/// <param name="Warnings">Stall warnings given to the model.</param>
public sealed record SpecialistResult(
    string Agent,
    string Answer,
    int Iterations,
    long InputTokens,
    long OutputTokens,
    IReadOnlyList<AgentOperation> Operations,
    IReadOnlyList<AgentToolCall> ToolCalls,
    string StopReason,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Total tokens.</summary>
    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>The agent is code-producing (<c>code_producing: true</c>): it was asked to change code.</summary>
    public bool CodeProducing { get; init; }

    /// <summary>Whether a workspace-changing tool call succeeded.</summary>
    public bool ChangedFiles => Operations.Any(o => o.Succeeded);

    /// <summary>
    /// <c>ok</c> when the agent finished on its own; <c>no change</c> when a code-producing agent finished without a
    /// successful edit or write; <c>incomplete</c> otherwise.
    /// </summary>
    public string Verdict => StopReason != "completed" ? "incomplete" : CodeProducing && !ChangedFiles ? NoChange : "ok";

    /// <summary>The verdict of a code-producing run that changed nothing.</summary>
    public const string NoChange = "no change";
}

/// <summary>A change the agent made through a tool.</summary>
public sealed record AgentOperation(string Tool, string Target, bool Succeeded);

/// <summary>One tool call: its name, a short form of its arguments, and whether it was refused or failed.</summary>
public sealed record AgentToolCall(string Tool, string Arguments, bool IsError);
