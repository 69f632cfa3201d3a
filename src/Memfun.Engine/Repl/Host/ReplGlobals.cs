using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Memfun.Engine.Repl.Host;

/// <summary>
/// The globals a REPL script sees: workspace tools, sub-model calls and <c>FINAL</c>. Every call runs in
/// the parent process (the MCP server), which keeps the workspace confinement, the write guard, the
/// model provider and the token count; the script only holds the results.
/// </summary>
/// <remarks>
/// Names are snake_case because the model is told them by these names (the RLM convention). A refused
/// call throws <see cref="ReplToolException"/> with the parent's message; scripts may catch it.
/// Thread-safe: a script may call these from parallel tasks.
/// </remarks>
[SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "The REPL's tool names are the model-facing snake_case names.")]
[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "The REPL's tool names are the model-facing snake_case names.")]
public sealed class ReplGlobals
{
    private static readonly JsonSerializerOptions RestoreJson = new() { IncludeFields = true };
    private readonly IReplChannel _channel;
    private readonly Lock _gate = new();
    private Dictionary<string, string> _restore = new(StringComparer.Ordinal);
    private string? _final;
    private string? _finalVar;
    private bool _hasFinal;

    internal ReplGlobals(IReplChannel channel) => _channel = channel;

    /// <summary>Returns the text of a workspace file (path relative to the workspace root).</summary>
    public string read_file(string path) => Text(Call("read_file", new JsonObject { ["path"] = path }));

    /// <summary>Writes (creates or replaces) a workspace file and says what was written.</summary>
    public string write_file(string path, string content, bool allow_shrink = false) => Text(Call("write_file", new JsonObject { ["path"] = path, ["content"] = content, ["allow_shrink"] = allow_shrink }));

    /// <summary>Replaces the one occurrence of <paramref name="old_text"/> in a workspace file with <paramref name="new_text"/>.</summary>
    public string edit_file(string path, string old_text, string new_text) =>
        Text(Call("edit_file", new JsonObject { ["path"] = path, ["old_text"] = old_text, ["new_text"] = new_text }));

    /// <summary>Runs a shell command in the workspace and returns its exit code and output.</summary>
    public string run_cmd(string command, int timeout_seconds = 60) =>
        Text(Call("run_cmd", new JsonObject { ["command"] = command, ["timeout_seconds"] = timeout_seconds }));

    /// <summary>Lists workspace files (relative paths) under <paramref name="path"/>, optionally filtered by a glob such as "**/*.cs".</summary>
    public string[] list_files(string path = ".", string? pattern = null) =>
        Lines(Call("list_files", new JsonObject { ["path"] = path, ["pattern"] = pattern }));

    /// <summary>Searches workspace files for a regular expression; returns "path:line: text" hits.</summary>
    public string[] search(string pattern, string path = ".", string? glob = null) =>
        Lines(Call("search", new JsonObject { ["pattern"] = pattern, ["path"] = path, ["glob"] = glob }));

    /// <summary>Returns an outline (types, functions) of the code under <paramref name="path"/>.</summary>
    public string code_map(string path = ".") => Text(Call("code_map", new JsonObject { ["path"] = path }));

    /// <summary>Asks a sub-model one question, optionally about a piece of <paramref name="context"/>; returns its answer.</summary>
    public string llm_query(string prompt, string? context = null) =>
        Text(Call("llm_query", new JsonObject { ["prompt"] = prompt, ["context"] = context }));

    /// <summary>Asks a sub-model several questions in parallel (the parent caps the concurrency); answers in order.</summary>
    public string[] llm_query_batched(IEnumerable<string> prompts)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        return Lines(Call("llm_query_batched", new JsonObject
        {
            ["queries"] = new JsonArray([.. prompts.Select(p => (JsonNode)new JsonObject { ["prompt"] = p })]),
        }));
    }

    /// <summary>Asks a sub-model several (prompt, context) questions in parallel; answers in order.</summary>
    public string[] llm_query_batched(IEnumerable<(string prompt, string? context)> queries)
    {
        ArgumentNullException.ThrowIfNull(queries);
        return Lines(Call("llm_query_batched", new JsonObject
        {
            ["queries"] = new JsonArray([.. queries.Select(q => (JsonNode)new JsonObject { ["prompt"] = q.prompt, ["context"] = q.context })]),
        }));
    }

    /// <summary>Searches the web; returns titles, addresses and snippets.</summary>
    public string web_search(string query) => Text(Call("web_search", new JsonObject { ["query"] = query }));

    /// <summary>Fetches a web page as readable text.</summary>
    public string web_fetch(string url) => Text(Call("web_fetch", new JsonObject { ["url"] = url }));

    /// <summary>Searches the memory of earlier sessions.</summary>
    public string search_history(string query) => Text(Call("search_history", new JsonObject { ["query"] = query }));

    /// <summary>Ends the run with <paramref name="answer"/> as the final answer.</summary>
    public void FINAL(object? answer)
    {
        lock (_gate)
        {
            _final = ValueDisplay.Format(answer);
            _finalVar = null;
            _hasFinal = true;
        }
    }

    /// <summary>Ends the run with the value of the variable named <paramref name="name"/> (read when the step ends).</summary>
    public void FINAL_VAR(string name)
    {
        lock (_gate)
        {
            _finalVar = name;
            _final = null;
            _hasFinal = true;
        }
    }

    /// <summary>Used by the host when it restores variables after a process recycle; not for scripts.</summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public T __memfun_restore<T>(string name)
    {
        string json;
        lock (_gate)
        {
            json = _restore[name];
        }

        return JsonSerializer.Deserialize<T>(json, RestoreJson)!;
    }

    internal void SetRestoreValues(Dictionary<string, string> values)
    {
        lock (_gate)
        {
            _restore = values;
        }
    }

    /// <summary>Clears the FINAL marker before a step.</summary>
    internal void BeginStep()
    {
        lock (_gate)
        {
            _final = null;
            _finalVar = null;
            _hasFinal = false;
        }
    }

    /// <summary>What FINAL / FINAL_VAR said during the step, if anything.</summary>
    internal (bool HasFinal, string? Answer, string? VariableName) TakeFinal()
    {
        lock (_gate)
        {
            return (_hasFinal, _final, _finalVar);
        }
    }

    private JsonNode? Call(string tool, JsonObject args) => _channel.Call(tool, args);

    private static string Text(JsonNode? node) => node switch
    {
        null => string.Empty,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    private static string[] Lines(JsonNode? node) => node switch
    {
        null => [],
        JsonArray a => [.. a.Select(Text)],
        _ => Text(node).Split('\n', StringSplitOptions.RemoveEmptyEntries),
    };
}
