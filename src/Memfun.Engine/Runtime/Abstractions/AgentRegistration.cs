namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>What an agent says about itself when it registers.</summary>
/// <param name="Id">Unique id (letters, digits, <c>-</c>, <c>_</c>, <c>.</c>).</param>
/// <param name="Name">A readable name.</param>
/// <param name="Capabilities">What it can do (task kinds, skills).</param>
/// <param name="StaleAfter">How long it stays live without a heartbeat.</param>
/// <param name="Metadata">Free-form details (host, pid, version).</param>
public sealed record AgentRegistration(
    string Id,
    string Name,
    IReadOnlyList<string> Capabilities,
    TimeSpan StaleAfter,
    IReadOnlyDictionary<string, string>? Metadata = null);
