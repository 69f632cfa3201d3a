using Memfun.Engine.Solving;

namespace Memfun.Engine.Tests.Solving;

public sealed class TextEditMatcherTests
{
    [Fact]
    public void An_exact_unique_match_is_replaced()
    {
        var result = TextEditMatcher.TryApply("a\nb\nc\n", "b\n", "B\n", out var problem);

        Assert.Null(problem);
        Assert.Equal("a\nB\nc\n", result);
    }

    [Fact]
    public void A_match_differing_only_in_indentation_is_found_and_the_new_text_reindented()
    {
        var file = "class A:\n    def f(self):\n        return 1\n";

        var result = TextEditMatcher.TryApply(file, "def f(self):\n    return 1", "def f(self):\n    return 2", out var problem);

        Assert.Null(problem);
        Assert.Equal("class A:\n    def f(self):\n        return 2\n", result);
    }

    [Fact]
    public void An_ambiguous_match_is_refused_with_the_count()
    {
        var result = TextEditMatcher.TryApply("x = 1\nx = 1\n", "x = 1", "x = 2", out var problem);

        Assert.Null(result);
        Assert.Contains("occurs 2 times", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_found_nowhere_is_refused_naming_the_nearest_line()
    {
        var result = TextEditMatcher.TryApply("def f():\n    return 1\n", "def f():\n    return 3", "x", out var problem);

        Assert.Null(result);
        Assert.Contains("matches nothing", problem, StringComparison.Ordinal);
        Assert.Contains("line 1", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Crlf_files_keep_their_line_endings()
    {
        var result = TextEditMatcher.TryApply("a\r\nb\r\n", "a\nb", "a\nB", out _);

        Assert.Equal("a\r\nB\r\n", result);
    }
}
