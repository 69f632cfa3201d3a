namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>Agents and workers announce themselves with capabilities and keep a heartbeat; others discover them.</summary>
/// <remarks>An agent that has not heartbeated within its <see cref="AgentRegistration.StaleAfter"/> disappears from
/// <see cref="DiscoverAsync"/> and <see cref="ListAsync"/>. Shared across processes on every tier but in-process.</remarks>
public interface IAgentRegistry
{
    /// <summary>Registers (or re-registers) an agent; it is live until <see cref="AgentRegistration.StaleAfter"/> passes without a heartbeat.</summary>
    ValueTask<AgentInfo> RegisterAsync(AgentRegistration registration, CancellationToken cancellationToken = default);

    /// <summary>Keeps a registered agent live; returns <see langword="false"/> when it had expired or was never registered
    /// (register again).</summary>
    ValueTask<bool> HeartbeatAsync(string agentId, CancellationToken cancellationToken = default);

    /// <summary>Removes an agent.</summary>
    ValueTask<bool> UnregisterAsync(string agentId, CancellationToken cancellationToken = default);

    /// <summary>The live agents that have every one of <paramref name="capabilities"/> (case-insensitive).</summary>
    ValueTask<IReadOnlyList<AgentInfo>> DiscoverAsync(IReadOnlyCollection<string> capabilities, CancellationToken cancellationToken = default);

    /// <summary>Every live agent.</summary>
    ValueTask<IReadOnlyList<AgentInfo>> ListAsync(CancellationToken cancellationToken = default);
}
