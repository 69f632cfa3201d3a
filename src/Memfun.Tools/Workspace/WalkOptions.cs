namespace Memfun.Tools.Workspace;

/// <summary>What a <see cref="WorkspaceWalker"/> walk includes. Immutable; use <c>with</c> to vary.</summary>
public sealed record WalkOptions
{
    /// <summary>The defaults: ignore files honoured, hidden files included.</summary>
    public static WalkOptions Default { get; } = new();

    /// <summary>Honour <c>.gitignore</c>, <c>.ignore</c> and <c>.git/info/exclude</c>. Default true.</summary>
    public bool RespectIgnoreFiles { get; init; } = true;

    /// <summary>Include names that start with '.' (other than <c>.git</c> and <c>.memfun</c>, always skipped). Default true.</summary>
    public bool IncludeHidden { get; init; } = true;
}
