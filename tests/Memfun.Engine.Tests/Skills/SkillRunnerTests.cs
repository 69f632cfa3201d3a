using Memfun.Engine.Skills;
using Memfun.Engine.Tests.Infrastructure;
using Memfun.Tools.Workspace;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Memfun.Engine.Tests.Skills;

public sealed class SkillRunnerTests : IDisposable
{
    private readonly SkillFolder _builtIn = new();
    private readonly SkillFolder _workspace = new();

    private SkillDefinition Load(string name) =>
        new SkillCatalog(Options.Create(new SkillCatalogOptions { BuiltInRoot = _builtIn.Path }), new PathGuard(_workspace.Path)).Get(name);

    [Fact]
    public async Task A_run_sends_the_rendered_skill_its_supporting_files_and_the_files_named_in_the_arguments()
    {
        _builtIn.Skill(".", "explain", extra: "context: [files, memory]\n", body: "Explain $ARGUMENTS in detail.\nUse [notes](notes.md).\n");
        _builtIn.Write("explain/notes.md", "Always mention complexity.");
        _workspace.Write("src/app.py", "print('hello')\n");
        _workspace.Write("MEMORY.md", "The team prefers short answers.");
        var model = new ScriptedChatClient().Then("It prints hello.");

        var result = await new SkillRunner(new PathGuard(_workspace.Path)).RunAsync(Load("explain"), "src/app.py", model);

        Assert.Equal("It prints hello.", result.Answer);
        var (messages, _) = Assert.Single(model.Calls);
        Assert.Equal(ChatRole.System, messages[0].Role);
        Assert.Contains("running the skill 'explain'", messages[0].Text, StringComparison.Ordinal);
        var prompt = messages[1].Text;
        Assert.Contains("Explain src/app.py in detail.", prompt, StringComparison.Ordinal);
        Assert.Contains("Always mention complexity.", prompt, StringComparison.Ordinal);
        Assert.Contains("### File src/app.py\n```\nprint('hello')\n```", prompt, StringComparison.Ordinal);
        Assert.Contains("The team prefers short answers.", prompt, StringComparison.Ordinal);
        Assert.Equal(prompt, result.Prompt);
    }

    [Fact]
    public async Task A_path_argument_outside_the_workspace_is_not_read()
    {
        _builtIn.Skill(".", "explain");
        var model = new ScriptedChatClient().Then("ok");

        await new SkillRunner(new PathGuard(_workspace.Path)).RunAsync(Load("explain"), "../../../etc/passwd /etc/hostname", model);

        var prompt = model.Calls[0].Messages[1].Text;
        Assert.DoesNotContain("### File", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_git_diff_context_shows_uncommitted_changes()
    {
        _builtIn.Skill(".", "review", extra: "context: [git-diff]\n");
        _workspace.Write("a.txt", "one\n");
        await Git("init", "-q");
        await Git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "root");
        await Git("add", "a.txt");
        await Git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "a");
        _workspace.Write("a.txt", "one\ntwo\n");
        var model = new ScriptedChatClient().Then("looks fine");

        await new SkillRunner(new PathGuard(_workspace.Path)).RunAsync(Load("review"), null, model);

        var prompt = model.Calls[0].Messages[1].Text;
        Assert.Contains(" M a.txt", prompt, StringComparison.Ordinal);
        Assert.Contains("+two", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void The_prompt_lists_supporting_files_as_skill_resources()
    {
        _builtIn.Skill(".", "audit", body: "Audit $ARGUMENTS.\n");
        _builtIn.Write("audit/references/checklist.md", "x");

        var prompt = SkillRunner.BuildPrompt(Load("audit"), "src/");

        Assert.Equal("# Skill: audit\n\nAudit src/.\n\n## Supporting files of this skill\n- references/checklist.md (resource skill://audit/references/checklist.md)\n", prompt);
    }

    private async Task Git(params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = _workspace.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = System.Diagnostics.Process.Start(psi)!;
        await p.WaitForExitAsync();
        Assert.Equal(0, p.ExitCode);
    }

    public void Dispose()
    {
        _builtIn.Dispose();
        _workspace.Dispose();
    }
}
