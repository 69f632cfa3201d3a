using Memfun.Tools.Workspace;

namespace Memfun.Tools.Tests.Workspace;

public sealed class WorkspaceWalkerTests
{
    [Fact]
    public void Walk_lists_every_file_sorted_with_forward_slashes()
    {
        using var tree = new TestTree().With(("b.txt", "b"), ("a/z.txt", "z"), ("a/b/c.txt", "c"), (".hidden/h.txt", "h"));

        Assert.Equal(new[] { ".hidden/h.txt", "a/b/c.txt", "a/z.txt", "b.txt" }, tree.Walk());
    }

    [Fact]
    public void Git_and_memfun_folders_are_always_skipped()
    {
        using var tree = new TestTree().With((".git/HEAD", "ref"), (".git/objects/x", "x"), (".memfun/codemap.db", "db"), ("src/.git", "gitdir: ../x"), ("keep.txt", "k"));

        Assert.Equal(new[] { "keep.txt" }, tree.Walk());
    }

    [Fact]
    public void Gitignore_excludes_names_at_any_depth_and_folders_with_a_trailing_slash()
    {
        using var tree = new TestTree().With(
            (".gitignore", "*.log\nbuild/\n# a comment\n\n"),
            ("app.log", ""), ("src/deep/trace.log", ""), ("src/main.c", ""),
            ("build/out.o", ""), ("src/build/gen.c", ""),
            ("notes/build", "a file named build is not a folder"));

        Assert.Equal(new[] { ".gitignore", "notes/build", "src/main.c" }, tree.Walk());
    }

    [Fact]
    public void Negation_re_includes_a_file_excluded_by_an_earlier_rule()
    {
        using var tree = new TestTree().With(
            (".gitignore", "*.txt\n!keep.txt\n"),
            ("a.txt", ""), ("keep.txt", ""), ("sub/keep.txt", ""), ("sub/b.txt", ""));

        Assert.Equal(new[] { ".gitignore", "keep.txt", "sub/keep.txt" }, tree.Walk());
    }

    [Fact]
    public void A_file_in_an_excluded_folder_cannot_be_re_included()
    {
        using var tree = new TestTree().With(
            (".gitignore", "logs/\n!logs/important.log\n"),
            ("logs/important.log", ""), ("logs/other.log", ""));

        Assert.Equal(new[] { ".gitignore" }, tree.Walk());
    }

    [Fact]
    public void Excluding_a_folders_contents_then_negating_lets_one_file_back_in()
    {
        using var tree = new TestTree().With(
            (".gitignore", "logs/*\n!logs/important.log\n"),
            ("logs/important.log", ""), ("logs/other.log", ""));

        Assert.Equal(new[] { ".gitignore", "logs/important.log" }, tree.Walk());
    }

    [Fact]
    public void Anchored_patterns_match_only_from_the_folder_of_their_file()
    {
        using var tree = new TestTree().With(
            (".gitignore", "/config.json\ndocs/*.md\n"),
            ("config.json", ""), ("sub/config.json", ""),
            ("docs/a.md", ""), ("docs/deep/b.md", ""), ("other/docs/c.md", ""));

        Assert.Equal(new[] { ".gitignore", "docs/deep/b.md", "other/docs/c.md", "sub/config.json" }, tree.Walk());
    }

    [Fact]
    public void Double_star_patterns_cross_folders()
    {
        using var tree = new TestTree().With(
            (".gitignore", "**/generated/**\na/**/z.txt\n"),
            ("x/generated/g.cs", ""), ("generated/h.cs", ""), ("a/z.txt", ""), ("a/b/c/z.txt", ""), ("b/z.txt", ""));

        Assert.Equal(new[] { ".gitignore", "b/z.txt" }, tree.Walk());
    }

    [Fact]
    public void Character_classes_and_escapes_work_in_ignore_files()
    {
        using var tree = new TestTree().With(
            (".gitignore", "file[0-9].txt\n\\#literal\n"),
            ("file1.txt", ""), ("fileA.txt", ""), ("#literal", ""));

        Assert.Equal(new[] { ".gitignore", "fileA.txt" }, tree.Walk());
    }

    [Fact]
    public void Nested_gitignore_files_apply_below_their_folder_and_override_their_parents()
    {
        using var tree = new TestTree().With(
            (".gitignore", "*.tmp\n"),
            ("pkg/.gitignore", "!keep.tmp\n/local.txt\n"),
            ("a.tmp", ""), ("keep.tmp", ""), ("pkg/keep.tmp", ""), ("pkg/x.tmp", ""),
            ("pkg/local.txt", ""), ("pkg/sub/local.txt", ""), ("local.txt", ""));

        Assert.Equal(new[] { ".gitignore", "local.txt", "pkg/.gitignore", "pkg/keep.tmp", "pkg/sub/local.txt" }, tree.Walk());
    }

    [Fact]
    public void Dot_ignore_files_are_honoured_and_win_over_gitignore_in_the_same_folder()
    {
        using var tree = new TestTree().With(
            (".gitignore", "*.gen\n"),
            (".ignore", "!api.gen\nscratch/\n"),
            ("a.gen", ""), ("api.gen", ""), ("scratch/x.txt", ""));

        Assert.Equal(new[] { ".gitignore", ".ignore", "api.gen" }, tree.Walk());
    }

    [Fact]
    public void Git_info_exclude_is_honoured()
    {
        using var tree = new TestTree().With((".git/info/exclude", "secret.txt\n"), ("secret.txt", ""), ("open.txt", ""));

        Assert.Equal(new[] { "open.txt" }, tree.Walk());
    }

    [Fact]
    public void Walking_a_subfolder_applies_the_rules_of_its_ancestors_and_reports_workspace_relative_paths()
    {
        using var tree = new TestTree().With((".gitignore", "*.log\n"), ("src/a.cs", ""), ("src/b.log", ""), ("src/deep/c.cs", ""));

        Assert.Equal(new[] { "src/a.cs", "src/deep/c.cs" }, tree.Walk("src"));
    }

    [Fact]
    public void A_path_outside_the_workspace_is_refused()
    {
        using var tree = new TestTree();

        var ex = Assert.Throws<WorkspaceAccessException>(() => tree.Walk("../"));
        Assert.Contains("outside the workspace", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Symbolic_links_to_folders_are_not_followed()
    {
        using var tree = new TestTree().With(("real/a.txt", ""));
        Directory.CreateSymbolicLink(tree.Full("loop"), tree.Root);
        var outside = Directory.CreateTempSubdirectory("memfun-outside-");
        try
        {
            File.WriteAllText(Path.Combine(outside.FullName, "secret.txt"), "s");
            Directory.CreateSymbolicLink(tree.Full("escape"), outside.FullName);

            Assert.Equal(new[] { "real/a.txt" }, tree.Walk());
        }
        finally
        {
            outside.Delete(recursive: true);
        }
    }

    [Fact]
    public void Entries_carry_size_and_modification_time()
    {
        using var tree = new TestTree().With(("a.txt", "12345"));
        var when = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(tree.Full("a.txt"), when);

        var entry = Assert.Single(tree.Walker.Walk());

        Assert.Equal(5, entry.Length);
        Assert.Equal(when, entry.LastWriteTimeUtc);
    }
}
