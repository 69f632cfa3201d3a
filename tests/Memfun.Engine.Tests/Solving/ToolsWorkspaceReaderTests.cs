using Memfun.Engine.Solving;

namespace Memfun.Engine.Tests.Solving;

public sealed class ToolsWorkspaceReaderTests
{
    [Fact]
    public void Listing_skips_dependency_folders_gitignored_entries_and_binaries()
    {
        using var h = new SolverHarness();
        h.Write("src/a.py", "x\n").Write("node_modules/p/index.js", "y\n").Write("logo.png", "png").Write("debug.log", "l\n")
         .Write("secret/key.txt", "k\n").Write(".gitignore", "*.log\nsecret/\n");

        var files = h.CreateReader().ListFiles().Select(f => f.Path).ToList();

        Assert.Equal([".gitignore", "src/a.py"], files);
    }

    [Fact]
    public async Task Reading_outside_the_workspace_gives_nothing()
    {
        using var h = new SolverHarness();

        var text = await h.CreateReader().ReadTextAsync("../../etc/passwd", 1000);

        Assert.Null(text);
    }

    [Fact]
    public async Task A_search_names_its_pattern_and_takes_an_invalid_regex_as_text()
    {
        using var h = new SolverHarness();
        h.Write("a.py", "def run(x):\n    return x\n").Write("b.py", "value = f(1\n");

        var hits = await h.CreateReader().SearchAsync(["def run", "f(1"], 10);

        Assert.Contains(hits, x => x.Pattern == "def run" && x.Path == "a.py" && x.Line == 1);
        Assert.Contains(hits, x => x.Pattern == "f(1" && x.Path == "b.py" && x.Text == "value = f(1");
    }
}
