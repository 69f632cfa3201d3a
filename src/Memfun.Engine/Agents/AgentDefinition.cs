namespace Memfun.Engine.Agents;

/// <summary>A specialist agent as declared by an <c>AGENT.md</c> file.</summary>
/// <param name="Name">Unique name (lowercase letters, digits, '_' or '-'); the MCP tool is <c>{Name}_agent</c>.</param>
/// <param name="Description">One line saying what the agent is for; shown to hosts and to the decomposer.</param>
/// <param name="MaxIterations">The iteration cap of the agent's tool-calling loop (1–100).</param>
/// <param name="Tools">The tools the agent may call; enforced, not requested.</param>
/// <param name="Delegates">The agents this one may call through <c>{name}_agent</c> tools.</param>
/// <param name="CodeProducing">Whether the agent writes code, so the quality pipeline runs after it.</param>
/// <param name="SystemPrompt">The markdown body: the agent's system prompt.</param>
/// <param name="SourcePath">The file it was read from.</param>
public sealed record AgentDefinition(
    string Name,
    string Description,
    int MaxIterations,
    IReadOnlyList<string> Tools,
    IReadOnlyList<string> Delegates,
    bool CodeProducing,
    string SystemPrompt,
    string SourcePath)
{
    /// <summary>
    /// The file of the definition this one replaces by name (a built-in, or a workspace agent that <c>.memfun/agents/</c>
    /// overrides); null when it replaces nothing. Listings show it, so no override is silent.
    /// </summary>
    public string? Overrides { get; init; }

    /// <summary>The name of the MCP tool that runs this agent.</summary>
    public string ToolName => $"{Name}_agent";
}
