using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Tests.Mcp.Skills;

public sealed class SkillsOverMcpTests(SkillsServerFixture server) : IClassFixture<SkillsServerFixture>
{
    private static readonly string[] BuiltIn = ["analyze-code", "review-code", "fix-bugs", "explain-code", "generate-tests", "security-audit", "refactor", "ask"];

    [Fact]
    public async Task Prompts_list_shows_every_built_in_skill_with_its_arguments()
    {
        var prompts = await server.Client.ListPromptsAsync();
        var byName = prompts.ToDictionary(p => p.Name);

        foreach (var name in BuiltIn.Append("my-skill"))
        {
            Assert.True(byName.ContainsKey(name), $"prompt {name} is missing");
        }

        Assert.DoesNotContain("broken", byName.Keys);
        var analyze = byName["analyze-code"].ProtocolPrompt;
        Assert.Equal(["path", "focus"], analyze.Arguments!.Select(a => a.Name));
        Assert.All(analyze.Arguments!, a => Assert.False(a.Required));
        var who = Assert.Single(byName["my-skill"].ProtocolPrompt.Arguments!);
        Assert.Equal(("who", true), (who.Name, who.Required ?? false));
        Assert.StartsWith("Analyze the structure", analyze.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prompts_get_renders_the_arguments_and_embeds_the_supporting_files()
    {
        var result = await server.Client.GetPromptAsync("review-code", new Dictionary<string, object?> { ["target"] = "src/app.py" });

        var text = Assert.IsType<TextContentBlock>(result.Messages[0].Content).Text;
        Assert.StartsWith("# Skill: review-code\n\n# Review code\n\nReview **src/app.py**", text, StringComparison.Ordinal);
        var embedded = Assert.IsType<EmbeddedResourceBlock>(Assert.Single(result.Messages.Skip(1)).Content);
        Assert.Equal("skill://review-code/checklist.md", embedded.Resource.Uri);
        Assert.Contains("# Review checklist", Assert.IsType<TextResourceContents>(embedded.Resource).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prompts_get_without_a_required_argument_says_which_is_missing()
    {
        var ex = await Assert.ThrowsAsync<McpProtocolException>(() => server.Client.GetPromptAsync("my-skill").AsTask());

        Assert.Equal(McpErrorCode.InvalidParams, ex.ErrorCode);
        Assert.Contains("needs the argument(s) who", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_skill_without_a_model_returns_the_clear_message_and_the_rendered_prompt()
    {
        var result = await server.Client.CallToolAsync("run_skill", new Dictionary<string, object?> { ["name"] = "my-skill", ["arguments"] = "the team" });

        Assert.NotEqual(true, result.IsError);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.StartsWith(Memfun.Engine.Llm.LlmNotConfiguredException.DefaultMessage, text, StringComparison.Ordinal);
        Assert.Contains("# Skill: my-skill\n\nSay hello to the team.", text, StringComparison.Ordinal);
        var structured = result.StructuredContent!.Value;
        Assert.False(structured.GetProperty("ranWithModel").GetBoolean());
        Assert.Equal(Memfun.Engine.Llm.LlmNotConfiguredException.DefaultMessage, structured.GetProperty("message").GetString());
        Assert.Contains("Say hello to the team.", structured.GetProperty("prompt").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_skill_with_an_unknown_name_lists_the_installed_skills()
    {
        var result = await server.Client.CallToolAsync("run_skill", new Dictionary<string, object?> { ["name"] = "deploy" });

        Assert.True(result.IsError);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.StartsWith("There is no skill named 'deploy'. Available skills: analyze-code, ask,", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_skills_extension_is_declared_with_directory_read_and_resources()
    {
        var capabilities = server.Client.ServerCapabilities;

        Assert.NotNull(capabilities.Resources);
        var extension = JsonSerializer.SerializeToNode(capabilities.Extensions!["io.modelcontextprotocol/skills"]);
        Assert.True(extension!["directoryRead"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Skills_list_returns_every_valid_skill_with_verbatim_front_matter_and_true_digests()
    {
        var result = await server.RequestAsync("skills/list");

        var skills = result["skills"]!.AsArray().Select(s => s!.AsObject()).ToList();
        Assert.Equal(BuiltIn.Append("my-skill").Order(StringComparer.Ordinal), skills.Select(s => s["frontmatter"]!["name"]!.GetValue<string>()));
        Assert.Null(result["nextCursor"]);
        Assert.Equal("complete", result["resultType"]!.GetValue<string>());
        var mine = skills.Single(s => s["uri"]!.GetValue<string>() == "skill://my-skill/SKILL.md");
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"name":"my-skill","description":"Greets: someone","version":2,"argument-hint":"<who>","metadata":{"author":"tests"}}"""),
            mine["frontmatter"]));
        foreach (var resource in mine["resources"]!.AsArray())
        {
            var relative = resource!["uri"]!.GetValue<string>()["skill://my-skill/".Length..];
            var dir = relative == "SKILL.md" ? "skills/my-skill" : "skills/my-skill";
            var bytes = File.ReadAllBytes(server.Workspace.Full(Path.Combine(dir, relative)));
            Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)), resource["digest"]!.GetValue<string>());
            Assert.Equal(bytes.Length, resource["size"]!.GetValue<long>());
        }

        Assert.Equal(["skill://my-skill/SKILL.md", "skill://my-skill/docs/notes.md"], mine["resources"]!.AsArray().Select(r => r!["uri"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_workspace_skill_overrides_the_built_in_of_the_same_name()
    {
        var result = await server.RequestAsync("skills/get", new JsonObject { ["uri"] = "skill://ask/SKILL.md" });

        Assert.Equal("The workspace's own ask.", result["skill"]!["frontmatter"]!["description"]!.GetValue<string>());
        Assert.Null(result["nextCursor"]);
    }

    [Theory]
    [InlineData("skill://nope/SKILL.md")]
    [InlineData("skill://broken/SKILL.md")]
    [InlineData("skill://my-skill/docs/notes.md")]
    [InlineData("https://example.com/SKILL.md")]
    public async Task Skills_get_answers_invalid_params_for_a_uri_that_is_no_served_skill(string uri)
    {
        var ex = await Assert.ThrowsAsync<McpProtocolException>(() => server.RequestAsync("skills/get", new JsonObject { ["uri"] = uri }));

        Assert.Equal(McpErrorCode.InvalidParams, ex.ErrorCode);
        Assert.Contains($"No skill is served at {uri}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_a_skill_file_returns_its_exact_bytes_as_text()
    {
        var result = await server.Client.ReadResourceAsync("skill://my-skill/docs/notes.md");

        var text = Assert.IsType<TextResourceContents>(Assert.Single(result.Contents));
        Assert.Equal("text/markdown", text.MimeType);
        Assert.Equal(SkillsServerFixture.NotesText, text.Text);
        Assert.Equal(File.ReadAllBytes(server.Workspace.Full("skills/my-skill/docs/notes.md")), Encoding.UTF8.GetBytes(text.Text));
    }

    [Fact]
    public async Task Reading_an_unknown_skill_file_is_invalid_params_naming_the_files_there_are()
    {
        var ex = await Assert.ThrowsAsync<McpProtocolException>(() => server.Client.ReadResourceAsync("skill://my-skill/missing.md").AsTask());

        Assert.Equal(McpErrorCode.InvalidParams, ex.ErrorCode);
        Assert.Contains("Its files are: SKILL.md, docs/notes.md", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resources_list_names_and_describes_each_skill_md_from_its_front_matter()
    {
        var resources = await server.Client.ListResourcesAsync();

        var analyze = resources.Single(r => r.Uri == "skill://analyze-code/SKILL.md");
        Assert.Equal("analyze-code", analyze.Name);
        Assert.Equal("text/markdown", analyze.ProtocolResource.MimeType);
        Assert.StartsWith("Analyze the structure", analyze.Description, StringComparison.Ordinal);
        Assert.Contains(resources, r => r.Uri == "skill://analyze-code/references/metrics.md");
    }

    [Fact]
    public async Task Directory_read_lists_direct_children_with_subfolders_as_directories()
    {
        var root = await server.RequestAsync("resources/directory/read", new JsonObject { ["uri"] = "skill://analyze-code" });
        var sub = await server.RequestAsync("resources/directory/read", new JsonObject { ["uri"] = "skill://analyze-code/references" });

        Assert.Equal(
            [("skill://analyze-code/SKILL.md", "text/markdown"), ("skill://analyze-code/references", "inode/directory")],
            root["resources"]!.AsArray().Select(r => (r!["uri"]!.GetValue<string>(), r["mimeType"]!.GetValue<string>())));
        Assert.Equal("metrics.md", Assert.Single(sub["resources"]!.AsArray())!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("skill://analyze-code/SKILL.md", "is a file, not a directory")]
    [InlineData("skill://analyze-code/nowhere", "is not a directory of the skill")]
    [InlineData("skill://nope", "is not a directory resource this server serves")]
    public async Task Directory_read_of_anything_but_a_directory_is_invalid_params(string uri, string message)
    {
        var ex = await Assert.ThrowsAsync<McpProtocolException>(() => server.RequestAsync("resources/directory/read", new JsonObject { ["uri"] = uri }));

        Assert.Equal(McpErrorCode.InvalidParams, ex.ErrorCode);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}
