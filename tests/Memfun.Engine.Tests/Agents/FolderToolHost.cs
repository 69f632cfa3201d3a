using System.Collections.Concurrent;
using System.Text.Json;
using Memfun.Engine.Agents;

namespace Memfun.Engine.Tests.Agents;

/// <summary>
/// A tool host over a real folder with read_file, write_file, edit_file and list_files, standing in for the
/// server's loopback MCP client in engine-level tests (the end-to-end tests use the real server).
/// </summary>
public sealed class FolderToolHost(string root) : IAgentToolHost
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""{"type":"object","properties":{"path":{"type":"string"}}}""").RootElement;

    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>The call depth (<see cref="CallDepth.Current"/>) each call ran under.</summary>
    public ConcurrentQueue<int> Depths { get; } = new();

    public ValueTask<IReadOnlyList<AgentTool>> ListToolsAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<AgentTool>>(
        [
            new("read_file", "Reads a file.", Schema),
            new("write_file", "Writes a file.", Schema),
            new("edit_file", "Edits a file.", Schema),
            new("list_files", "Lists files.", Schema),
            new("run_cmd", "Runs a command.", Schema),
        ]);

    public ValueTask<AgentToolResult> CallToolAsync(string name, IReadOnlyDictionary<string, object?> arguments, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue(name);
        Depths.Enqueue(CallDepth.Current);
        var path = Path.Combine(root, arguments.GetValueOrDefault("path")?.ToString() ?? string.Empty);
        switch (name)
        {
            case "read_file":
                return ValueTask.FromResult(File.Exists(path) ? new AgentToolResult(File.ReadAllText(path), false) : new AgentToolResult("no such file", true));
            case "write_file":
                File.WriteAllText(path, arguments.GetValueOrDefault("content")?.ToString());
                return ValueTask.FromResult(new AgentToolResult("written", false));
            case "edit_file":
                if (!File.Exists(path))
                {
                    return ValueTask.FromResult(new AgentToolResult("no such file", true));
                }

                var text = File.ReadAllText(path);
                var old = arguments.GetValueOrDefault("old_text")?.ToString() ?? string.Empty;
                if (old.Length == 0 || !text.Contains(old, StringComparison.Ordinal))
                {
                    return ValueTask.FromResult(new AgentToolResult("old_text not found", true));
                }

                if (arguments.GetValueOrDefault("dry_run") is true)
                {
                    return ValueTask.FromResult(new AgentToolResult("would edit", false));
                }

                File.WriteAllText(path, text.Replace(old, arguments.GetValueOrDefault("new_text")?.ToString(), StringComparison.Ordinal));
                return ValueTask.FromResult(new AgentToolResult("edited", false));
            case "list_files":
                return ValueTask.FromResult(new AgentToolResult(string.Join("\n", Directory.GetFiles(root).Select(Path.GetFileName)), false));
            default:
                return ValueTask.FromResult(new AgentToolResult($"unknown tool {name}", true));
        }
    }
}
