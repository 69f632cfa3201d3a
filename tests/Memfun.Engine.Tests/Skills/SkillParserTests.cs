using Memfun.Engine.Skills;

namespace Memfun.Engine.Tests.Skills;

public sealed class SkillParserTests
{
    private static (SkillDefinition? Skill, List<SkillProblem> Problems) Parse(string text, string folder = "my-skill")
    {
        var problems = new List<SkillProblem>();
        var skill = SkillParser.Parse(text, $"/ws/skills/{folder}/SKILL.md", folder, problems);
        return (skill, problems);
    }

    [Fact]
    public void Every_front_matter_field_is_read_with_its_type()
    {
        var (skill, problems) = Parse("""
            ---
            name: my-skill
            description: Reviews things.
            version: 1.2.0
            allowed-tools: [read_file, search]
            user-invocable: false
            model-invocable: true
            tags: [review, quality]
            argument-hint: "<path> [focus]"
            license: MIT
            ---
            # Body
            Look at $ARGUMENTS.
            """);

        Assert.Empty(problems);
        Assert.NotNull(skill);
        Assert.Equal("my-skill", skill.Name);
        Assert.Equal("Reviews things.", skill.Description);
        Assert.Equal("1.2.0", skill.Version);
        Assert.Equal(["read_file", "search"], skill.AllowedTools);
        Assert.False(skill.UserInvocable);
        Assert.True(skill.ModelInvocable);
        Assert.Equal(["review", "quality"], skill.Tags);
        Assert.Equal("<path> [focus]", skill.ArgumentHint);
        Assert.Equal([new SkillArgument("path", skill.Arguments[0].Description, true), new SkillArgument("focus", skill.Arguments[1].Description, false)], skill.Arguments);
        Assert.Equal("# Body\nLook at $ARGUMENTS.", skill.Body);
        Assert.Equal("MIT", skill.Frontmatter["license"]);
    }

    [Fact]
    public void Front_matter_values_follow_the_yaml_core_schema_like_javascript_hosts()
    {
        var (skill, problems) = Parse("""
            ---
            name: my-skill
            description: "Quoted: with a colon"
            version: 2
            ratio: 1.5
            flag: True
            nothing: ~
            quoted-number: "42"
            hex: 0x1F
            metadata:
              author: me
              list: [1, two]
            ---
            body
            """);

        Assert.Empty(problems);
        var fm = skill!.Frontmatter;
        Assert.Equal("Quoted: with a colon", fm["description"]);
        Assert.Equal(2L, fm["version"]);
        Assert.Equal("2", skill.Version);
        Assert.Equal(1.5, fm["ratio"]);
        Assert.Equal(true, fm["flag"]);
        Assert.Null(fm["nothing"]);
        Assert.Equal("42", fm["quoted-number"]);
        Assert.Equal(31L, fm["hex"]);
        var metadata = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(fm["metadata"]);
        Assert.Equal("me", metadata["author"]);
        Assert.Equal([1L, "two"], Assert.IsAssignableFrom<IReadOnlyList<object?>>(metadata["list"]));
    }

    [Fact]
    public void A_missing_name_is_reported_naming_the_file_and_the_field()
    {
        var (skill, problems) = Parse("---\ndescription: x\n---\nbody\n");

        Assert.Null(skill);
        var p = Assert.Single(problems);
        Assert.Equal("/ws/skills/my-skill/SKILL.md", p.FilePath);
        Assert.Equal("name", p.Field);
        Assert.Contains("/ws/skills/my-skill/SKILL.md: field 'name': is missing", p.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_description_is_reported()
    {
        var (_, problems) = Parse("---\nname: my-skill\n---\nbody\n");

        Assert.Equal("description", Assert.Single(problems).Field);
    }

    [Fact]
    public void A_name_that_differs_from_its_folder_is_refused()
    {
        var (_, problems) = Parse("---\nname: other-skill\ndescription: x\n---\n", folder: "my-skill");

        var p = Assert.Single(problems);
        Assert.Equal("name", p.Field);
        Assert.Contains("does not match the folder name 'my-skill'", p.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("My-Skill")]
    [InlineData("my--skill")]
    [InlineData("-my-skill")]
    [InlineData("my_skill")]
    public void A_name_outside_the_agent_skills_rules_is_refused(string name)
    {
        var (_, problems) = Parse($"---\nname: {name}\ndescription: x\n---\n", folder: name);

        Assert.Contains(problems, p => p.Field == "name" && p.Message.Contains("not a valid skill name", StringComparison.Ordinal));
    }

    [Fact]
    public void Wrong_types_are_reported_per_field()
    {
        var (skill, problems) = Parse("""
            ---
            name: my-skill
            description: [not, text]
            user-invocable: "yes"
            model-invocable: 1
            tags: {a: b}
            argument-hint: [x]
            version: {major: 1}
            ---
            """);

        Assert.Null(skill);
        Assert.Equal(["argument-hint", "description", "model-invocable", "tags", "user-invocable", "version"], problems.Select(p => p.Field).Order(StringComparer.Ordinal));
        Assert.Contains(problems, p => p.Field == "user-invocable" && p.Message.Contains("must be true or false, but it is the text 'yes'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Field == "description" && p.Message.Contains("must be text, but it is a list", StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_yaml_is_reported_with_its_line()
    {
        var (skill, problems) = Parse("---\nname: my-skill\ndescription: [unclosed\n---\nbody\n");

        Assert.Null(skill);
        var p = Assert.Single(problems);
        Assert.Null(p.Field);
        Assert.Contains("not valid at line", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_front_matter_is_refused_with_how_to_start_it()
    {
        var (_, problems) = Parse("# Just markdown\n");

        Assert.Contains("does not start with YAML front matter", Assert.Single(problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_context_kind_is_refused()
    {
        var (_, problems) = Parse("---\nname: my-skill\ndescription: x\ncontext: [files, weather]\n---\n");

        var p = Assert.Single(problems);
        Assert.Equal("context", p.Field);
        Assert.Contains("'weather'", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Allowed_tools_may_be_a_comma_or_space_separated_string()
    {
        var (skill, problems) = Parse("---\nname: my-skill\ndescription: x\nallowed-tools: read_file, search  git_diff\n---\n");

        Assert.Empty(problems);
        Assert.Equal(["read_file", "search", "git_diff"], skill!.AllowedTools);
    }

    [Fact]
    public void Crlf_files_and_a_byte_order_mark_are_accepted()
    {
        var (skill, problems) = Parse("\uFEFF---\r\nname: my-skill\r\ndescription: x\r\n---\r\nbody\r\n");

        Assert.Empty(problems);
        Assert.Equal("body\r\n", skill!.Body);
        Assert.Equal("name: my-skill\r\ndescription: x", skill.FrontmatterText);
    }

    [Fact]
    public void Every_built_in_skill_is_valid_and_has_a_real_body()
    {
        var problems = new List<SkillProblem>();
        var names = new[] { "analyze-code", "review-code", "fix-bugs", "explain-code", "generate-tests", "security-audit", "refactor", "ask" };
        foreach (var name in names)
        {
            var skill = SkillParser.Load(Path.Combine(SkillFolder.RepositorySkills, name), SkillSource.BuiltIn, problems);
            Assert.NotNull(skill);
            Assert.True(skill.Body.Length > 800, $"{name} has a stub body");
            Assert.Contains("$ARGUMENTS", skill.Body, StringComparison.Ordinal);
            Assert.NotEmpty(skill.AllowedTools);
            Assert.NotEmpty(skill.Tags);
            Assert.Equal("1.0.0", skill.Version);
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void A_description_over_1024_characters_loads_the_skill_with_a_warning()
    {
        // Anthropic's published claude-api skill has a 1,068-character description; hosts load it.
        using var folder = new SkillFolder();
        var description = "Builds apps with the Claude API. " + new string('x', 1_068 - 33);
        folder.Skill("skills", "claude-api", description);
        var problems = new List<SkillProblem>();

        var skill = SkillParser.Load(Path.Combine(folder.Path, "skills", "claude-api"), SkillSource.Workspace, problems);

        Assert.NotNull(skill);
        Assert.Equal(1_068, skill.Description.Length);
        var warning = Assert.Single(problems);
        Assert.True(warning.IsWarning);
        Assert.Equal("description", warning.Field);
        Assert.Contains("1068 characters", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_warning_does_not_hide_an_error_in_the_same_skill()
    {
        using var folder = new SkillFolder();
        folder.Skill("skills", "long", new string('x', 1_100), extra: "version: [1, 2]\n");
        var problems = new List<SkillProblem>();

        Assert.Null(SkillParser.Load(Path.Combine(folder.Path, "skills", "long"), SkillSource.Workspace, problems));
        Assert.Contains(problems, p => !p.IsWarning && p.Field == "version");
    }
}
