namespace Memfun.Engine.Memory;

/// <summary>Where memory is kept and how much of it goes into an agent's context (configuration section <c>[memory]</c>).</summary>
public sealed class MemoryOptions
{
    /// <summary>The workspace root that holds <c>MEMORY.md</c> and <c>.memfun/memory.db</c>. Default: the path guard's root.</summary>
    public string? WorkspaceRoot { get; set; }

    /// <summary>The user's folder for the user-scope store. Default <c>MEMFUN_HOME</c>, else <c>~/.memfun</c>.</summary>
    public string UserDirectory { get; set; } =
        Environment.GetEnvironmentVariable("MEMFUN_HOME") is { Length: > 0 } home
            ? home
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".memfun");

    /// <summary>Most characters of <c>MEMORY.md</c> put into an agent's context. Default 6 000.</summary>
    public int ContextFileCharacters { get; set; } = 6_000;

    /// <summary>Memories recalled into an agent's context for a task. Default 8.</summary>
    public int ContextRecallCount { get; set; } = 8;

    /// <summary>Longest memory accepted, in characters. Default 2 000.</summary>
    public int MaxTextLength { get; set; } = 2_000;
}
