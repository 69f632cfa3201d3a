namespace Memfun.Engine.Runtime;

/// <summary>The state areas the protocols use (a bucket each on NATS).</summary>
internal static class RuntimeAreas
{
    public const string State = "state";
    public const string Agents = "agents";
    public const string Sessions = "sessions";
    public const string Knowledge = "knowledge";
    public const string Tools = "tools";
    public const string Results = "results";
    public const string Workflows = "workflows";
}
