using Memfun.Engine.Skills;
using Memfun.Tools.Workspace;
using Microsoft.Extensions.Options;

namespace Memfun.Engine.Tests.Skills;

public sealed class SkillCatalogTests : IDisposable
{
    private readonly SkillFolder _builtIn = new();
    private readonly SkillFolder _workspace = new();

    private SkillCatalog Catalog() =>
        new(Options.Create(new SkillCatalogOptions { BuiltInRoot = _builtIn.Path }), new PathGuard(_workspace.Path));

    [Fact]
    public void Skills_are_found_in_all_three_folders_and_the_latest_source_wins_by_name()
    {
        _builtIn.Skill(".", "alpha", "built-in alpha");
        _builtIn.Skill(".", "beta", "built-in beta");
        _builtIn.Skill(".", "gamma", "built-in gamma");
        _workspace.Skill("skills", "beta", "workspace beta");
        _workspace.Skill("skills", "gamma", "workspace gamma");
        _workspace.Skill(".memfun/skills", "gamma", "personal gamma");
        _workspace.Skill(".memfun/skills", "delta", "personal delta");

        var snapshot = Catalog().GetSnapshot();

        Assert.Empty(snapshot.Problems);
        Assert.Equal(["alpha", "beta", "delta", "gamma"], snapshot.Skills.Select(s => s.Name));
        Assert.Equal(
            [("built-in alpha", SkillSource.BuiltIn), ("workspace beta", SkillSource.Workspace), ("personal delta", SkillSource.WorkspaceMemfun), ("personal gamma", SkillSource.WorkspaceMemfun)],
            snapshot.Skills.Select(s => (s.Description, s.Source)));
        Assert.Equal(3, snapshot.Overridden.Count);
    }

    [Fact]
    public void An_invalid_skill_is_reported_and_the_others_still_load()
    {
        _builtIn.Skill(".", "good");
        var bad = _workspace.Write("skills/bad/SKILL.md", "---\nname: bad\ndescription: 42\n---\n");

        var snapshot = Catalog().GetSnapshot();

        Assert.Equal(["good"], snapshot.Skills.Select(s => s.Name));
        var problem = Assert.Single(snapshot.Problems);
        Assert.Equal(bad, problem.FilePath);
        Assert.Equal("description", problem.Field);
    }

    [Fact]
    public void An_invalid_override_does_not_hide_the_valid_skill_of_the_same_name()
    {
        _builtIn.Skill(".", "review", "the good one");
        _workspace.Write("skills/review/SKILL.md", "---\nname: review\n---\n");

        var snapshot = Catalog().GetSnapshot();

        Assert.Equal("the good one", Assert.Single(snapshot.Skills).Description);
        Assert.Single(snapshot.Problems);
    }

    [Fact]
    public void Files_are_listed_with_sizes_and_sha256_digests_skill_md_first_and_hidden_files_skipped()
    {
        _builtIn.Skill(".", "docs", body: "body\n");
        _builtIn.Write("docs/references/guide.md", "abc");
        _builtIn.Write("docs/a.txt", "");
        _builtIn.Write("docs/.secret", "hidden");

        var skill = Assert.Single(Catalog().Skills);

        Assert.Equal(["SKILL.md", "a.txt", "references/guide.md"], skill.Files.Select(f => f.RelativePath));
        var guide = skill.Files[2];
        Assert.Equal(3, guide.Size);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", guide.Sha256);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", skill.Files[1].Sha256);
    }

    [Fact]
    public void A_link_that_leaves_the_skill_folder_is_not_served()
    {
        _builtIn.Skill(".", "linked");
        var outside = _workspace.Write("outside.txt", "secret");
        File.CreateSymbolicLink(Path.Combine(_builtIn.Path, "linked", "leak.txt"), outside);

        var skill = Assert.Single(Catalog().Skills);

        Assert.Equal(["SKILL.md"], skill.Files.Select(f => f.RelativePath));
    }

    [Fact]
    public void A_workspace_skills_link_that_leaves_the_workspace_is_reported_not_followed()
    {
        var elsewhere = new SkillFolder();
        try
        {
            elsewhere.Skill(".", "sneaky");
            Directory.CreateSymbolicLink(Path.Combine(_workspace.Path, "skills"), elsewhere.Path);

            var snapshot = Catalog().GetSnapshot();

            Assert.Empty(snapshot.Skills);
            Assert.Contains(snapshot.Problems, p => p.Message.Contains("outside the workspace", StringComparison.Ordinal));
        }
        finally
        {
            elsewhere.Dispose();
        }
    }

    [Fact]
    public void Edits_show_up_on_the_next_snapshot_and_raise_changed()
    {
        var catalog = Catalog();
        _builtIn.Skill(".", "one", "first");
        Assert.Equal("first", Assert.Single(catalog.Skills).Description);
        var changed = 0;
        catalog.Changed += (_, _) => changed++;

        _builtIn.Skill(".", "one", "second, longer description");
        _builtIn.Skill(".", "two");

        Assert.Equal(["second, longer description", "Does a thing."], catalog.Skills.Select(s => s.Description));
        Assert.Equal(1, changed);
        Assert.Same(catalog.GetSnapshot(), catalog.GetSnapshot());
    }

    [Fact]
    public void Getting_an_unknown_skill_names_the_ones_there_are()
    {
        _builtIn.Skill(".", "alpha");
        _builtIn.Skill(".", "beta");

        var ex = Assert.Throws<SkillNotFoundException>(() => Catalog().Get("gamma"));

        Assert.Equal("There is no skill named 'gamma'. Available skills: alpha, beta.", ex.Message);
    }

    public void Dispose()
    {
        _builtIn.Dispose();
        _workspace.Dispose();
    }
}
