using System.Text.Json.Nodes;

namespace Memfun.Engine.Repl;

/// <summary>
/// Runs, in the server process, the workspace tools a REPL script calls through its globals
/// (read_file, write_file, edit_file, run_cmd, list_files, search, code_map, web_search, web_fetch,
/// search_history). The sub-model calls (llm_query, llm_query_batched) are not routed here.
/// </summary>
/// <remarks>
/// Arguments are untrusted (they come from model-written code): every path goes through the workspace
/// guard. Results: read_file, write_file, edit_file, run_cmd, code_map, web_* and search_history return a
/// JSON string; list_files and search return a JSON array of strings. Refusals are
/// <see cref="Memfun.Tools.MemfunToolException"/>s whose message reaches the script. Thread-safe.
/// </remarks>
public interface IReplToolHost
{
    /// <summary>The workspace folder, shown read-only inside the REPL's sandbox; null shows none.</summary>
    string? WorkspaceRoot => null;

    /// <summary>Runs <paramref name="tool"/> with <paramref name="arguments"/> and returns its JSON result.</summary>
    Task<JsonNode?> InvokeAsync(string tool, JsonObject arguments, CancellationToken cancellationToken = default);
}
