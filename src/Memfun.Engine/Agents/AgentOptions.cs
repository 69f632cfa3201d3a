using Microsoft.Extensions.Configuration;

namespace Memfun.Engine.Agents;

/// <summary>Settings of the agents and the orchestrator (<c>[agents]</c> in memfun.toml).</summary>
internal sealed class AgentOptions
{
    /// <summary>How deep agent→tool→agent recursion may go (default 3, range 1–10).</summary>
    [ConfigurationKeyName("max_depth")]
    public int MaxDepth { get; set; } = CallDepth.DefaultCap;

    /// <summary>The most tasks a workflow may have (default 20).</summary>
    [ConfigurationKeyName("max_tasks")]
    public int MaxTasks { get; set; } = 20;

    /// <summary>Runs workflow tasks on `memfun worker` nodes through the runtime's queue (nats or redis tier only).</summary>
    [ConfigurationKeyName("distributed")]
    public bool Distributed { get; set; }
}
