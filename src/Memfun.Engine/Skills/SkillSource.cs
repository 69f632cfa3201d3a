namespace Memfun.Engine.Skills;

/// <summary>Where a skill was found. Later sources override earlier ones by name.</summary>
public enum SkillSource
{
    /// <summary>The <c>skills/</c> folder shipped next to the <c>memfun</c> binary.</summary>
    BuiltIn = 0,

    /// <summary>The workspace's <c>skills/</c> folder.</summary>
    Workspace = 1,

    /// <summary>The workspace's <c>.memfun/skills/</c> folder (personal or project-private skills).</summary>
    WorkspaceMemfun = 2,
}
