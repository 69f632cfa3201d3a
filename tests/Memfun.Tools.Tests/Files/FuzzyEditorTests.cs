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
    public void Fuzzy_matching_tolerates_an_extra_line_in_the_file_and_keeps_it()
    {
        var content = "start\nalpha beta gamma delta\nepsilon zeta eta theta\nx += 1;\niota kappa lambda mu\nend\n";
        var old = "alpha beta gamma delta\nepsilon zeta eta theta\niota kappa lambda mu";
        var @new = "alpha beta gamma delta\nepsilon zeta eta theta\niota kappa lambda mu\nadded();";

        var plan = FuzzyEditor.Plan(content, old, @new, false, "f");

        Assert.Equal("fuzzy", plan.Strategy);
        Assert.Equal([2], plan.Regions);
        Assert.Equal("start\nalpha beta gamma delta\nepsilon zeta eta theta\nx += 1;\niota kappa lambda mu\nadded();\nend\n", Apply(content, plan));
        Assert.Contains(plan.Normalized, n => n.Contains("leaves out line 4", StringComparison.Ordinal));
    }

    [Fact]
    public void Replacing_a_run_that_hides_a_line_of_the_file_is_refused()
    {
        var content = "start\nalpha beta gamma delta\nepsilon zeta eta theta\nx += 1;\niota kappa lambda mu\nend\n";
        var old = "alpha beta gamma delta\nepsilon zeta eta theta\niota kappa lambda mu";

        var ex = Assert.Throws<EditMatchException>(() => FuzzyEditor.Plan(content, old, "replaced", false, "f"));

        Assert.Contains("old_text does not show", ex.Message, StringComparison.Ordinal);
        Assert.Contains("     4\tx += 1;", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_slip_in_a_line_the_edit_leaves_alone_keeps_the_files_spelling()
    {
        var content = "class A\n{\n    int Compute(int value)\n    {\n        return value * factor;\n    }\n}\n";
        var old = "    int Compute(int vale)\n    {\n        return value * factor;";
        var @new = "    int Compute(int vale)\n    {\n        Log(value);\n        return value * factor;";

        var plan = FuzzyEditor.Plan(content, old, @new, false, "f");

        Assert.Equal("class A\n{\n    int Compute(int value)\n    {\n        Log(value);\n        return value * factor;\n    }\n}\n", Apply(content, plan));
    }

    [Fact]
    public void A_slip_in_a_line_the_edit_changes_is_refused_with_the_files_line()
    {
        var content = "class A\n{\n    int Compute(int value)\n    {\n        return value * factor;\n    }\n}\n";
        var old = "    int Compute(int value)\n    {\n        return value * facor;";
        var @new = "    int Compute(int value)\n    {\n        return value * facor + 1;";

        var ex = Assert.Throws<EditMatchException>(() => FuzzyEditor.Plan(content, old, @new, false, "f"));

        Assert.Contains("your edit changes line 5", ex.Message, StringComparison.Ordinal);
        Assert.Contains("return value * factor;", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Added_lines_take_the_files_tabs_when_the_model_sends_spaces()
    {
        var content = "func f() {\n\tif ok {\n\t\treturn\n\t}\n}\n";
        var old = "    if ok {\n        return\n    }";
        var @new = "    if ok {\n        log()\n        return\n    }";

        var plan = FuzzyEditor.Plan(content, old, @new, false, "f");

        Assert.Equal("whitespace", plan.Strategy);
        Assert.Equal("func f() {\n\tif ok {\n\t\tlog()\n\t\treturn\n\t}\n}\n", Apply(content, plan));
        Assert.Contains("tabs and spaces in indentation", plan.Normalized);
    }

    [Fact]
    public void Trailing_spaces_in_the_files_lines_survive_an_edit_sent_without_them()
    {
        var content = "a = 1   \nb = 2\t\nc = 3\n";
        var old = "a = 1\nb = 2\nc = 3";
        var @new = "a = 1\nb = 2\nb2 = 4\nc = 3";

        var plan = FuzzyEditor.Plan(content, old, @new, false, "f");

        Assert.Equal("a = 1   \nb = 2\t\nb2 = 4\nc = 3\n", Apply(content, plan));
    }

    private static string Apply(string content, EditPlan plan)
    {
        var sb = new System.Text.StringBuilder();
        var pos = 0;
        foreach (var r in plan.Replacements)
        {
            sb.Append(content, pos, r.Start - pos).Append(r.Text);
            pos = r.Start + r.Length;
        }

        return sb.Append(content, pos, content.Length - pos).ToString();
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
