namespace Memfun.Engine.Skills;

/// <summary>Where the <see cref="SkillCatalog"/> looks for skills.</summary>
public sealed class SkillCatalogOptions
{
    /// <summary>
    /// The built-in skills folder. Default: <c>skills/</c> next to the running binary
    /// (<see cref="AppContext.BaseDirectory"/>). A folder that does not exist is skipped.
    /// </summary>
    public string? BuiltInRoot { get; set; }

    /// <summary>Whether to read the workspace's <c>skills/</c> and <c>.memfun/skills/</c>. Default true.</summary>
    public bool IncludeWorkspace { get; set; } = true;
}
