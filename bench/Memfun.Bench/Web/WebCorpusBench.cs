using System.Diagnostics;
using System.Text;
using Memfun.Tools.Web;

namespace Memfun.Bench.Web;

/// <summary>
/// HTML→Markdown over a corpus of real pages (by default the HTML documentation shipped in Debian packages
/// under <c>/usr/share/doc</c> and in the npm packages under <c>.tools/node_modules</c>): converts every page,
/// and with <c>--against</c> compares each page's Markdown with an earlier run's and prints the first differing
/// lines, so a change to the converter can be judged on real pages.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project bench/Memfun.Bench -- webcorpus [--out DIR] [--against DIR] [--show N] [DIR…]</c>:
/// <c>--out</c> writes each page's Markdown there (named after its path), <c>--against</c> reads an earlier
/// <c>--out</c>. Pages over 8 MB are skipped; identical pages (links, copies) count once. Before the hand-made
/// converter was removed, this compared it with the AngleSharp one: 12 of 1,021 distinct pages differed (docs/web.md).
/// </remarks>
internal static class WebCorpusBench
{
    public static int Run(string[] args)
    {
        string? outDir = null;
        string? againstDir = null;
        var show = 40;
        var roots = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out" when i + 1 < args.Length:
                    outDir = args[++i];
                    break;
                case "--against" when i + 1 < args.Length:
                    againstDir = args[++i];
                    break;
                case "--show" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n):
                    show = n;
                    i++;
                    break;
                default:
                    roots.Add(args[i]);
                    break;
            }
        }

        if (roots.Count == 0)
        {
            roots.Add("/usr/share/doc");
            roots.Add(Path.Combine(FindRepoRoot(), ".tools", "node_modules"));
        }

        var pages = roots.Where(Directory.Exists)
            .SelectMany(root => Directory.EnumerateFiles(root, "*.htm*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 }))
            .Where(p => p.EndsWith(".html", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".htm", StringComparison.OrdinalIgnoreCase))
            .Where(p => new FileInfo(p).Length is > 0 and < 8 << 20)
            .Order(StringComparer.Ordinal)
            .ToList();

        var differing = 0;
        var shown = 0;
        long bytes = 0;
        double ms = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unique = 0;
        foreach (var path in pages)
        {
            var html = File.ReadAllText(path);

            // Symbolic links (python3-doc → python3.11-doc) and copies reach the same page more than once.
            if (!seen.Add(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(html)))))
            {
                continue;
            }

            unique++;
            bytes += html.Length;
            var baseUri = new Uri("https://docs.example/" + path.TrimStart('/'));
            var t = Stopwatch.GetTimestamp();
            var page = HtmlMarkdownConverter.Convert(html, baseUri);
            ms += Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            var name = path.TrimStart('/').Replace('/', '_') + ".md";
            if (outDir is not null)
            {
                Directory.CreateDirectory(outDir);
                File.WriteAllText(Path.Combine(outDir, name), page.Markdown);
            }

            if (againstDir is null || !File.Exists(Path.Combine(againstDir, name)) || File.ReadAllText(Path.Combine(againstDir, name)) is var before && before == page.Markdown)
            {
                continue;
            }

            differing++;
            if (shown++ < show)
            {
                Console.WriteLine($"--- {path}");
                PrintFirstDifference(page.Markdown, before);
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Pages: {unique:N0} distinct of {pages.Count:N0} files ({bytes:N0} characters of HTML) under {string.Join(", ", roots)}");
        Console.WriteLine($"Converted in {ms:N0} ms (single pass, including warm-up)");
        if (againstDir is not null)
        {
            Console.WriteLine($"Differing from {againstDir}: {differing:N0}");
        }

        return 0;
    }

    /// <summary>Prints the lines around the first line where the two outputs part, each side marked.</summary>
    private static void PrintFirstDifference(string now, string before)
    {
        var a = now.Split('\n');
        var b = before.Split('\n');
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }

        Console.WriteLine($"  lines: now {a.Length}, before {b.Length}; first difference at line {i + 1}");
        for (var k = i; k < Math.Min(i + 3, a.Length); k++)
        {
            Console.WriteLine($"  now   | {Clip(a[k])}");
        }

        for (var k = i; k < Math.Min(i + 3, b.Length); k++)
        {
            Console.WriteLine($"  before| {Clip(b[k])}");
        }
    }

    private static string Clip(string line) => line.Length > 160 ? line[..160] + "…" : line;

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Memfun.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }
}
