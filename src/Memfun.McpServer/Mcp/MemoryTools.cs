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
internal sealed class MemoryTools(MemoryService memory)
{
    [McpServerTool(Name = "remember", Title = "Remember a fact", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(RememberOutput))]
    [Description("Stores one durable fact or preference (a convention, a command, a gotcha, what the user prefers) so later sessions can recall it. " +
        "It is also written to MEMORY.md in the workspace, where people can read and edit it. The same text is not stored twice. " +
        "Returns the memory's id (p12 for project, u3 for user).")]
    public async Task<CallToolResult> Remember(
        [Description("The fact, one or two sentences, self-contained (say what it applies to). At most 2000 characters.")] string text,
        [Description("'project' (default): true for this workspace; 'user': a personal preference true in every workspace.")] string? scope = null,
        [Description("Optional tags (letters, digits, '-', '_', '.'), e.g. [\"testing\", \"build\"]; at most 8.")] string[]? tags = null,
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
    [Description("Finds the stored memories most relevant to a question or task (full-text BM25 ranking over project and user memory, with " +
        "stemming and common abbreviations). Use before starting work to learn the project's conventions, commands and the user's preferences.")]
    public async Task<CallToolResult> Recall(
        [Description("What you want to know, in words: e.g. 'how to run the tests', 'database migrations'.")] string query,
        [Description("How many memories to return, 1-100 (default 5).")] int? k = null,
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
    [Description("Deletes memories, by id (p12, u3) or by text: every memory whose text contains the target. When more than one memory matches, " +
        "nothing is deleted: the matches are returned as a preview; call again with confirm=true to delete them all. Also removes them from MEMORY.md.")]
    public async Task<CallToolResult> Forget(
        [Description("A memory id such as 'p12', or text that the memories to delete contain (case-insensitive).")] string target,
        [Description("Set true to delete when more than one memory matches (after checking the preview).")] bool confirm = false,
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
    [Description("Lists stored memories, newest first, a page at a time, optionally filtered by scope, tag or contained text. " +
        "Use recall to search by meaning; use this to browse or to find ids for forget.")]
    public async Task<CallToolResult> MemoryList(
        [Description("'project' or 'user'; omit for both (project first).")] string? scope = null,
        [Description("Only memories with this tag.")] string? tag = null,
        [Description("Only memories whose text contains this (case-insensitive).")] string? contains = null,
        [Description("Entries to skip (for the next page pass the previous next_offset). Default 0.")] int offset = 0,
        [Description("Entries per page, 1-200 (default 20).")] int limit = 20,
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
