using System.Diagnostics;
using System.Text.Json;
using Memfun.McpServer.Tests.Infrastructure;

namespace Memfun.McpServer.Tests.Cli;

public sealed class SkillCommandTests
{
    private static async Task<(int Exit, string Stdout, string Stderr)> Memfun(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(MemfunServerProcess.ServerDll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Skill_list_prints_a_table_of_the_built_in_and_workspace_skills_and_the_problems()
    {
        using var ws = new TempWorkspace();
        ws.Write("skills/deploy/SKILL.md", "---\nname: deploy\ndescription: Deploys the app.\nversion: \"3.1\"\n---\nDeploy.\n");
        var bad = ws.Write(".memfun/skills/oops/SKILL.md", "---\nname: oops\ndescription: x\ntags: {a: 1}\n---\n");

        var (exit, stdout, _) = await Memfun("skill", "list", "--workspace", ws.Path);

        Assert.Equal(0, exit);
        var lines = stdout.Split('\n');
        Assert.StartsWith("NAME ", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("deploy ", StringComparison.Ordinal) && l.Contains("skills/", StringComparison.Ordinal) && l.Contains("3.1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("review-code ", StringComparison.Ordinal) && l.Contains("built-in", StringComparison.Ordinal));
        Assert.Contains($"  {bad}: field 'tags': must be a list of names", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Skill_list_json_carries_every_skill_with_its_fields_and_the_problems()
    {
        using var ws = new TempWorkspace();
        ws.Write("skills/broken/SKILL.md", "no front matter\n");

        var (exit, stdout, _) = await Memfun("skill", "list", "--json", "-w", ws.Path);

        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(stdout);
        var skills = doc.RootElement.GetProperty("skills").EnumerateArray().ToList();
        Assert.Equal(8, skills.Count);
        var review = skills.Single(s => s.GetProperty("name").GetString() == "review-code");
        Assert.Equal("built-in", review.GetProperty("source").GetString());
        Assert.Equal("skill://review-code/SKILL.md", review.GetProperty("uri").GetString());
        Assert.Equal(2, review.GetProperty("files").GetArrayLength());
        var problem = Assert.Single(doc.RootElement.GetProperty("problems").EnumerateArray().ToList());
        Assert.EndsWith("broken/SKILL.md", problem.GetProperty("file").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Skill_show_prints_the_fields_files_and_rendered_prompt()
    {
        using var ws = new TempWorkspace();

        var (exit, stdout, _) = await Memfun("skill", "show", "explain-code", "-w", ws.Path, "--arguments", "src/Program.cs 'why async?'");

        Assert.Equal(0, exit);
        Assert.Contains("name:            explain-code\n", stdout, StringComparison.Ordinal);
        Assert.Contains("arguments:       <path-or-symbol> [question]\n", stdout, StringComparison.Ordinal);
        Assert.Contains("Explain **src/Program.cs**. The reader's question, if any: why async?", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ask")]
    [InlineData("nope")]
    [InlineData("agent", "run")]
    [InlineData("ask", "why?", "--bogus")]
    public async Task A_usage_error_exits_2_with_a_pointer_to_help(params string[] args)
    {
        var (exit, stdout, stderr) = await Memfun(args);

        Assert.True(exit == 2, $"exit {exit}\n{stderr}{stdout}");
        Assert.StartsWith("memfun: ", stderr, StringComparison.Ordinal);
        Assert.Contains("--help' for usage.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Skill_show_of_an_unknown_skill_fails_listing_the_available_ones()
    {
        using var ws = new TempWorkspace();

        var (exit, _, stderr) = await Memfun("skill", "show", "nope", "-w", ws.Path);

        Assert.Equal(2, exit);
        Assert.StartsWith("memfun: There is no skill named 'nope'. Available skills: analyze-code, ask,", stderr, StringComparison.Ordinal);
    }
}
