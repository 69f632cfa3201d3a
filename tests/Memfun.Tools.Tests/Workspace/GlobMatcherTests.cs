using Memfun.Tools.Workspace;

namespace Memfun.Tools.Tests.Workspace;

public sealed class GlobMatcherTests
{
    [Theory]
    [InlineData("*.cs", "Program.cs", true)]
    [InlineData("*.cs", "src/Program.cs", false)]
    [InlineData("src/*.py", "src/app.py", true)]
    [InlineData("src/*.py", "src/pkg/app.py", false)]
    [InlineData("**/*.cs", "Program.cs", true)]
    [InlineData("**/*.cs", "a/b/c/Program.cs", true)]
    [InlineData("src/**/test_*.py", "src/test_a.py", true)]
    [InlineData("src/**/test_*.py", "src/x/y/test_a.py", true)]
    [InlineData("src/**", "src/x/y.txt", true)]
    [InlineData("src/**", "lib/src/y.txt", false)]
    [InlineData("file?.txt", "file1.txt", true)]
    [InlineData("file?.txt", "file10.txt", false)]
    [InlineData("[abc].md", "b.md", true)]
    [InlineData("[abc].md", "d.md", false)]
    [InlineData("[a-c]x", "cx", true)]
    [InlineData("[!a-c]x", "cx", false)]
    [InlineData("[!a-c]x", "dx", true)]
    [InlineData("\\*.txt", "*.txt", true)]
    [InlineData("\\*.txt", "a.txt", false)]
    [InlineData("a/**/b", "a/b", true)]
    [InlineData("a/**/b", "a/x/y/b", true)]
    public void Globs_match_as_git_and_shells_do(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, new GlobMatcher(pattern).IsMatch(path));
    }

    [Fact]
    public void Case_can_be_ignored()
    {
        Assert.True(new GlobMatcher("*.CS", ignoreCase: true).IsMatch("a.cs"));
        Assert.False(new GlobMatcher("*.CS").IsMatch("a.cs"));
    }
}
