namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>A live agent as seen by <see cref="IAgentRegistry"/>.</summary>
public sealed record AgentInfo(
    string Id,
    string Name,
    IReadOnlyList<string> Capabilities,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset RegisteredAt,
    DateTimeOffset LastHeartbeat,
    TimeSpan StaleAfter);
