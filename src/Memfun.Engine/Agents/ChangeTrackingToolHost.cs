using Memfun.Engine.Solving;

namespace Memfun.Engine.Agents;

/// <summary>
/// An <see cref="IAgentToolHost"/> that remembers, before the first <c>write_file</c> or <c>edit_file</c> of each path,
/// the file's text at that moment, so the change an agent made can be diffed, checked and reviewed afterwards.
/// </summary>
/// <remarks>
/// Every call is forwarded unchanged. Paths are read through <see cref="IWorkspaceReader"/> (confined to the workspace;
/// an unreadable or missing file counts as created). Thread-safe.
/// </remarks>
public sealed class ChangeTrackingToolHost(IAgentToolHost inner, IWorkspaceReader reader) : IAgentToolHost
{
    private readonly Dictionary<string, string?> _originals = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Each path written or edited so far (as the agent named it), with its text before the first write (null: did not exist).</summary>
    public IReadOnlyDictionary<string, string?> Originals
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, string?>(_originals, StringComparer.Ordinal);
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<AgentTool>> ListToolsAsync(CancellationToken cancellationToken = default) => inner.ListToolsAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<AgentToolResult> CallToolAsync(string name, IReadOnlyDictionary<string, object?> arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (name is "write_file" or "edit_file" && arguments.GetValueOrDefault("path")?.ToString() is { Length: > 0 } path)
        {
            bool seen;
            lock (_gate)
            {
                seen = _originals.ContainsKey(path);
            }

            if (!seen)
            {
                // Null for a new file, and for a path outside the workspace (the tool call itself is refused then).
                var before = await reader.ReadTextAsync(path, 1_000_000, cancellationToken).ConfigureAwait(false);

                lock (_gate)
                {
                    _originals.TryAdd(path, before);
                }
            }
        }

        return await inner.CallToolAsync(name, arguments, cancellationToken).ConfigureAwait(false);
    }
}
