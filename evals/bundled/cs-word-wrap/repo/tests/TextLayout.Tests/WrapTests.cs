using TextLayout;

public sealed class WrapTests
{
    [Test]
    public void WrapsAtWidth() =>
        Assert.Equal("the quick\nbrown fox\njumps", WordWrapper.Wrap("the quick brown fox jumps", new WrapOptions(10)));

    [Test]
    public void CollapsesRunsOfSpaces() =>
        Assert.Equal("a b c", WordWrapper.Wrap("a   b \t c", new WrapOptions(20)));

    [Test]
    public void IndentsEveryLine() =>
        Assert.Equal("> one two\n> three", WordWrapper.Wrap("one two three", new WrapOptions(9, "> ")));

    [Test]
    public void RejectsWidthSmallerThanIndent() =>
        Assert.Throws<ArgumentException>(() => WordWrapper.Wrap("x", new WrapOptions(2, "  ")));

    [Test]
    public void HelpAlignsDescriptions() =>
        Assert.Equal("  -v     verbose output\n  --out  output file",
            HelpFormatter.Format([("-v", "verbose output"), ("--out", "output file")]));
}
