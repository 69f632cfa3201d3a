using Memfun.Engine.Agents;
using Memfun.McpServer.Evals.Optimize;

namespace Memfun.McpServer.Tests.Evals.Optimize;

public sealed class AgentFileTextTests
{
    private const string Original = "---\n# memfun optimize: an older score\nname: fixer\ndescription: Fixes things.\ntools: [read_file, edit_file]\ncode_producing: true\n---\nYou fix things.\n\n## Constraints\n- Be careful.\n";

    [Fact]
    public void The_new_file_keeps_the_front_matter_replaces_the_body_and_records_comments_as_single_yaml_comment_lines()
    {
        var text = AgentFileText.With(Original, "You fix things, then run the tests.", ["scored 3/4\nover 1/4", "second"]);
        var parsed = AgentDefinitionParser.Parse("/x/AGENT.md", text);

        Assert.Equal("You fix things, then run the tests.", parsed.SystemPrompt);
        Assert.Equal(["read_file", "edit_file"], parsed.Tools);
        Assert.True(parsed.CodeProducing);
        Assert.Contains("# memfun optimize: scored 3/4 over 1/4\n# memfun optimize: second\nname: fixer", text, StringComparison.Ordinal);
        Assert.DoesNotContain("an older score", text, StringComparison.Ordinal);
        Assert.Equal("You fix things.\n\n## Constraints\n- Be careful.", AgentFileText.Body(Original));
    }

    [Fact]
    public void A_file_without_front_matter_is_refused() =>
        Assert.Throws<FormatException>(() => AgentFileText.With("You fix things.\n", "x"));
}
