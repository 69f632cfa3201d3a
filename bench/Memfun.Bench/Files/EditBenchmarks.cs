using System.Text;
using BenchmarkDotNet.Attributes;
using Memfun.Tools.Files;

namespace Memfun.Bench.Files;

/// <summary>edit_file's matching on a 20,000-line source text: exact, whitespace and fuzzy, and a miss (closest-region search).</summary>
[MemoryDiagnoser]
[InProcess]
[WarmupCount(2)]
[IterationCount(8)]
public class EditBenchmarks
{
    private string _content = null!;
    private string _exact = null!;
    private string _reindented = null!;
    private string _fuzzy = null!;
    private string _miss = null!;

    [GlobalSetup]
    public void Setup()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 2000; i++)
        {
            sb.Append("    public int Method").Append(i).Append("(int value)\n    {\n        var result = value * ").Append(i)
              .Append(";\n        if (result > 100)\n        {\n            return result - ").Append(i).Append(";\n        }\n\n        return result;\n    }\n");
        }

        _content = sb.ToString();
        _exact = "        var result = value * 1234;\n        if (result > 100)\n";
        _reindented = "var result = value * 1234;\nif (result > 100)\n{\n    return result - 1234;\n}";
        _fuzzy = "    public int Method1234(int val)\n    {\n        var result = val * 1234;\n        if (result > 100)\n        {\n            return result - 1234;";
        _miss = "    public long Compute(long input)\n    {\n        return input << 3;\n    }";
    }

    [Benchmark(Baseline = true)]
    public int Exact() => FuzzyEditor.Plan(_content, _exact, "x", false, "f").Replacements.Count;

    [Benchmark]
    public int Whitespace() => FuzzyEditor.Plan(_content, _reindented, "x", false, "f").Replacements.Count;

    [Benchmark]
    public int Fuzzy() => FuzzyEditor.Plan(_content, _fuzzy, "x", false, "f").Replacements.Count;

    [Benchmark]
    public int MissWithClosestRegion()
    {
        try
        {
            return FuzzyEditor.Plan(_content, _miss, "x", false, "f").Replacements.Count;
        }
        catch (EditMatchException ex)
        {
            return ex.Message.Length;
        }
    }
}
