using System.ComponentModel;
using System.Text;
using System.Text.Json;
using Memfun.Engine.Memory;
using Memfun.Tools;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Mcp;

/// <summary>The memory tools: remember, recall, forget, memory_list.</summary>
[McpServerToolType]
[Toolset(Hosting.Toolsets.Memory)]
internal sealed class MemoryTools(MemoryService memory)
{
    [McpServerTool(Name = "remember", Title = "Remember a fact", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(RememberOutput))]
    [Description("Stores one durable fact or preference (a convention, command, gotcha, what the user prefers) for later " +
        "sessions, also in the workspace's MEMORY.md. The same text is stored once. Returns the id (p12 project, u3 " +
        "user).")]
    public async Task<CallToolResult> Remember(
        [Description("One or two self-contained sentences (say what it applies to), at most 2000 characters.")] string text,
        [Description("'project' (default, this workspace) or 'user' (every workspace).")] string? scope = null,
        [Description("Optional, at most 8 (letters, digits, - _ .), e.g. [\"build\"].")] string[]? tags = null,
        CancellationToken cancellationToken = default)
    {
        var result = await memory.RememberAsync(text, ParseScope(scope) ?? MemoryScope.Project, tags, "tool", cancellationToken);
        var e = result.Entry;
        var output = new RememberOutput(e.Id, Scope(e.Scope), e.Text, e.Tags, result.AlreadyKnown);
        var message = result.AlreadyKnown ? $"Already remembered as {e.Id}: {e.Text}" : $"Remembered {e.Id} ({Scope(e.Scope)}): {e.Text}";
        return ToolResults.Structured(message, output);
    }

    [McpServerTool(Name = "recall", Title = "Recall memories", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(RecallOutput))]
    [Description("Finds the stored memories most relevant to a question or task (BM25 over project and user memory, with " +
        "stemming). Use before starting work to learn the project's conventions and commands and the user's " +
        "preferences.")]
    public async Task<CallToolResult> Recall(
        [Description("What you want to know, e.g. 'how to run the tests'.")] string query,
        [Description("How many, 1-100 (default 5).")] int? k = null,
        CancellationToken cancellationToken = default)
    {
        var hits = await memory.RecallAsync(query, k ?? 5, cancellationToken);
        var items = hits.Select(Item).ToList();
        var text = items.Count == 0
            ? "No memory matches."
            : string.Join('\n', items.Select(i => $"[{i.Id}] {i.Text}{(i.Tags.Count > 0 ? $" ({string.Join(", ", i.Tags)})" : string.Empty)}"));
        return ToolResults.Structured(text, new RecallOutput(items));
    }

    [McpServerTool(Name = "forget", Title = "Forget memories", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ForgetOutput))]
    [Description("Deletes memories by id (p12, u3) or by text they contain, also from MEMORY.md. If more than one matches, " +
        "nothing is deleted and the matches are listed: call again with confirm=true to delete them.")]
    public async Task<CallToolResult> Forget(
        [Description("A memory id ('p12') or text the memories contain (case-insensitive).")] string target,
        [Description("Delete all of several matches (after checking the list).")] bool confirm = false,
        CancellationToken cancellationToken = default)
    {
        var result = await memory.ForgetAsync(target, confirm, cancellationToken);
        var output = new ForgetOutput(result.Deleted, result.NeedsConfirmation, result.TotalMatches, [.. result.Matches.Select(Item)]);
        var sb = new StringBuilder();
        if (result.NeedsConfirmation)
        {
            sb.AppendLine($"{Plural.Of(result.TotalMatches, "memory", "memories")} match '{target}'. Nothing was deleted. Call forget again with confirm=true to delete them all, or pass one id:");
            foreach (var m in result.Matches)
            {
                sb.AppendLine($"[{m.Id}] {m.Text}");
            }

            if (result.TotalMatches > result.Matches.Count)
            {
                sb.AppendLine($"… and {result.TotalMatches - result.Matches.Count} more.");
            }
        }
        else
        {
            sb.Append($"Forgot {result.Deleted.Count}: {string.Join(", ", result.Deleted)}.");
        }

        return ToolResults.Structured(sb.ToString().TrimEnd(), output);
    }

    [McpServerTool(Name = "memory_list", Title = "List memories", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(MemoryListOutput))]
    [Description("Lists memories, newest first, a page at a time, optionally by scope, tag or text. Use recall to search by " +
        "meaning; this to browse or find ids.")]
    public async Task<CallToolResult> MemoryList(
        [Description("'project' or 'user'; omit for both.")] string? scope = null,
        [Description("Only this tag.")] string? tag = null,
        [Description("Only text containing this (case-insensitive).")] string? contains = null,
        [Description("Entries to skip (the previous next_offset). Default 0.")] int offset = 0,
        [Description("Per page, 1-200 (default 20).")] int limit = 20,
        CancellationToken cancellationToken = default)
    {
        var page = await memory.ListAsync(ParseScope(scope), tag, contains, offset, limit, cancellationToken);
        var items = page.Items.Select(Item).ToList();
        int? next = offset + items.Count < page.Total ? offset + items.Count : null;
        var sb = new StringBuilder($"{Plural.Of(page.Total, "memory", "memories")}; showing {items.Count} from {offset}.");
        foreach (var i in items)
        {
            sb.Append('\n').Append($"[{i.Id}] {i.Text}{(i.Tags.Count > 0 ? $" ({string.Join(", ", i.Tags)})" : string.Empty)}");
        }

        if (next is not null)
        {
            sb.Append($"\nMore: call memory_list with offset={next}.");
        }

        return ToolResults.Structured(sb.ToString(), new MemoryListOutput(items, page.Total, offset, next));
    }

    private static MemoryScope? ParseScope(string? scope) => scope?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "project" => MemoryScope.Project,
        "user" => MemoryScope.User,
        _ => throw new MemfunToolException($"scope must be 'project' or 'user', not '{scope}'."),
    };

    private static string Scope(MemoryScope scope) => scope == MemoryScope.User ? "user" : "project";

    private static MemoryItem Item(MemoryEntry e) =>
        new(e.Id, Scope(e.Scope), e.Text, e.Tags, e.Source, e.CreatedAt, e.LastUsedAt, Math.Round(e.Score, 4));

    /// <summary>A memory as tools return it.</summary>
    internal sealed record MemoryItem(string Id, string Scope, string Text, IReadOnlyList<string> Tags, string Source, DateTimeOffset CreatedAt, DateTimeOffset LastUsedAt, double Score);

    /// <summary>remember's result.</summary>
    internal sealed record RememberOutput(string Id, string Scope, string Text, IReadOnlyList<string> Tags, bool AlreadyKnown);

    /// <summary>recall's result.</summary>
    internal sealed record RecallOutput(IReadOnlyList<MemoryItem> Memories);

    /// <summary>forget's result.</summary>
    internal sealed record ForgetOutput(IReadOnlyList<string> Deleted, bool NeedsConfirmation, int TotalMatches, IReadOnlyList<MemoryItem> Matches);

    /// <summary>memory_list's result.</summary>
    internal sealed record MemoryListOutput(IReadOnlyList<MemoryItem> Items, int Total, int Offset, int? NextOffset);
}
