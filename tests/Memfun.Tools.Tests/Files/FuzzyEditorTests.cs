using Memfun.Tools.Files;

namespace Memfun.Tools.Tests.Files;

public sealed class FuzzyEditorTests
{
    [Fact]
    public void Two_equally_close_fuzzy_regions_are_ambiguous()
    {
        var block = "if (count > limit) { throw new InvalidOperationException(\"too many\"); }";
        var content = $"a();\n{block}\nb();\nc();\n{block}\nd();\n";

        var ex = Assert.Throws<EditMatchException>(() => FuzzyEditor.Plan(content, block.Replace("too many", "too much", StringComparison.Ordinal), "x", false, "f"));

        Assert.Contains("fuzzy match", ex.Message, StringComparison.Ordinal);
        Assert.Contains("lines 2, 5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fuzzy_matching_tolerates_an_extra_line_in_the_file()
    {
        var content = "start\nalpha beta gamma delta\nepsilon zeta eta theta\nx += 1;\niota kappa lambda mu\nend\n";
        var old = "alpha beta gamma delta\nepsilon zeta eta theta\niota kappa lambda mu";

        var plan = FuzzyEditor.Plan(content, old, "replaced", false, "f");

        Assert.Equal("fuzzy", plan.Strategy);
        Assert.Equal(2, plan.Replacements[0].Line);
    }

    [Fact]
    public void A_short_old_text_that_is_not_found_is_not_fuzzy_matched()
    {
        var ex = Assert.Throws<EditMatchException>(() => FuzzyEditor.Plan("let a = 1;\n", "let b = 1;", "x", false, "f"));

        Assert.Contains("too short for a fuzzy match", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("same", "same", 0)]
    [InlineData("flaw", "lawn", 2)]
    public void Levenshtein_distance_is_exact_within_the_bound(string a, string b, int expected)
    {
        Assert.Equal(expected, Levenshtein.Distance(a, b, 10));
        Assert.Equal(Math.Min(expected, 2), Math.Min(Levenshtein.Distance(a, b, 1), 2));
    }
}
