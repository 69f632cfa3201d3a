namespace Memfun.Engine.Repl;

/// <summary>The REPL globals as the model is told about them: one signature and one line each.</summary>
internal static class ReplToolCatalog
{
    public static IReadOnlyList<(string Signature, string Description)> Tools { get; } =
    [
        ("string read_file(string path)", "text of a workspace file (paths relative to the workspace root)"),
        ("string write_file(string path, string content, bool allow_shrink = false)", "create or replace a workspace file; refuses to cut a file by more than 30% unless allow_shrink"),
        ("string edit_file(string path, string old_text, string new_text)", "replace the one occurrence of old_text"),
        ("string run_cmd(string command, int timeout_seconds = 60)", "run a shell command in the workspace; exit code and output"),
        ("string[] list_files(string path = \".\", string? pattern = null)", "workspace files under path, optionally matching a glob like \"**/*.cs\""),
        ("string[] search(string pattern, string path = \".\", string? glob = null)", "regex search; \"path:line: text\" hits"),
        ("string code_map(string path = \".\")", "outline of types and functions"),
        ("string llm_query(string prompt, string? context = null)", "ask a sub-model about a piece of text you pass as context"),
        ("string[] llm_query_batched(IEnumerable<string> prompts) / (IEnumerable<(string prompt, string? context)>)", "many sub-model questions in parallel; answers in order"),
        ("string web_search(string query)", "search the web"),
        ("string web_fetch(string url)", "a web page as text"),
        ("string search_history(string query)", "search the memory of earlier sessions"),
        ("void FINAL(object answer)", "end with this answer"),
        ("void FINAL_VAR(string name)", "end with the value of a variable"),
    ];

    /// <summary>The catalog as lines for a prompt.</summary>
    public static string Describe() => string.Join("\n", Tools.Select(t => $"  {t.Signature}  // {t.Description}"));
}
