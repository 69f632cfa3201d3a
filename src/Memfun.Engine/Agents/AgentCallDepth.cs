namespace Memfun.Engine.Agents;

/// <summary>
/// The recursion depth of the tool call the current code runs under, flowing with the async context: the server
/// sets it where a host's or an agent's tool call enters, a queued workflow task carries it to the worker that
/// runs it, and a worker's calls back to the coordinator send it on, so the depth cap holds across machines too.
/// </summary>
public static class AgentCallDepth
{
    private static readonly AsyncLocal<int> Depth = new();

    /// <summary>The depth of the current call: 0 for a host's own call, one more for each agent in between.</summary>
    public static int Current
    {
        get => Depth.Value;
        set => Depth.Value = Math.Max(0, value);
    }
}
