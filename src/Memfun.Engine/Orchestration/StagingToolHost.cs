using Memfun.Engine.Agents;

namespace Memfun.Engine.Orchestration;

/// <summary>
/// The tool host a workflow task runs with: reads and commands pass through; <c>write_file</c> and
/// <c>edit_file</c> are checked (an edit is dry-run against the workspace) and staged, not applied, so the
/// coordinator can apply every task's changes once, in DAG order, after review.
/// </summary>
/// <remarks>Thread-safe for one task. Nothing is written by a task that fails or whose node dies.</remarks>
public sealed class StagingToolHost(IAgentToolHost inner, string taskId) : IAgentToolHost
{
    private readonly List<StagedOperation> _staged = [];
    private readonly Dictionary<string, string> _written = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The operations staged so far, in order.</summary>
    public IReadOnlyList<StagedOperation> Staged
    {
        get { lock (_gate) { return [.. _staged]; } }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AgentTool>> ListToolsAsync(CancellationToken cancellationToken = default) => inner.ListToolsAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask<AgentToolResult> CallToolAsync(string name, IReadOnlyDictionary<string, object?> arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var path = arguments.GetValueOrDefault("path")?.ToString() ?? string.Empty;
        switch (name)
        {
            case "write_file":
            {
                var content = arguments.GetValueOrDefault("content")?.ToString() ?? string.Empty;
                lock (_gate)
                {
                    _written[path] = content;
                    _staged.Add(new StagedOperation(taskId, name, path, arguments));
                }

                return new AgentToolResult($"Staged: write {path} ({content.Length} chars). The coordinator applies it after review.", IsError: false);
            }

            case "edit_file":
            {
                string? stagedContent;
                lock (_gate)
                {
                    _written.TryGetValue(path, out stagedContent);
                }

                if (stagedContent is not null)
                {
                    // The file was written earlier in this task: edit the staged text.
                    var oldText = arguments.GetValueOrDefault("old_text")?.ToString() ?? string.Empty;
                    var newText = arguments.GetValueOrDefault("new_text")?.ToString() ?? string.Empty;
                    var at = oldText.Length == 0 ? -1 : stagedContent.IndexOf(oldText, StringComparison.Ordinal);
                    if (at < 0)
                    {
                        return new AgentToolResult($"old_text was not found in the staged content of {path}.", IsError: true);
                    }

                    lock (_gate)
                    {
                        _written[path] = string.Concat(stagedContent.AsSpan(0, at), newText, stagedContent.AsSpan(at + oldText.Length));
                        _staged.Add(new StagedOperation(taskId, "write_file", path, new Dictionary<string, object?> { ["path"] = path, ["content"] = _written[path] }));
                    }

                    return new AgentToolResult($"Staged: edit of {path}.", IsError: false);
                }

                var check = new Dictionary<string, object?>(arguments, StringComparer.Ordinal) { ["dry_run"] = true };
                var result = await inner.CallToolAsync("edit_file", check, cancellationToken).ConfigureAwait(false);
                if (result.IsError)
                {
                    return result;
                }

                lock (_gate)
                {
                    _staged.Add(new StagedOperation(taskId, name, path, arguments));
                }

                return new AgentToolResult("Staged (checked against the workspace): " + result.Text, IsError: false);
            }

            default:
                return await inner.CallToolAsync(name, arguments, cancellationToken).ConfigureAwait(false);
        }
    }
}
