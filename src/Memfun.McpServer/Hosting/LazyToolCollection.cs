using System.Diagnostics.CodeAnalysis;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Hosting;

/// <summary>
/// The server's tool collection, built on first use instead of at start-up: creating ~40 SDK tools (reflection,
/// JSON schemas, JIT) was most of the server's cold start, and <c>initialize</c> needs none of them.
/// </summary>
/// <remarks>
/// <para>Every overridable member (enumeration for <c>tools/list</c>, <see cref="TryGetPrimitive"/> for
/// <c>tools/call</c>, adds and removes) first builds the tools with the factory given, once, under a lock,
/// into an inner collection, then delegates to it. The tools are the same objects, in the same order, as an
/// eager build would give, so listings and schemas are unchanged. A hosted warm-up builds them right after the
/// session's first answer, so a host's first <c>tools/list</c> rarely waits.</para>
/// <para>Changes after the build raise <see cref="McpServerPrimitiveCollection{T}.Changed"/> on this collection
/// (so <c>notifications/tools/list_changed</c> and <see cref="McpServerPrimitiveCollection{T}.DeferChangedEvents"/>
/// work); the build itself raises nothing, as tools present from the start never did.</para>
/// <para>Limit: the base class's non-virtual <c>Count</c>, <c>IsEmpty</c> and indexer read the (empty) base
/// storage; use enumeration, <see cref="ToArray"/> or <see cref="TryGetPrimitive"/> instead. Thread-safe.</para>
/// </remarks>
internal sealed class LazyToolCollection(Func<IEnumerable<McpServerTool>> create) : McpServerPrimitiveCollection<McpServerTool>
{
    private readonly Lock _gate = new();
    private McpServerPrimitiveCollection<McpServerTool>? _tools;

    /// <summary>Whether the tools have been built yet.</summary>
    public bool IsMaterialized => Volatile.Read(ref _tools) is not null;

    /// <summary>Builds the tools now if not built yet (idempotent; what the warm-up calls).</summary>
    public void Materialize() => _ = Tools;

    private McpServerPrimitiveCollection<McpServerTool> Tools
    {
        get
        {
            if (Volatile.Read(ref _tools) is { } built)
            {
                return built;
            }

            lock (_gate)
            {
                if (_tools is null)
                {
                    var tools = new McpServerPrimitiveCollection<McpServerTool>();
                    foreach (var tool in create())
                    {
                        tools.TryAdd(tool);
                    }

                    tools.Changed += (_, _) => RaiseChanged();
                    Volatile.Write(ref _tools, tools);
                    StartupTrace.Mark("tools built");
                }

                return _tools;
            }
        }
    }

    public override ICollection<string> PrimitiveNames => Tools.PrimitiveNames;

    public override void Clear() => Tools.Clear();

    public override bool TryAdd(McpServerTool primitive) => Tools.TryAdd(primitive);

    public override bool Remove(McpServerTool primitive) => Tools.Remove(primitive);

    public override bool TryGetPrimitive(string name, [NotNullWhen(true)] out McpServerTool? primitive) => Tools.TryGetPrimitive(name, out primitive);

    public override bool Contains(McpServerTool primitive) => Tools.Contains(primitive);

    public override McpServerTool[] ToArray() => Tools.ToArray();

    public override void CopyTo(McpServerTool[] array, int arrayIndex) => Tools.CopyTo(array, arrayIndex);

    public override IEnumerator<McpServerTool> GetEnumerator() => Tools.GetEnumerator();
}
