using Memfun.Tools.Search;
using Memfun.Tools.Tests.Workspace;
using Microsoft.Extensions.Options;

namespace Memfun.Tools.Tests.Search;

public sealed class WorkspaceFileListerTests : IDisposable
{
    private readonly TestTree _tree = new TestTree().With(
        (".gitignore", "bin/\n"), ("bin/app.dll", ""), ("src/app.py", ""), ("src/pkg/mod.py", ""), ("src/Program.cs", ""), ("README.md", ""));

    public void Dispose() => _tree.Dispose();

    private WorkspaceFileLister Lister(int max = 1000) => new(_tree.Walker, Options.Create(new SearchOptions { MaxListEntries = max }));

    [Fact]
    public void Without_a_pattern_every_file_not_ignored_is_listed()
    {
        var listing = Lister().List();

        Assert.Equal(new[] { ".gitignore", "README.md", "src/Program.cs", "src/app.py", "src/pkg/mod.py" }, listing.Files.Select(f => f.Path));
        Assert.False(listing.Truncated);
    }

    [Theory]
    [InlineData("*.py", null, "src/app.py,src/pkg/mod.py")]
    [InlineData("src/*.py", null, "src/app.py")]
    [InlineData("**/*.py", null, "src/app.py,src/pkg/mod.py")]
    [InlineData("*.py", "src/pkg", "src/pkg/mod.py")]
    [InlineData("*.{cs,md}", null, "README.md,src/Program.cs")]
    public void Globs_select_files(string pattern, string? path, string expected)
    {
        Assert.Equal(expected.Split(','), Lister().List(pattern, path).Files.Select(f => f.Path));
    }

    [Fact]
    public void The_listing_is_capped_with_a_count_of_the_rest()
    {
        var listing = Lister(max: 2).List();

        Assert.Equal(2, listing.Files.Count);
        Assert.Equal(5, listing.Total);
        Assert.True(listing.Truncated);
        Assert.Contains("… and 3 more files (5 in all)", listing.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Timestamps_are_given_when_asked_for()
    {
        File.SetLastWriteTimeUtc(_tree.Full("README.md"), new DateTime(2025, 3, 4, 5, 6, 7, DateTimeKind.Utc));

        var listing = Lister().List("README.md", timestamps: true);

        Assert.Equal("2025-03-04T05:06:07Z", Assert.Single(listing.Files).Modified);
        Assert.Contains("README.md  2025-03-04T05:06:07Z", listing.ToText(), StringComparison.Ordinal);
        Assert.Null(Lister().List("README.md").Files[0].Modified);
    }
}
