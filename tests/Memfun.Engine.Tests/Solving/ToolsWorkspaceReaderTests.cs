using Memfun.Engine.Solving;
using Memfun.Tools.Search;
using Memfun.Tools.Workspace;
using Microsoft.Extensions.Options;

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

    [Fact]
    public async Task A_search_over_the_listing_searches_the_files_listed_then_and_skips_dependency_folders()
    {
        using var h = new SolverHarness();
        h.Write("a.py", "def run(x):\n    return x\n").Write("node_modules/p/index.js", "function run() {}\n");
        var reader = h.CreateReader();
        var listing = reader.ListFiles();
        h.Write("later.py", "def run(y):\n    return y\n");

        var hits = await reader.SearchAsync(["run"], 10, listing);

        Assert.Equal(["a.py"], hits.Select(x => x.Path).Distinct());
        Assert.Equal(2, (await reader.SearchAsync(["run"], 10)).Count(x => x.Path.EndsWith(".py", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_listing_totals_the_sizes_of_its_files()
    {
        using var h = new SolverHarness();
        h.Write("a.py", "12345\n").Write("b/c.md", "123\n");

        var listing = h.CreateReader().ListFiles();

        Assert.Equal(10, listing.TotalBytes);
        Assert.Equal(2, listing.Count);
    }

    [Fact]
    public async Task The_code_map_from_a_listing_is_the_walked_map_and_follows_changes()
    {
        using var h = new SolverHarness();
        h.Write("a.py", "def run(x):\n    return x\n");
        var source = h.CreateCodeMapSource();
        var reader = h.CreateReader();

        var walked = await source.GetCodeMapAsync(10_000);
        var listed = await source.GetCodeMapAsync(10_000, reader.ListFiles());
        h.Write("b.py", "def stop(y):\n    return y\n");
        var after = await source.GetCodeMapAsync(10_000, reader.ListFiles());

        Assert.Equal(walked, listed);
        Assert.Contains("def run(x)", listed, StringComparison.Ordinal);
        Assert.Contains("def stop(y)", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pattern_too_slow_to_search_yields_nothing_while_the_others_still_answer()
    {
        using var h = new SolverHarness();
        h.Write("a.txt", new string('a', 5000) + "!\n").Write("b.py", "def run():\n    pass\n");
        var walker = new WorkspaceWalker(new PathGuard(h.Root));
        var reader = new ToolsWorkspaceReader(walker, new WorkspaceSearcher(walker, Options.Create(new SearchOptions { RegexTimeout = TimeSpan.FromMilliseconds(100) })));

        var hits = await reader.SearchAsync(["^(a+)+$", "def run"], 10, reader.ListFiles());

        Assert.Equal([("def run", "b.py")], hits.Select(x => (x.Pattern, x.Path)));
    }
}
