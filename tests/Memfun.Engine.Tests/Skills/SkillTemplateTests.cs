using Memfun.Engine.Skills;

namespace Memfun.Engine.Tests.Skills;

public sealed class SkillTemplateTests
{
    [Fact]
    public void Arguments_replace_every_arguments_placeholder()
    {
        Assert.Equal("Review src/app.py now; then src/app.py again.", SkillTemplate.Render("Review $ARGUMENTS now; then $ARGUMENTS again.", "src/app.py"));
    }

    [Fact]
    public void Indexed_placeholders_take_shell_split_arguments()
    {
        var text = SkillTemplate.Render("Path: $ARGUMENTS[0]. Focus: $ARGUMENTS[1]. Missing: [$ARGUMENTS[5]]", "\"src/my file.cs\" 'error handling'");

        Assert.Equal("Path: src/my file.cs. Focus: error handling. Missing: []", text);
    }

    [Fact]
    public void No_arguments_leave_the_placeholders_empty()
    {
        Assert.Equal("Analyze  please.", SkillTemplate.Render("Analyze $ARGUMENTS please.", null));
    }

    [Fact]
    public void A_body_without_placeholders_gets_the_arguments_appended()
    {
        Assert.Equal("Do it.\n\nARGUMENTS: src/\n", SkillTemplate.Render("Do it.\n", "src/"));
        Assert.Equal("Do it.\n", SkillTemplate.Render("Do it.\n", "  "));
    }

    [Fact]
    public void A_hint_with_bracketed_names_yields_named_arguments()
    {
        var args = SkillTemplate.ArgumentsFromHint("<path> [focus]");

        Assert.Equal(["path", "focus"], args.Select(a => a.Name));
        Assert.Equal([true, false], args.Select(a => a.Required));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("a file path")]
    [InlineData("<path> <path>")]
    public void Any_other_hint_yields_one_optional_arguments_argument(string? hint)
    {
        var arg = Assert.Single(SkillTemplate.ArgumentsFromHint(hint));

        Assert.Equal("arguments", arg.Name);
        Assert.False(arg.Required);
    }

    [Fact]
    public void Named_prompt_arguments_join_in_declared_order_and_quote_values_with_spaces()
    {
        var problems = new List<SkillProblem>();
        var skill = SkillParser.Parse("---\nname: s\ndescription: x\nargument-hint: \"<path> [focus]\"\n---\n$ARGUMENTS[0]|$ARGUMENTS[1]", "/s/SKILL.md", "s", problems)!;

        var joined = SkillTemplate.Join(skill, new Dictionary<string, string?> { ["focus"] = "error handling", ["path"] = "src/a.cs" });

        Assert.Equal("src/a.cs \"error handling\"", joined);
        Assert.Equal("src/a.cs|error handling", SkillTemplate.Render(skill, joined));
    }
}
