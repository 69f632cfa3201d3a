namespace Memfun.McpServer.Configuration;

/// <summary>
/// Which settings a workspace's <c>memfun.toml</c> may set. Some never come from any project file, trusted or not;
/// an untrusted workspace may set only a few harmless ones.
/// </summary>
/// <remarks>
/// <para>User-only (only <c>~/.memfun/config.toml</c>, <c>MEMFUN_*</c> variables and flags): where the server listens
/// and with which token (<c>[http]</c>); where keys are sent (<c>[llm] provider</c>, <c>base_url</c>, <c>api_key_env</c>;
/// <c>[web] search_backend</c>, <c>search_base_url</c>, <c>api_key_env</c>); the REPL's containment (<c>[rlm] sandbox</c>,
/// <c>memory_limit_bytes</c>); the backends (<c>[backend]</c>, <c>[agents] distributed</c>); log levels, which can print
/// prompts (<c>[log]</c>); the commands that verify a change (<c>[verify]</c>); and the trust itself (<c>[workspace]</c>).</para>
/// <para>Untrusted workspace: only <c>[memory] context_chars</c>, <c>context_recall</c>, <c>recall_row_budget</c>,
/// <c>[web] fetch_timeout_seconds</c>, <c>cache_minutes</c>, <c>[llm] temperature</c>, <c>[dashboard] enabled</c> and
/// <c>[mcp] toolsets</c> (it only narrows what is served);
/// everything else in the file is ignored until the user trusts the folder.</para>
/// </remarks>
internal static class ProjectSettingsPolicy
{
    /// <summary>Keys (or whole sections) no project file may set.</summary>
    public static IReadOnlyList<string> UserOnly { get; } =
    [
        "http", "llm:provider", "llm:base_url", "llm:api_key_env", "web:search_backend", "web:search_base_url", "web:api_key_env",
        "rlm:sandbox", "rlm:memory_limit_bytes", "backend", "agents:distributed", "log", "verify", WorkspaceTrust.Section,
    ];

    /// <summary>Keys an untrusted workspace may still set: they change how much is read or kept, never what runs or where data goes.</summary>
    public static IReadOnlyList<string> UntrustedAllowed { get; } =
    [
        "memory:context_chars", "memory:context_recall", "memory:recall_row_budget", "web:fetch_timeout_seconds", "web:cache_minutes",
        "llm:temperature", "dashboard:enabled", "mcp:toolsets",
    ];

    /// <summary>Whether a project file may set <paramref name="key"/> (a configuration path such as <c>llm:base_url</c>).</summary>
    public static bool Allows(string key, bool trusted) =>
        !UserOnly.Any(p => Under(key, p)) && (trusted || UntrustedAllowed.Any(p => Under(key, p)));

    /// <summary>The key as a reader of memfun.toml knows it: <c>llm:base_url</c> → <c>[llm] base_url</c>; array items name their array.</summary>
    public static string Display(string key)
    {
        var parts = key.Split(':');
        var named = parts.TakeWhile(p => !p.All(char.IsAsciiDigit)).ToArray();
        return named.Length switch
        {
            0 => key,
            1 => $"[{named[0]}]",
            _ => $"[{string.Join('.', named[..^1])}] {named[^1]}",
        };
    }

    private static bool Under(string key, string prefix) =>
        key.Equals(prefix, StringComparison.OrdinalIgnoreCase)
        || (key.Length > prefix.Length && key[prefix.Length] == ':' && key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
}
