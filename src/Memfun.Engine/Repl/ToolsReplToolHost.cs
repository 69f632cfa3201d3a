using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.Tools;
using Memfun.Tools.CodeMap;
using Memfun.Tools.Files;
using Memfun.Tools.Search;
using Memfun.Tools.Shell;
using Memfun.Tools.Web;
using Memfun.Tools.Workspace;

namespace Memfun.Engine.Repl;

/// <summary>
/// The REPL's tools over the server's real services: <see cref="FileWriter"/> (with its shrink guard),
/// <see cref="FileEditor"/> (exact, whitespace and fuzzy matching), the workspace lister and searcher,
/// <see cref="CodeMapService"/>, <see cref="CommandRunner"/> (process-group kill, scrubbed environment),
/// <see cref="WebFetcher"/>/<see cref="WebSearcher"/> (their SSRF rules apply) and <see cref="ISessionStore"/>.
/// </summary>
/// <remarks>
/// Keeps the result shapes of <see cref="IReplToolHost"/>: read_file returns the file's raw text (the script
/// processes content, not numbered pages); list_files and search return arrays of strings; the others a
/// readable string. web_*, search_history answer that they are unavailable when their service is not
/// registered. Thread-safe (the services are).
/// </remarks>
internal sealed class ToolsReplToolHost(
    PathGuard guard,
    FileWriter writer,
    FileEditor editor,
    WorkspaceFileLister lister,
    WorkspaceSearcher searcher,
    CodeMapService codeMap,
    CommandRunner commands,
    WebFetcher? fetcher = null,
    WebSearcher? webSearcher = null,
    ISessionStore? sessions = null) : IReplToolHost
{
    private const int MaxHits = 100_000;

    /// <inheritdoc />
    public string? WorkspaceRoot => guard.Root;
    private const long MaxReadBytes = 32L * 1024 * 1024;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<JsonNode?> InvokeAsync(string tool, JsonObject arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return tool switch
        {
            "read_file" => JsonValue.Create(await ReadAsync(Required(arguments, "path"), cancellationToken).ConfigureAwait(false)),
            "write_file" => JsonValue.Create(Write(Required(arguments, "path"), (string?)arguments["content"] ?? string.Empty, (bool?)arguments["allow_shrink"] ?? false)),
            "edit_file" => JsonValue.Create(Edit(Required(arguments, "path"), Required(arguments, "old_text"), (string?)arguments["new_text"] ?? string.Empty)),
            "list_files" => Strings(List((string?)arguments["path"], (string?)arguments["pattern"], cancellationToken)),
            "search" => Strings(Search(Required(arguments, "pattern"), (string?)arguments["path"], (string?)arguments["glob"], cancellationToken)),
            "code_map" => JsonValue.Create(await MapAsync((string?)arguments["path"], cancellationToken).ConfigureAwait(false)),
            "run_cmd" => JsonValue.Create(await RunAsync(Required(arguments, "command"), (int?)arguments["timeout_seconds"] ?? 60, cancellationToken).ConfigureAwait(false)),
            "web_fetch" => JsonValue.Create(await FetchAsync(Required(arguments, "url"), cancellationToken).ConfigureAwait(false)),
            "web_search" => JsonValue.Create(await WebSearchAsync(Required(arguments, "query"), (int?)arguments["max_results"], cancellationToken).ConfigureAwait(false)),
            "search_history" => JsonValue.Create(await HistoryAsync(Required(arguments, "query"), (int?)arguments["limit"] ?? 20, cancellationToken).ConfigureAwait(false)),
            _ => throw new MemfunToolException($"'{tool}' is not a REPL tool. The tools are: read_file, write_file, edit_file, run_cmd, list_files, search, code_map, web_search, web_fetch, search_history, llm_query, llm_query_batched."),
        };
    }

    private static string Required(JsonObject args, string name) =>
        (string?)args[name] is { Length: > 0 } value ? value : throw new MemfunToolException($"The argument '{name}' is required.");

    private static JsonArray Strings(IEnumerable<string> items) => new([.. items.Select(s => (JsonNode?)JsonValue.Create(s))]);

    private Task<string> ReadAsync(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var full = guard.Resolve(path);

        // Beneath the workspace in one step, a regular file, capped.
        var bytes = SafeFile.ReadAllBytes(guard.Roots, full, path, MaxReadBytes, "Read it with run_cmd (head, sed -n) or search it instead.");
        return Task.FromResult(SafeFile.DecodeUtf8(bytes));
    }

    private string Write(string path, string content, bool allowShrink)
    {
        var r = writer.Write(path, content, allowShrink);
        return $"{(r.Created ? "Created" : "Replaced")} {r.Path} ({r.Bytes} bytes, {r.Lines} lines).";
    }

    private string Edit(string path, string oldText, string newText)
    {
        var r = editor.Edit(path, oldText, newText, replaceAll: false, dryRun: false);
        return $"Edited {r.Path} ({r.Strategy} match, {r.Replacements} replacement(s)).\n{r.Diff}";
    }

    private IEnumerable<string> List(string? path, string? pattern, CancellationToken cancellationToken)
    {
        var listing = lister.List(pattern, path is "." ? null : path, timestamps: false, limit: MaxHits, cancellationToken);
        var paths = listing.Files.Select(f => f.Path).ToList();
        if (listing.Truncated)
        {
            paths.Add($"... {listing.Total - listing.Files.Count} more files ({listing.Total} in all); narrow with a pattern or a path.");
        }

        return paths;
    }

    private IEnumerable<string> Search(string pattern, string? path, string? glob, CancellationToken cancellationToken)
    {
        var result = searcher.Search(new SearchQuery { Pattern = pattern, Path = path is "." ? null : path, Glob = glob, MaxResults = MaxHits, AboveLimit = true }, cancellationToken);
        var hits = result.Matches.Select(h => $"{h.Path}:{h.Line}: {h.Text}").ToList();
        if (result.Truncated)
        {
            hits.Add($"... stopped at {result.Matches.Count} of {result.TotalMatches} hits; narrow the pattern or the path.");
        }

        return hits;
    }

    private async Task<string> MapAsync(string? path, CancellationToken cancellationToken)
    {
        var map = await codeMap.MapAsync(path is "." ? null : path, null, cancellationToken).ConfigureAwait(false);
        return CodeMapService.Render(map, codeMap.DefaultMaxBytes);
    }

    private async Task<string> RunAsync(string command, int timeoutSeconds, CancellationToken cancellationToken)
    {
        var r = await commands.RunAsync(command, null, timeoutSeconds, null, cancellationToken).ConfigureAwait(false);
        return $"exit code {r.ExitCode}{(r.TimedOut ? $" (stopped after {timeoutSeconds} s)" : string.Empty)}\n{r.Output}";
    }

    private async Task<string> FetchAsync(string url, CancellationToken cancellationToken)
    {
        var f = fetcher ?? throw new MemfunToolException("web_fetch is not available: this server has no web services registered.");
        var page = await f.FetchAsync(url, null, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Serialize(new { url = page.FinalUrl, status = page.StatusCode, title = page.Title, content = page.Content, truncated = page.Truncated }, Json);
    }

    private async Task<string> WebSearchAsync(string query, int? maxResults, CancellationToken cancellationToken)
    {
        var s = webSearcher ?? throw new MemfunToolException("web_search is not available: this server has no web services registered.");
        var results = await s.SearchAsync(query, maxResults, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Serialize(results.Select(r => new { title = r.Title, url = r.Url, snippet = r.Snippet }), Json);
    }

    private async Task<string> HistoryAsync(string query, int limit, CancellationToken cancellationToken)
    {
        var s = sessions ?? throw new MemfunToolException("search_history is not available: this server has no session store registered.");
        var turns = await s.SearchAsync(query, Math.Clamp(limit, 1, 200), cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Serialize(turns.Select(t => new { session = t.SessionId, turn = t.Number, role = t.Role, content = t.Content, at = t.At.ToString("O", CultureInfo.InvariantCulture) }), Json);
    }
}
