using System.Text.Json.Nodes;

namespace Memfun.Engine.Agents;

/// <summary>
/// The recursion depth of agent→tool→agent calls, and its one limit. A host's own tool call is depth 0; a call an agent
/// makes is its caller's depth plus one. The depth has two carriers, both read and written here: a tool call's
/// <c>_meta</c> (<see cref="MetaKey"/>), and, inside a process, the async context (<see cref="Current"/>), which a queued
/// workflow task carries to the worker that runs it, and a worker's calls back to the coordinator send on, so the cap
/// holds across machines too.
/// </summary>
public static class CallDepth
{
    /// <summary>The <c>_meta</c> key of a tool call's depth.</summary>
    public const string MetaKey = "memfun/depth";

    /// <summary>The cap when <c>[agents] max_depth</c> is not set.</summary>
    public const int DefaultCap = 3;

    /// <summary>The highest cap that may be configured.</summary>
    public const int HighestCap = 10;

    private static readonly AsyncLocal<int> Depth = new();

    /// <summary>The depth of the tool call the current code runs under: 0 for a host's own call, one more for each agent in between.</summary>
    public static int Current
    {
        get => Depth.Value;
        set => Depth.Value = Math.Max(0, value);
    }

    /// <summary>The depth of the calls an agent started here makes: one more than <see cref="Current"/>.</summary>
    public static int Next => Current + 1;

    /// <summary>The depth a tool call's <c>_meta</c> carries; 0 when it carries none or not a whole number ≥ 0.</summary>
    public static int FromMeta(JsonObject? meta) =>
        meta?[MetaKey] is JsonValue v && v.TryGetValue<int>(out var depth) && depth >= 0 ? depth : 0;

    /// <summary>The <c>_meta</c> of a tool call made at <paramref name="depth"/>; null at depth 0 (a host's own call carries none).</summary>
    public static JsonObject? ToMeta(int depth) => depth > 0 ? new JsonObject { [MetaKey] = depth } : null;

    /// <summary>The cap for a configured <c>[agents] max_depth</c>, kept within 1–<see cref="HighestCap"/>; a caller may only lower it with <paramref name="requested"/>.</summary>
    public static int Cap(int configured, int? requested = null) =>
        Math.Min(Math.Clamp(configured, 1, HighestCap), requested is { } r ? Math.Max(0, r) : HighestCap);

    /// <summary>Why a call to <paramref name="tool"/> at <paramref name="depth"/> is refused under <paramref name="cap"/> (named by <paramref name="capSource"/>), or null when it may run.</summary>
    public static string? Refusal(string tool, int depth, int cap, string capSource) =>
        depth < cap ? null :
        $"'{tool}' was called at recursion depth {depth}, which reaches the cap of {cap} ({capSource}). " +
        "Do this step yourself with the workspace tools instead of delegating it again.";
}
