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
            LoadScaleStore(Path.Combine(root, "scale"), all);
            using (var memory = NewService(Path.Combine(root, "scale")))
            {

                foreach (var q in queries.Take(20))
                {
                    await memory.RecallAsync(q.Query, 5); // warm-up
                }

                // Round 0 meets most query terms for the first time (their row counts are not cached yet).
                var ourTimes = new List<double>();
                var ourCpu = new List<double>();
                var firstRound = new List<double>();
                var atScale = new Quality();
                var idOf = notes.Select((n, i) => (Key: "p" + (i + 1), n.Id)).ToDictionary(x => x.Key, x => x.Id);
                for (var round = 0; round < 3; round++)
                {
                    foreach (var q in queries)
                    {
                        var c = ThreadCpuClock.NowMs();
                        var t = Stopwatch.GetTimestamp();
                        var hits = await memory.RecallAsync(q.Query, 5);
                        ourTimes.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                        ourCpu.Add(ThreadCpuClock.NowMs() - c);
                        if (round == 0)
                        {
                            firstRound.Add(ourTimes[^1]);
                            atScale.Add(hits.Select(h => idOf.GetValueOrDefault(h.Id, h.Id)).ToList(), q.Relevant);
                        }
                    }
                }

                var store = memory.Store(MemoryScope.Project);
                foreach (var (label, expand, prefix) in new[] { ("unpruned BM25 over all query terms (75 queries)", true, false) })
                {
                    var times = new List<double>();
                    foreach (var q in queries.Take(75))
                    {
                        var fts = MemoryQuery.ToFts(q.Query, expand, prefix)!;
                        var t = Stopwatch.GetTimestamp();
                        store.Search(fts, 5);
                        times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    }

                    Console.WriteLine($"  variant: {label,-40} p50 {Pct(times, 50),7:0.000} ms p95 {Pct(times, 95),7:0.000} ms");
                }

                // The row budget of recall's term pruning: speed against quality at this scale (term counts cached).
                Console.WriteLine("Row budget sweep (SearchPruned alone, 225 queries)   wall p50   thread-CPU p50   P@5 at scale   MRR at scale");
                foreach (var budget in new[] { 1000, 2000, 4000, 8000, 16000 })
                {
                    var times = new List<double>();
                    var cpu = new List<double>();
                    var quality = new Quality();
                    foreach (var q in queries)
                    {
                        var phrases = MemoryQuery.ToPhrases(q.Query);
                        var c = ThreadCpuClock.NowMs();
                        var t = Stopwatch.GetTimestamp();
                        var hits = store.SearchPruned(phrases, 5, budget);
                        times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                        cpu.Add(ThreadCpuClock.NowMs() - c);
                        quality.Add(hits.Select(h => idOf.GetValueOrDefault(h.Id, h.Id)).ToList(), q.Relevant);
                    }

                    Console.WriteLine($"  budget {budget,6} rows{(budget == new MemoryOptions().RecallRowBudget ? " (recall)" : "         ")}                   {Pct(times, 50),7:0.000} ms {Pct(cpu, 50),7:0.000} ms       {quality.P5:0.000}          {quality.Mrr:0.000}");
                }

                var baseline = new TfidfCosineBaseline([.. all.Select((d, i) => (i < notes.Count ? notes[i].Id : "d" + i, d.Item1 + " " + string.Join(' ', d.Item2)))]);
                var baselineAtScale = new Quality();
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
                    var top = baseline.Search(q.Query, 5);
                    refTimes.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    refCpu.Add(ThreadCpuClock.NowMs() - c);
                    baselineAtScale.Add(top, q.Relevant);
                }

                Console.WriteLine($"Machine load average: {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} cores");
                Console.WriteLine($"Recall latency at {all.Count:N0} entries (k=5, {ourTimes.Count} calls)   wall p50   wall p95   wall p99   thread-CPU p50");
                Console.WriteLine($"  memfun recall (row budget {new MemoryOptions().RecallRowBudget}, incl. last-used update)   {Pct(ourTimes, 50),7:0.000} ms {Pct(ourTimes, 95),7:0.000} ms {Pct(ourTimes, 99),7:0.000} ms {Pct(ourCpu, 50),7:0.000} ms");
                Console.WriteLine($"  TF-IDF cosine, in-memory inverted index              {Pct(refTimes, 50),7:0.000} ms {Pct(refTimes, 95),7:0.000} ms {Pct(refTimes, 99),7:0.000} ms {Pct(refCpu, 50),7:0.000} ms");
                Console.WriteLine($"  memfun recall, first round only (term counts not yet cached): wall p50 {Pct(firstRound, 50):0.000} ms, p95 {Pct(firstRound, 95):0.000} ms");
                Console.WriteLine();
                Console.WriteLine($"Retrieval quality at {all.Count:N0} entries (the labelled notes among the filler)   P@5     R@5     MRR");
                Console.WriteLine($"  memfun recall                                                   {atScale.P5:0.000}   {atScale.R5:0.000}   {atScale.Mrr:0.000}");
                Console.WriteLine($"  TF-IDF cosine baseline                                          {baselineAtScale.P5:0.000}   {baselineAtScale.R5:0.000}   {baselineAtScale.Mrr:0.000}");
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

    /// <summary>
    /// Puts the scale store in place: loading 100k entries takes minutes on a busy machine, so the loaded
    /// file is kept in the temp directory (keyed by its contents' hash) and copied on later runs.
    /// </summary>
    private static void LoadScaleStore(string dir, List<(string Text, IReadOnlyList<string> Tags)> all)
    {
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            string.Join('\n', all.Select(a => a.Text + "\t" + string.Join(',', a.Tags))))))[..16];
        var cache = Path.Combine(Path.GetTempPath(), "memfun-bench-cache", $"memory-v2-{all.Count}-{hash}.db");
        var target = Path.Combine(dir, "ws", ".memfun", "memory.db");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        Console.WriteLine();
        if (File.Exists(cache))
        {
            File.Copy(cache, target);
            Console.WriteLine($"Scale store: {all.Count:N0} entries copied from {cache}");
            return;
        }

        var sw = Stopwatch.StartNew();
        using (var memory = NewService(dir))
        {
            memory.Store(MemoryScope.Project).AddMany(all, "bench", DateTimeOffset.UtcNow);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Console.WriteLine($"Loaded {all.Count:N0} entries in {sw.Elapsed.TotalSeconds:0.0} s (kept in {cache} for later runs)");
        Directory.CreateDirectory(Path.GetDirectoryName(cache)!);
        File.Copy(target, cache + ".tmp", overwrite: true);
        File.Move(cache + ".tmp", cache, overwrite: true);
    }

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
