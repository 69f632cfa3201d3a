using System.Text;

namespace Memfun.Tools.CodeMap;

/// <summary>Renders a <see cref="WorkspaceCodeMap"/> as Markdown within a byte budget, most relevant files first.</summary>
internal static class CodeMapRenderer
{
    private const int TrailerReserve = 220;
    private const int MaxSignatureChars = 200;

    public static string Render(WorkspaceCodeMap map, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(map);
        var budget = Math.Max(maxBytes, 256);
        var header = $"# Code map of {(map.Root.Length == 0 ? "the workspace" : map.Root)}: {map.Files.Count} files, {map.SymbolCount} declarations\n";
        var sb = new StringBuilder(Math.Min(budget, 1 << 20));
        sb.Append(header);
        var used = Encoding.UTF8.GetByteCount(header);
        var omittedFiles = 0;
        var omittedSymbols = 0;
        var partialFiles = 0;
        var ranked = map.Files.OrderByDescending(Score).ThenBy(static f => f.Path, StringComparer.Ordinal).ToList();
        foreach (var file in ranked)
        {
            if (budget - used - TrailerReserve < MinimumFileBytes(file))
            {
                // Not even the heading fits: skip without rendering (keeps large maps fast).
                omittedFiles++;
                omittedSymbols += file.SymbolCount;
                continue;
            }

            // One file may take at most a quarter of the budget in full, so the map shows many files.
            var share = Math.Max(budget / 4, 1000);
            var estimate = EstimatedFullBytes(file);
            if (used + estimate + TrailerReserve <= budget && estimate <= share)
            {
                var full = Full(file);
                var fullSize = Encoding.UTF8.GetByteCount(full);
                if (used + fullSize + TrailerReserve <= budget && fullSize <= share)
                {
                    sb.Append(full);
                    used += fullSize;
                    continue;
                }
            }

            if (used + EstimatedBriefBytes(file) + TrailerReserve > budget)
            {
                omittedFiles++;
                omittedSymbols += file.SymbolCount;
                continue;
            }

            var brief = Brief(file, out var shown);
            var size = Encoding.UTF8.GetByteCount(brief);
            if (used + size + TrailerReserve <= budget)
            {
                sb.Append(brief);
                used += size;
                partialFiles++;
                omittedSymbols += file.SymbolCount - shown;
                continue;
            }

            omittedFiles++;
            omittedSymbols += file.SymbolCount;
        }

        if (omittedFiles > 0 || partialFiles > 0)
        {
            sb.Append("\n_Omitted to fit ").Append(maxBytes).Append(" bytes: ");
            if (partialFiles > 0)
            {
                sb.Append("members of ").Append(partialFiles).Append(" files");
                if (omittedFiles > 0)
                {
                    sb.Append(", ");
                }
            }

            if (omittedFiles > 0)
            {
                sb.Append(omittedFiles).Append(" whole files");
            }

            sb.Append(" (").Append(omittedSymbols).Append(" declarations). Pass a path to map a folder, or raise max_bytes._\n");
        }

        if (map.Files.Count == 0)
        {
            sb.Append("\nNo declarations found (").Append(map.FilesScanned).Append(" source files scanned; languages: C#, Python, JavaScript/TypeScript, Go, Rust, Java).\n");
        }

        return sb.ToString();
    }

    /// <summary>Relevance: a large public surface, a shallow path, not tests, not vendored or generated code.</summary>
    internal static double Score(CodeMapFile file)
    {
        var publicCount = 0;
        var all = 0;
        foreach (var s in file.Symbols)
        {
            Count(s, true, ref publicCount, ref all);
        }

        var depth = file.Path.Count(static c => c == '/');
        var score = (Math.Log2(1 + publicCount) * 10) + Math.Log2(1 + all) - (depth * 2.5);
        var p = file.Path;
        if (p.Contains("test", StringComparison.OrdinalIgnoreCase) || p.Contains("spec", StringComparison.OrdinalIgnoreCase))
        {
            score -= 12;
        }

        if (p.Contains("/dist/", StringComparison.Ordinal) || p.Contains("/build/", StringComparison.Ordinal) || p.StartsWith("dist/", StringComparison.Ordinal) ||
            p.StartsWith("build/", StringComparison.Ordinal) || p.Contains(".generated.", StringComparison.Ordinal) || p.Contains(".g.", StringComparison.Ordinal))
        {
            score -= 20;
        }

        // Dependencies come after the project's own code.
        if (p.StartsWith("node_modules/", StringComparison.Ordinal) || p.Contains("/node_modules/", StringComparison.Ordinal) ||
            p.StartsWith("vendor/", StringComparison.Ordinal) || p.Contains("/vendor/", StringComparison.Ordinal) || p.Contains("third_party/", StringComparison.Ordinal))
        {
            score -= 100;
        }

        return score;
    }

    /// <summary>Counts declarations, and those visible from outside (public inside a public parent).</summary>
    private static void Count(CodeSymbol s, bool parentPublic, ref int publicCount, ref int all)
    {
        all++;
        var visible = parentPublic && s.IsPublic;
        if (visible)
        {
            publicCount++;
        }

        foreach (var c in s.Children)
        {
            Count(c, visible, ref publicCount, ref all);
        }
    }

    /// <summary>A lower bound of the bytes of the heading of <paramref name="file"/>.</summary>
    private static int MinimumFileBytes(CodeMapFile file) => file.Path.Length + 20;

    /// <summary>A lower bound of the bytes of <see cref="Full"/>: characters are at least one byte each.</summary>
    private static int EstimatedFullBytes(CodeMapFile file)
    {
        var total = file.Path.Length + 20;
        foreach (var s in file.Symbols)
        {
            total += Estimate(s, 0);
        }

        return total;

        static int Estimate(CodeSymbol s, int depth)
        {
            var n = (depth * 2) + 4 + Math.Min(s.Signature.Length, MaxSignatureChars);
            foreach (var c in s.Children)
            {
                n += Estimate(c, depth + 1);
            }

            return n;
        }
    }

    /// <summary>Signatures longer than <see cref="MaxSignatureChars"/> (long unions, huge parameter lists) are cut with '…'.</summary>
    private static string Shorten(string signature) =>
        signature.Length <= MaxSignatureChars ? signature : signature[..MaxSignatureChars] + "…";

    /// <summary>A lower bound of the bytes of <see cref="Brief"/>.</summary>
    private static int EstimatedBriefBytes(CodeMapFile file)
    {
        var total = file.Path.Length + 40;
        var shown = 0;
        foreach (var s in file.Symbols)
        {
            if (shown == 12)
            {
                break;
            }

            if (s.IsPublic)
            {
                total += Math.Min(s.Signature.Length, MaxSignatureChars) + 4;
                shown++;
            }
        }

        return shown == 0 && file.Symbols.Count > 0 ? total + Math.Min(file.Symbols[0].Signature.Length, MaxSignatureChars) + 4 : total;
    }

    private static string Full(CodeMapFile file)
    {
        var sb = new StringBuilder();
        sb.Append("\n## ").Append(file.Path).Append(" (").Append(file.Lines).Append(" lines)\n");
        foreach (var s in file.Symbols)
        {
            Append(sb, s, 0);
        }

        return sb.ToString();
    }

    private static void Append(StringBuilder sb, CodeSymbol s, int depth)
    {
        sb.Append(' ', depth * 2).Append(s.Line).Append(": ").Append(Shorten(s.Signature)).Append('\n');
        foreach (var c in s.Children)
        {
            Append(sb, c, depth + 1);
        }
    }

    /// <summary>The top-level declarations only (public ones when there are any), with a count of members left out.</summary>
    private static string Brief(CodeMapFile file, out int shown)
    {
        var sb = new StringBuilder();
        sb.Append("\n## ").Append(file.Path).Append(" (").Append(file.Lines).Append(" lines; members omitted)\n");
        var tops = file.Symbols.Any(static s => s.IsPublic) ? file.Symbols.Where(static s => s.IsPublic).ToList() : [.. file.Symbols];
        shown = 0;
        foreach (var s in tops.Take(12))
        {
            sb.Append(s.Line).Append(": ").Append(Shorten(s.Signature));
            if (s.Children.Count > 0)
            {
                sb.Append("  (+").Append(s.Count - 1).Append(" members)");
            }

            sb.Append('\n');
            shown++;
        }

        if (tops.Count > 12)
        {
            sb.Append("… +").Append(tops.Count - 12).Append(" more\n");
        }

        return sb.ToString();
    }
}
