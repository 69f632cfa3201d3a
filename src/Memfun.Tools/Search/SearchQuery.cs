namespace Memfun.Tools.Search;

/// <summary>One content search. Immutable; <see cref="Pattern"/> is untrusted input.</summary>
public sealed record SearchQuery
{
    /// <summary>The most lines a search returns.</summary>
    public const int MaxResultsLimit = 2000;

    /// <summary>The most context lines on each side.</summary>
    public const int MaxContext = 20;

    /// <summary>A .NET regular expression, or the text itself when <see cref="Literal"/>.</summary>
    public required string Pattern { get; init; }

    /// <summary>A folder or file relative to the workspace root; the root when null.</summary>
    public string? Path { get; init; }

    /// <summary>A glob over file paths (see <c>list_files</c>): <c>*.cs</c>, <c>src/**/*.{ts,tsx}</c>, <c>!*.min.js</c>.</summary>
    public string? Glob { get; init; }

    /// <summary>Search for the text as written rather than as a regular expression. Default false.</summary>
    public bool Literal { get; init; }

    /// <summary>Compare letters with their case. Default true.</summary>
    public bool CaseSensitive { get; init; } = true;

    /// <summary>Lines of context before and after each match, 0 to <see cref="MaxContext"/>. Default 0.</summary>
    public int Context { get; init; }

    /// <summary>The most matching lines returned, 1 to <see cref="MaxResultsLimit"/>. Default 100.</summary>
    public int MaxResults { get; init; } = 100;

    /// <summary>Lets an in-process caller (the RLM REPL, which aggregates whole workspaces) go past <see cref="MaxResultsLimit"/>.</summary>
    internal bool AboveLimit { get; init; }
}
