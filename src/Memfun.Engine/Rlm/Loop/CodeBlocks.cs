using System.Text.RegularExpressions;

namespace Memfun.Engine.Rlm.Loop;

/// <summary>Finds the C# the model wrote: every ```csharp (or ```cs, ```c#, bare ```) block, joined in order.</summary>
internal static partial class CodeBlocks
{
    public static string? Extract(string? reply)
    {
        if (string.IsNullOrEmpty(reply))
        {
            return null;
        }

        var blocks = Fence().Matches(reply).Select(m => m.Groups["code"].Value.Trim()).Where(c => c.Length > 0).ToList();
        return blocks.Count == 0 ? null : string.Join("\n", blocks);
    }

    /// <summary>A FINAL(...) written as plain text rather than code, e.g. <c>FINAL(42)</c>.</summary>
    public static string? PlainFinal(string? reply)
    {
        if (string.IsNullOrEmpty(reply))
        {
            return null;
        }

        var m = PlainFinalPattern().Match(reply);
        return m.Success ? m.Groups["answer"].Value.Trim().Trim('"') : null;
    }

    [GeneratedRegex(@"```[ \t]*(?:csharp|cs|c#|C#)?[ \t]*\r?\n(?<code>.*?)```", RegexOptions.Singleline | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Fence();

    [GeneratedRegex(@"^\s*FINAL\((?<answer>.*)\)\s*;?\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex PlainFinalPattern();
}
