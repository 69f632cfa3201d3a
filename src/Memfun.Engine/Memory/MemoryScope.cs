namespace Memfun.Engine.Memory;

/// <summary>Where a memory lives: with the project (<c>&lt;workspace&gt;/.memfun/memory.db</c>) or with the user (<c>~/.memfun/memory.db</c>).</summary>
public enum MemoryScope
{
    /// <summary>Facts about this workspace: conventions, commands, gotchas.</summary>
    Project,

    /// <summary>Facts about the person, true in every workspace: preferences, habits.</summary>
    User,
}
