using Memfun.Engine.Agents;

namespace Memfun.Engine.Tests.Agents;

public sealed class AgentDefinitionParserTests
{
    private const string Valid = """
        ---
        name: helper
        description: Helps.
        max_iterations: 7
        tools: [read_file, search]
        delegates: [review]
        code_producing: true
        ---
        You help.

        ## Capabilities
        Reading.
        """;

    [Fact]
    public void A_valid_file_gives_every_field()
    {
        var a = AgentDefinitionParser.Parse("agents/helper/AGENT.md", Valid);

        Assert.Equal("helper", a.Name);
        Assert.Equal("Helps.", a.Description);
        Assert.Equal(7, a.MaxIterations);
        Assert.Equal(["read_file", "search"], a.Tools);
        Assert.Equal(["review"], a.Delegates);
        Assert.True(a.CodeProducing);
        Assert.StartsWith("You help.", a.SystemPrompt, StringComparison.Ordinal);
        Assert.Equal("helper_agent", a.ToolName);
    }

    [Theory]
    [InlineData("name: helper\n", "front matter")]
    [InlineData("---\ndescription: x\n---\nbody", "name")]
    [InlineData("---\nname: Bad Name\ndescription: x\n---\nbody", "name")]
    [InlineData("---\nname: a\n---\nbody", "description")]
    [InlineData("---\nname: a\ndescription: x\nmax_iterations: lots\n---\nbody", "max_iterations")]
    [InlineData("---\nname: a\ndescription: x\nmax_iterations: 500\n---\nbody", "max_iterations")]
    [InlineData("---\nname: a\ndescription: x\ntools: read_file\n---\nbody", "tools")]
    [InlineData("---\nname: a\ndescription: x\ncode_producing: maybe\n---\nbody", "code_producing")]
    [InlineData("---\nname: a\ndescription: x\nfavourite: blue\n---\nbody", "favourite")]
    [InlineData("---\nname: a\ndescription: x\n---\n", "body")]
    [InlineData("---\nname: [a\n---\nbody", "front matter")]
    public void An_invalid_file_is_refused_naming_the_file_and_the_field(string text, string field)
    {
        var ex = Assert.Throws<AgentDefinitionException>(() => AgentDefinitionParser.Parse("x/AGENT.md", text));

        Assert.Equal(field, ex.Field);
        Assert.Contains("x/AGENT.md", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"'{field}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_built_in_agents_are_all_valid_with_the_required_caps()
    {
        var folder = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../agents"));
        var catalog = new AgentCatalog([folder]);

        Assert.Empty(catalog.Problems);
        var caps = catalog.Agents.ToDictionary(a => a.Name, a => a.MaxIterations);
        Assert.Equal(
            new Dictionary<string, int> { ["coder"] = 15, ["test"] = 10, ["debug"] = 12, ["review"] = 8, ["file"] = 8, ["security"] = 8, ["planner"] = 6, ["web_search"] = 8, ["web_fetch"] = 8 },
            caps);
        Assert.DoesNotContain(catalog.Find("file")!.Tools, t => t is "write_file" or "edit_file" or "run_cmd");
        Assert.All(catalog.Agents, a =>
        {
            Assert.Contains("## Capabilities", a.SystemPrompt, StringComparison.Ordinal);
            Assert.Contains("## Constraints", a.SystemPrompt, StringComparison.Ordinal);
            Assert.Contains("## Delegation", a.SystemPrompt, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void A_workspace_agent_overrides_a_built_in_one_by_name_and_invalid_files_are_reported_not_fatal()
    {
        var root = Directory.CreateTempSubdirectory("memfun-agents").FullName;
        try
        {
            var builtIn = Path.Combine(root, "builtin");
            var workspace = Path.Combine(root, "ws");
            Write(builtIn, "coder", Valid.Replace("helper", "coder", StringComparison.Ordinal).Replace("delegates: [review]", "delegates: []", StringComparison.Ordinal));
            Write(workspace, "coder", Valid.Replace("helper", "coder", StringComparison.Ordinal).Replace("Helps.", "Workspace coder.", StringComparison.Ordinal).Replace("delegates: [review]", "delegates: []", StringComparison.Ordinal));
            Write(workspace, "broken", "---\nname: broken\n---\nbody");

            var catalog = new AgentCatalog([builtIn, workspace]);

            Assert.Equal("Workspace coder.", catalog.Get("coder").Description);
            var problem = Assert.Single(catalog.Problems);
            Assert.Equal("description", problem.Field);
            Assert.Contains("broken", problem.File, StringComparison.Ordinal);
            var ex = Assert.Throws<AgentDefinitionException>(() => catalog.Get("nobody"));
            Assert.Contains("coder", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        static void Write(string folder, string name, string text)
        {
            Directory.CreateDirectory(Path.Combine(folder, name));
            File.WriteAllText(Path.Combine(folder, name, "AGENT.md"), text);
        }
    }
}
