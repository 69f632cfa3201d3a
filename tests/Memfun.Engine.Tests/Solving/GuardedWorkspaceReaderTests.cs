using Memfun.Engine.Solving;
using Memfun.Tools.Workspace;

namespace Memfun.Engine.Tests.Solving;

public sealed class GuardedWorkspaceReaderTests
{
    [Fact]
    public void Listing_skips_dependency_folders_gitignored_entries_and_binaries()
    {
        using var h = new SolverHarness();
        h.Write("src/a.py", "x\n").Write("node_modules/p/index.js", "y\n").Write("logo.png", "png").Write("debug.log", "l\n")
         .Write("secret/key.txt", "k\n").Write(".gitignore", "*.log\nsecret/\n");

        var files = new GuardedWorkspaceReader(new PathGuard(h.Root)).ListFiles().Select(f => f.Path).ToList();

        Assert.Equal([".gitignore", "src/a.py"], files);
    }

    [Fact]
    public async Task Reading_outside_the_workspace_gives_nothing()
    {
        using var h = new SolverHarness();

        var text = await new GuardedWorkspaceReader(new PathGuard(h.Root)).ReadTextAsync("../../etc/passwd", 1000);

        Assert.Null(text);
    }
}
