using Memfun.Engine.Repl.Host;

namespace Memfun.Engine.Tests.Repl;

public sealed class BoundedOutputWriterTests
{
    [Fact]
    public void Short_output_is_kept_whole()
    {
        using var w = new BoundedOutputWriter(100);
        w.Write("hello ");
        w.WriteLine("world");
        Assert.Equal("hello world\n", w.ToString());
        Assert.Equal(0, w.Cut);
    }

    [Fact]
    public void Long_output_keeps_head_and_tail_and_counts_the_middle()
    {
        using var w = new BoundedOutputWriter(20);
        for (var i = 0; i < 1000; i++)
        {
            w.Write((char)('a' + (i % 26)));
        }

        var text = w.ToString();
        Assert.StartsWith("abcdefghij", text, StringComparison.Ordinal);
        Assert.EndsWith(string.Concat(Enumerable.Range(990, 10).Select(i => (char)('a' + (i % 26)))), text, StringComparison.Ordinal);
        Assert.Equal(980, w.Cut);
        Assert.Contains("[... 980 characters cut ...]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Type_names_are_written_as_csharp_a_later_submission_can_use()
    {
        Assert.Equal("global::System.Collections.Generic.Dictionary<string, global::System.Collections.Generic.List<int?>>", ScriptTypeNames.TryFormat(typeof(Dictionary<string, List<int?>>)));
        Assert.Equal("int[,]", ScriptTypeNames.TryFormat(typeof(int[,])));
        Assert.Null(ScriptTypeNames.TryFormat(new { A = 1 }.GetType()));
    }
}
