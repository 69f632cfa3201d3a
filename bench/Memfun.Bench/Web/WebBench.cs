using System.Diagnostics;
using System.Text;
using Memfun.Tools.Web;

namespace Memfun.Bench.Web;

/// <summary>
/// HTML→Markdown of a 1 MB documentation-style page (navigation, header, footer, scripts, sections with
/// paragraphs, lists, links, code blocks and tables): memfun's converter (AngleSharp's parse + the DOM walk and
/// Markdown writer, what <c>web_fetch</c> runs) against AngleSharp's parse alone in the same run, its walk and
/// writer alone over an already parsed document, and SmartReader's readability extraction.
/// </summary>
internal static class WebBench
{
    public static int Run(string[] args)
    {
        var targetBytes = args.Length > 0 && int.TryParse(args[0], out var b) ? b : 1_000_000;
        var rounds = args.Length > 1 && int.TryParse(args[1], out var r) ? r : 40;
        var html = Page(targetBytes);
        var baseUri = new Uri("https://docs.example.com/guide/page");
        Console.WriteLine($"Page: {Encoding.UTF8.GetByteCount(html):N0} bytes of HTML");

        var markdown = HtmlMarkdownConverter.Convert(html, baseUri).Markdown;
        Console.WriteLine($"Markdown: {markdown.Length:N0} characters");
        using var parsed = HtmlMarkdownConverter.Parse(html);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        HtmlMarkdownConverter.Parse(html).Dispose();
        var parseBytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
        allocated = GC.GetAllocatedBytesForCurrentThread();
        HtmlMarkdownConverter.Convert(parsed, baseUri, html.Length / 2);
        Console.WriteLine($"Allocated: parse {parseBytes / 1e6:0.0} MB, walk + writer {(GC.GetAllocatedBytesForCurrentThread() - allocated) / 1e6:0.0} MB");

        // The variants run interleaved (one round of each, forty rounds), so each sees the same machine: on a
        // shared machine the load changes within seconds.
        var results = MeasureInterleaved(
            [
                () => HtmlMarkdownConverter.Convert(html, baseUri),
                () => HtmlMarkdownConverter.Parse(html).Dispose(),
                () => HtmlMarkdownConverter.Convert(parsed, baseUri, html.Length / 2),
            ],
            rounds);
        var smart = Measure(() => new SmartReader.Reader(baseUri.AbsoluteUri, html).GetArticle(), 3);

        Console.WriteLine($"Machine load average: {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} cores");
        Console.WriteLine("HTML→Markdown, 1 MB page                          wall p50    wall p95  thread-CPU p50");
        Console.WriteLine($"  memfun HtmlMarkdownConverter (parse + write)    {Row(results[0])}");
        Console.WriteLine($"  AngleSharp parse alone (lean options)           {Row(results[1])}");
        Console.WriteLine($"  walk + writer alone (document parsed before)    {Row(results[2])}");
        Console.WriteLine($"  SmartReader readability extraction (ref.)       {Row(smart)}");
        Console.WriteLine($"Converter / parse (p50): wall {Pct(results[0].Wall, 50) / Pct(results[1].Wall, 50):0.00}x, thread CPU {Pct(results[0].Cpu, 50) / Pct(results[1].Cpu, 50):0.00}x (target <= 1.5x)");
        return 0;
    }

    private static (List<double> Wall, List<double> Cpu)[] MeasureInterleaved(Action[] actions, int runs)
    {
        for (var i = 0; i < 10; i++)
        {
            foreach (var action in actions)
            {
                action();
            }
        }

        var results = actions.Select(_ => (Wall: new List<double>(), Cpu: new List<double>())).ToArray();
        for (var i = 0; i < runs; i++)
        {
            for (var j = 0; j < actions.Length; j++)
            {
                GC.Collect();
                var cpu = ThreadCpuClock.NowMs();
                var t = Stopwatch.GetTimestamp();
                actions[j]();
                results[j].Wall.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                results[j].Cpu.Add(ThreadCpuClock.NowMs() - cpu);
            }
        }

        return results;
    }

    private static (List<double> Wall, List<double> Cpu) Measure(Action action, int runs)
    {
        action();
        var wall = new List<double>();
        var cpu = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            GC.Collect();
            var c = ThreadCpuClock.NowMs();
            var t = Stopwatch.GetTimestamp();
            action();
            wall.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            cpu.Add(ThreadCpuClock.NowMs() - c);
        }

        return (wall, cpu);
    }

    private static string Row((List<double> Wall, List<double> Cpu) m) =>
        $"{Pct(m.Wall, 50),8:0.0} ms {Pct(m.Wall, 95),8:0.0} ms {Pct(m.Cpu, 50),8:0.0} ms";

    private static double Pct(List<double> values, int p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];
    }

    internal static string Page(int targetBytes)
    {
        var sb = new StringBuilder(targetBytes + 20_000);
        sb.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Configuration guide</title>");
        sb.Append("<link rel=\"stylesheet\" href=\"/assets/site.css\"><style>.nav{display:flex}.code{font-family:monospace}</style>");
        sb.Append("<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}</script></head><body>");
        sb.Append("<header class=\"site-header\"><a href=\"/\" class=\"logo\">Docs</a><nav class=\"nav\"><ul>");
        for (var i = 0; i < 40; i++)
        {
            sb.Append($"<li><a href=\"/section/{i}\">Section {i}</a></li>");
        }

        sb.Append("</ul></nav></header><div class=\"layout\"><aside class=\"sidebar\"><ul>");
        for (var i = 0; i < 80; i++)
        {
            sb.Append($"<li><a href=\"/guide/topic-{i}\">Topic number {i}</a></li>");
        }

        sb.Append("</ul></aside><main id=\"content\"><article><h1>Configuration guide</h1>");
        var section = 0;
        while (sb.Length < targetBytes - 2_000)
        {
            section++;
            sb.Append($"<h2 id=\"s{section}\">Section {section}: configuring the <code>worker</code> pool</h2>");
            sb.Append("<p>The worker pool reads its settings from <code>memfun.toml</code> at start-up. Each <strong>worker</strong> ");
            sb.Append($"takes tasks from the queue and reports progress; see <a href=\"../reference/workers#s{section}\">the reference</a> ");
            sb.Append("for every key, and <em>restart</em> the service after a change. Values given on the command line win over the file.</p>");
            sb.Append("<ul><li>Set <code>workers = 4</code> on small machines.</li><li>Use <a href=\"https://example.org/tuning\">the tuning guide</a> ");
            sb.Append("for large ones.<ul><li>Nested detail about memory limits.</li><li>Another nested point.</li></ul></li><li>Keep logs on stderr.</li></ul>");
            sb.Append("<pre><code class=\"language-toml\">[runtime]\nworkers = 4\nqueue = \"nats\"\n\n[runtime.nats]\nurl = \"nats://127.0.0.1:4222\"\n</code></pre>");
            sb.Append("<table><thead><tr><th>Key</th><th>Default</th><th>Meaning</th></tr></thead><tbody>");
            for (var r = 0; r < 6; r++)
            {
                sb.Append($"<tr><td><code>key_{r}</code></td><td>{r * 10}</td><td>What key {r} controls, in a short sentence.</td></tr>");
            }

            sb.Append("</tbody></table><blockquote><p>Note: changes to the queue backend need a restart of every worker.</p></blockquote>");
            sb.Append("<div class=\"ad\" aria-hidden=\"true\">Sponsored content</div><script>track('section-view')</script>");
        }

        sb.Append("</article></main></div><footer><p>© Example. <a href=\"/privacy\">Privacy</a></p></footer>");
        sb.Append("<script src=\"/assets/app.js\"></script></body></html>");
        return sb.ToString();
    }
}
