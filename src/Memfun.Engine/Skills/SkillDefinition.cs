namespace Memfun.Engine.Skills;

/// <summary>
/// One valid skill: the parsed front matter of its <c>SKILL.md</c>, its markdown body and the files of its
/// directory. Immutable; a changed file yields a new definition on the catalog's next refresh.
/// </summary>
/// <remarks>
/// The body and supporting files are instructions written by whoever wrote the skill: treat them as
/// untrusted input to a model, never as commands to run.
/// </remarks>
public sealed record SkillDefinition
{
    /// <summary>The skill name: 1–64 lowercase letters, digits and single hyphens; equals its folder name.</summary>
    public required string Name { get; init; }

    /// <summary>What the skill does and when to use it (1–1024 characters).</summary>
    public required string Description { get; init; }

    /// <summary>The author's version string, if any.</summary>
    public string? Version { get; init; }

    /// <summary>The tools the skill expects to use (names as the agent knows them); empty when unrestricted.</summary>
    public IReadOnlyList<string> AllowedTools { get; init; } = [];

    /// <summary>Whether a person may invoke it (as an MCP prompt, <c>memfun skill</c>); default true.</summary>
    public bool UserInvocable { get; init; } = true;

    /// <summary>Whether a model may invoke it on its own (through <c>run_skill</c>); default true.</summary>
    public bool ModelInvocable { get; init; } = true;

    /// <summary>Free-form tags for search and grouping.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The hint shown for the arguments, such as <c>&lt;path&gt; [focus]</c>.</summary>
    public string? ArgumentHint { get; init; }

    /// <summary>The named arguments derived from <see cref="ArgumentHint"/> (at least one).</summary>
    public IReadOnlyList<SkillArgument> Arguments { get; init; } = [];

    /// <summary>
    /// The workspace context a run without tools gathers for the model (<c>context</c> field):
    /// <c>files</c> (files named in the arguments, the default), <c>tree</c>, <c>git-diff</c>, <c>memory</c>.
    /// </summary>
    public IReadOnlyList<string> Context { get; init; } = ["files"];

    /// <summary>The markdown after the front matter, with <c>$ARGUMENTS</c> placeholders unexpanded.</summary>
    public required string Body { get; init; }

    /// <summary>The front matter text exactly as written (between the <c>---</c> lines).</summary>
    public required string FrontmatterText { get; init; }

    /// <summary>
    /// The front matter as data, every field the author wrote, resolved with the YAML 1.2 core schema:
    /// values are string, bool, long, double, null, <see cref="IReadOnlyList{T}"/> or nested dictionaries.
    /// </summary>
    public required IReadOnlyDictionary<string, object?> Frontmatter { get; init; }

    /// <summary>The full path of the skill directory.</summary>
    public required string Directory { get; init; }

    /// <summary>Where the skill was found.</summary>
    public required SkillSource Source { get; init; }

    /// <summary>Every file of the skill directory, <c>SKILL.md</c> first, then the others in ordinal order.</summary>
    public required IReadOnlyList<SkillFile> Files { get; init; }

    /// <summary>The full path of <c>SKILL.md</c>.</summary>
    public string SkillFilePath => Files[0].FullPath;

    /// <summary>The supporting files (every file but <c>SKILL.md</c>).</summary>
    public IEnumerable<SkillFile> SupportingFiles => Files.Skip(1);
}
