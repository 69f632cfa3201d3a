namespace Memfun.Engine.Memory;

/// <summary>Where memory is kept and how much of it goes into an agent's context (configuration section <c>[memory]</c>).</summary>
public sealed class MemoryOptions
{
    /// <summary>The workspace root that holds <c>MEMORY.md</c> and <c>.memfun/memory.db</c>. Default: the path guard's root.</summary>
    public string? WorkspaceRoot { get; set; }

    /// <summary>The user's folder for the user-scope store. Default <c>MEMFUN_HOME</c>, else <c>~/.memfun</c>.</summary>
    public string UserDirectory { get; set; } = Llm.CredentialStore.UserDirectory;

    /// <summary>
    /// Whether <c>MEMORY.md</c> is read: reconciled into the project store and put into agents' context as instructions.
    /// Default true; the host turns it off for a workspace the user has not trusted (the file is then only written,
    /// by <c>remember</c> and <c>forget</c>).
    /// </summary>
    public bool UseWorkspaceFile { get; set; } = true;

    /// <summary>Most characters of <c>MEMORY.md</c> put into an agent's context. Default 6 000.</summary>
    public int ContextFileCharacters { get; set; } = 6_000;

    /// <summary>Memories recalled into an agent's context for a task. Default 8.</summary>
    public int ContextRecallCount { get; set; } = 8;

    /// <summary>Longest memory accepted, in characters. Default 2 000.</summary>
    public int MaxTextLength { get; set; } = 2_000;

    /// <summary>
    /// Most rows BM25 ranks per store and recall. Default 2 000. Recall drops the commonest query terms
    /// until the rows they match fit this budget (the rarest term always stays): higher finds more in big
    /// stores, lower answers faster. Small stores are never pruned.
    /// </summary>
    /// <remarks>
    /// At 100 000 entries (bench <c>memory</c>, a store of synthetic notes drawn from one vocabulary): about
    /// 2–3 ms CPU per recall at 2 000 rows, 3.5–5 ms at 4 000, 6–10 ms at 8 000; in that store the labelled
    /// notes are found more often with the larger budgets (P@5 0.050, 0.077, 0.102).
    /// </remarks>
    public int RecallRowBudget { get; set; } = 2_000;
}
