using System.Diagnostics;
using System.Text.Json;
using Memfun.Engine.Memory;

namespace Memfun.Bench.Memory;

/// <summary>
/// Memory benchmarks: (1) retrieval quality on the labelled developer-notes set (precision@5, recall@5,
/// MRR) of recall against the plain TF-IDF cosine baseline; (2) recall latency at 100k entries, with the
/// baseline's latency on the same 100k documents and queries.
/// </summary>
internal static class MemoryBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var size = args.Length > 0 && int.TryParse(args[0], out var s) ? s : 100_000;
        var data = DataDirectory();
        var notes = File.ReadLines(Path.Combine(data, "notes.jsonl")).Select(l => JsonSerializer.Deserialize<Note>(l, Json)!).ToList();
        var queries = File.ReadLines(Path.Combine(data, "queries.jsonl")).Select(l => JsonSerializer.Deserialize<LabelledQuery>(l, Json)!).ToList();
        Console.WriteLine($"Labelled set: {notes.Count} notes, {queries.Count} queries ({data})");

        var root = Directory.CreateTempSubdirectory("memfun-bench-").FullName;
        try
        {
            // ---- Quality: the notes alone ----
            using (var memory = NewService(Path.Combine(root, "quality")))
            {
                var store = memory.Store(MemoryScope.Project);
                store.AddMany(notes.Select(n => (n.Text, (IReadOnlyList<string>)n.Tags)), "bench", DateTimeOffset.UtcNow);
                var idOf = notes.Select((n, i) => (Key: "p" + (i + 1), n.Id)).ToDictionary(x => x.Key, x => x.Id);
                var baseline = new TfidfCosineBaseline([.. notes.Select(n => (n.Id, n.Text + " " + string.Join(' ', n.Tags)))]);

                var ours = new Quality();
                var tfidf = new Quality();
                var noPrefix = new Quality();
                foreach (var q in queries)
                {
                    var raw = store.Search(MemoryQuery.ToFts(q.Query, expand: true, prefix: true)!, 5);
                    noPrefix.Add(raw.Select(h => idOf[h.Id]).ToList(), q.Relevant);
                    var hits = await memory.RecallAsync(q.Query, 5);
                    ours.Add(hits.Select(h => idOf[h.Id]).ToList(), q.Relevant);
                    tfidf.Add(baseline.Search(q.Query, 5), q.Relevant);
                }

                Console.WriteLine();
                Console.WriteLine("Retrieval quality (top 5)        P@5     R@5     MRR");
                Console.WriteLine($"  memfun recall (FTS5 BM25)     {ours.P5:0.000}   {ours.R5:0.000}   {ours.Mrr:0.000}");
                Console.WriteLine($"  TF-IDF cosine baseline        {tfidf.P5:0.000}   {tfidf.R5:0.000}   {tfidf.Mrr:0.000}");
                Console.WriteLine($"  (variant: with prefix terms   {noPrefix.P5:0.000}   {noPrefix.R5:0.000}   {noPrefix.Mrr:0.000})");
            }

            // ---- Latency: the notes plus realistic filler up to `size` entries ----
            var filler = Filler(notes, size - notes.Count, seed: 42);
            var all = notes.Select(n => (n.Text, (IReadOnlyList<string>)n.Tags)).Concat(filler).ToList();
            using (var memory = NewService(Path.Combine(root, "scale")))
            {
                var sw = Stopwatch.StartNew();
                memory.Store(MemoryScope.Project).AddMany(all, "bench", DateTimeOffset.UtcNow);
                Console.WriteLine();
                Console.WriteLine($"Loaded {all.Count:N0} entries in {sw.Elapsed.TotalSeconds:0.0} s");

                foreach (var q in queries.Take(20))
                {
                    await memory.RecallAsync(q.Query, 5); // warm-up
                }

                var ourTimes = new List<double>();
                var ourCpu = new List<double>();
                for (var round = 0; round < 3; round++)
                {
                    foreach (var q in queries)
                    {
                        var c = ThreadCpuClock.NowMs();
                        var t = Stopwatch.GetTimestamp();
                        await memory.RecallAsync(q.Query, 5);
                        ourTimes.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                        ourCpu.Add(ThreadCpuClock.NowMs() - c);
                    }
                }

                var store = memory.Store(MemoryScope.Project);
                foreach (var (label, expand, prefix) in new[] { ("unpruned BM25 over all query terms", true, false) })
                {
                    var times = new List<double>();
                    foreach (var q in queries)
                    {
                        var fts = MemoryQuery.ToFts(q.Query, expand, prefix)!;
                        var t = Stopwatch.GetTimestamp();
                        store.Search(fts, 5);
                        times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    }

                    Console.WriteLine($"  variant: {label,-40} p50 {Pct(times, 50),7:0.000} ms p95 {Pct(times, 95),7:0.000} ms");
                }

                var baseline = new TfidfCosineBaseline([.. all.Select((d, i) => ("d" + i, d.Item1 + " " + string.Join(' ', d.Item2)))]);
                var refTimes = new List<double>();
                var refCpu = new List<double>();
                foreach (var q in queries.Take(20))
                {
                    baseline.Search(q.Query, 5);
                }

                foreach (var q in queries)
                {
                    var c = ThreadCpuClock.NowMs();
                    var t = Stopwatch.GetTimestamp();
                    baseline.Search(q.Query, 5);
                    refTimes.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    refCpu.Add(ThreadCpuClock.NowMs() - c);
                }

                Console.WriteLine($"Machine load average: {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} cores");
                Console.WriteLine($"Recall latency at {all.Count:N0} entries (k=5, {ourTimes.Count} calls)   wall p50   wall p95   wall p99   thread-CPU p50");
                Console.WriteLine($"  memfun recall (SQLite FTS5, incl. last-used update)   {Pct(ourTimes, 50),7:0.000} ms {Pct(ourTimes, 95),7:0.000} ms {Pct(ourTimes, 99),7:0.000} ms {Pct(ourCpu, 50),7:0.000} ms");
                Console.WriteLine($"  TF-IDF cosine, in-memory inverted index              {Pct(refTimes, 50),7:0.000} ms {Pct(refTimes, 95),7:0.000} ms {Pct(refTimes, 99),7:0.000} ms {Pct(refCpu, 50),7:0.000} ms");
            }

            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static MemoryService NewService(string dir)
    {
        Directory.CreateDirectory(Path.Combine(dir, "ws"));
        return new MemoryService(new MemoryOptions { WorkspaceRoot = Path.Combine(dir, "ws"), UserDirectory = Path.Combine(dir, "home") }, TimeProvider.System);
    }

    /// <summary>Synthetic notes drawn from the corpus's own vocabulary and sentence lengths, so term statistics stay realistic.</summary>
    private static IEnumerable<(string, IReadOnlyList<string>)> Filler(List<Note> notes, int count, int seed)
    {
        var rng = new Random(seed);
        var words = notes.SelectMany(n => n.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        var tags = notes.SelectMany(n => n.Tags).Distinct().ToArray();
        var projects = new[] { "payments", "catalog", "warehouse", "crm", "reporting", "gateway", "notifications", "scheduler", "inventory", "pricing" };
        for (var i = 0; i < count; i++)
        {
            var length = rng.Next(8, 28);
            var text = projects[rng.Next(projects.Length)] + "-" + rng.Next(1, 40) + ": " + string.Join(' ', Enumerable.Range(0, length).Select(_ => words[rng.Next(words.Length)]));
            yield return (text, [tags[rng.Next(tags.Length)]]);
        }
    }

    private static double Pct(List<double> values, int p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];
    }

    private static string DataDirectory()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "bench", "Memfun.Bench", "Memory", "data");
                if (File.Exists(Path.Combine(candidate, "notes.jsonl")))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException("bench/Memfun.Bench/Memory/data/notes.jsonl not found; run from the repository.");
    }

    private sealed record Note(string Id, string Project, string[] Tags, string Text);

    private sealed record LabelledQuery(string Query, string[] Relevant);

    private sealed class Quality
    {
        private double _p, _r, _rr;
        private int _n;

        public double P5 => _p / _n;

        public double R5 => _r / _n;

        public double Mrr => _rr / _n;

        public void Add(List<string> top, string[] relevant)
        {
            var hits = top.Take(5).Count(relevant.Contains);
            _p += hits / 5.0;
            _r += (double)hits / relevant.Length;
            var rank = top.FindIndex(relevant.Contains);
            _rr += rank >= 0 ? 1.0 / (rank + 1) : 0;
            _n++;
        }
    }
}
