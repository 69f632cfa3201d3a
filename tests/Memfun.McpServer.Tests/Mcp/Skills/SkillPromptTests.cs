using Memfun.McpServer.Tests.Infrastructure;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Tests.Mcp.Skills;

public sealed class SkillPromptTests
{
    [Fact]
    public async Task A_prompt_can_be_got_before_any_prompts_list_and_an_edited_body_is_rendered_at_once()
    {
        using var ws = new TempWorkspace("memfun-skill-prompt");
        ws.Write("skills/greet/SKILL.md", "---\nname: greet\ndescription: Greets.\n---\nHello, $ARGUMENTS!\n");
        await using var client = await MemfunServerProcess.StartStdioAsync(ws.Path);

        var first = await client.GetPromptAsync("greet", new Dictionary<string, object?> { ["arguments"] = "Ada" });
        ws.Write("skills/greet/SKILL.md", "---\nname: greet\ndescription: Greets.\n---\nGood morning, $ARGUMENTS.\n");
        var second = await client.GetPromptAsync("greet", new Dictionary<string, object?> { ["arguments"] = "Ada" });

        Assert.Equal("# Skill: greet\n\nHello, Ada!\n", Assert.IsType<TextContentBlock>(Assert.Single(first.Messages).Content).Text);
        Assert.Equal("# Skill: greet\n\nGood morning, Ada.\n", Assert.IsType<TextContentBlock>(Assert.Single(second.Messages).Content).Text);
    }
}
