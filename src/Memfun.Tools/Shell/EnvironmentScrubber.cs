namespace Memfun.Tools.Shell;

/// <summary>
/// Decides which environment variables are credentials that must not reach a child process:
/// <c>MEMFUN_*</c>, <c>AWS_*</c>, <c>OPENAI_*</c>, <c>ANTHROPIC_*</c>, <c>AZURE_*</c>, and any name ending in
/// <c>_KEY</c>, <c>_KEYS</c>, <c>_PAT</c>, <c>_AUTH</c> or containing <c>TOKEN</c>, <c>SECRET</c>,
/// <c>PASSWORD</c>, <c>PASSWD</c>, <c>CREDENTIAL</c>, <c>API_KEY</c>, <c>APIKEY</c>, <c>_KEY_</c> or <c>PRIVATE</c>
/// (case-insensitive). The one list for every child of the server: commands, git, linters, the REPL.
/// </summary>
/// <remarks>Stateless and thread-safe. A name-based filter: values are never inspected or logged.</remarks>
public static class EnvironmentScrubber
{
    private static readonly string[] Prefixes = ["MEMFUN_", "AWS_", "OPENAI_", "ANTHROPIC_", "AZURE_"];
    private static readonly string[] Suffixes = ["_KEY", "_KEYS", "_PAT", "_AUTH"];
    private static readonly string[] Infixes = ["SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "API_KEY", "APIKEY", "TOKEN", "_KEY_", "PRIVATE"];

    /// <summary>True when a variable of this name is treated as a credential.</summary>
    public static bool IsSecret(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Equals("TOKEN", StringComparison.OrdinalIgnoreCase)
            || Array.Exists(Prefixes, p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase))
            || Array.Exists(Suffixes, s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase))
            || Array.Exists(Infixes, i => name.Contains(i, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Removes every credential from <paramref name="environment"/> in place.</summary>
    public static void Scrub(IDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        foreach (var name in environment.Keys.Where(IsSecret).ToList())
        {
            environment.Remove(name);
        }
    }
}
