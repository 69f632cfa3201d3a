using System.Diagnostics;
using System.Text;
using Memfun.Tools.Web;

namespace Memfun.Bench.Web;

/// <summary>
/// HTML→Markdown over a corpus of real pages (by default the HTML documentation shipped in Debian packages
/// under <c>/usr/share/doc</c> and in the npm packages under <c>.tools/node_modules</c>): converts every page
/// with the streaming converter and with the DOM converter (AngleSharp's parser, the same writer), counts the
/// pages whose Markdown differs and prints the first differing lines of each, so the differences can be judged.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project bench/Memfun.Bench -- webcorpus [--out DIR] [--show N] [DIR…]</c>: pages
/// over 8 MB are skipped; with <c>--out</c> both outputs of each differing page are written there. Identical pages (links, copies) count once.
/// </remarks>
internal static class WebCorpusBench
{
    public static int Run(string[] args)
    {
        string? outDir = null;
        var show = 40;
        var roots = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out" when i + 1 < args.Length:
                    outDir = args[++i];
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
        double streamingMs = 0, domMs = 0;
        var kinds = new SortedDictionary<string, int>(StringComparer.Ordinal);
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
            var streaming = HtmlMarkdownConverter.Convert(html, baseUri);
            streamingMs += Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            t = Stopwatch.GetTimestamp();
            var dom = DomMarkdownConverter.Convert(html, baseUri);
            domMs += Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            if (streaming.Markdown == dom.Markdown && streaming.Title == dom.Title && streaming.FoundMainContent == dom.FoundMainContent)
            {
                continue;
            }

            differing++;
            var kind = streaming.Markdown == dom.Markdown ? "title or main flag only" : "markdown";
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
            if (outDir is not null)
            {
                var name = path.TrimStart('/').Replace('/', '_');
                Directory.CreateDirectory(outDir);
                File.WriteAllText(Path.Combine(outDir, name + ".streaming.md"), streaming.Markdown);
                File.WriteAllText(Path.Combine(outDir, name + ".dom.md"), dom.Markdown);
            }

            if (shown++ < show)
            {
                Console.WriteLine($"--- {path}");
                if (streaming.Title != dom.Title)
                {
                    Console.WriteLine($"  title: streaming \"{streaming.Title}\" / DOM \"{dom.Title}\"");
                }

                PrintFirstDifference(streaming.Markdown, dom.Markdown);
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Pages: {unique:N0} distinct of {pages.Count:N0} files ({bytes:N0} characters of HTML) under {string.Join(", ", roots)}");
        Console.WriteLine($"Identical output: {unique - differing:N0}; differing: {differing:N0} ({string.Join(", ", kinds.Select(k => $"{k.Value} {k.Key}"))})");
        Console.WriteLine($"Total time, single pass: streaming {streamingMs:N0} ms, DOM {domMs:N0} ms");
        return 0;
    }

    /// <summary>Prints the lines around the first line where the two outputs part, each side marked.</summary>
    private static void PrintFirstDifference(string streaming, string dom)
    {
        var a = streaming.Split('\n');
        var b = dom.Split('\n');
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }

        Console.WriteLine($"  lines: streaming {a.Length}, DOM {b.Length}; first difference at line {i + 1}");
        for (var k = i; k < Math.Min(i + 3, a.Length); k++)
        {
            Console.WriteLine($"  S| {Clip(a[k])}");
        }

        for (var k = i; k < Math.Min(i + 3, b.Length); k++)
        {
            Console.WriteLine($"  D| {Clip(b[k])}");
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
