using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Memfun.Engine.Llm;
using Memfun.Engine.Solving;
using Memfun.Testing;
using Memfun.Tools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Memfun.Bench.Solver;

/// <summary>
/// The solver's own cost, with the references measured in the same run:
/// (1) framework overhead per request over a local OpenAI-compatible stub: a solve (2 model calls) and an ask
/// (1 call) through the real provider client, middleware and solver, minus the same number of bare HTTP
/// round trips to the stub (the "model time");
/// (2) context gathering on a generated 10 000-file workspace (list, code map, planned reads, 3 searches; the
/// workspace listed once per request and shared by the steps), beside ripgrep for the same 3 searches, <c>find</c>
/// for the listing and ctags for a code map; the code map and the searches are also timed alone over one listing.
/// </summary>
/// <remarks>A Stopwatch harness (warm-up, then median and p95): the figures include child processes and real files.</remarks>
internal static class SolverBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var iterations = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 200;
        var only = args.Length > 1 ? args[1] : "all";
        if (only is "all" or "overhead")
        {
            await OverheadAsync(iterations);
        }

        if (only is "all" or "gather")
        {
            await GatheringAsync(Math.Max(5, iterations / 20));
        }

        return 0;
    }

    private static async Task OverheadAsync(int iterations)
    {
        var root = Directory.CreateTempSubdirectory("memfun-bench-solver-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(root, "notes.md"), "# Notes\n\nNothing to verify here.\n");
            using var stub = new StubModelServer();
            var ops = JsonSerializer.Serialize(new { summary = "write", operations = new[] { new { op = "write", path = "out.md", content = "# Out\n" } } });
            var review = """{"verdict": "ok", "problems": [], "summary": "fine"}""";
            stub.Respond = body => StubModelServer.OpenAiReply(
                body.Contains("You review a change", StringComparison.Ordinal) ? review
                : body.Contains("code assistant", StringComparison.Ordinal) ? "An answer." : ops);

            var llm = new LlmOptions { Provider = "openai", Model = "stub", BaseUrl = stub.BaseUrl };
            using var factory = new ChatClientFactory(llm);
            using var services = Services(root, llm, new SolverOptions());
            var solver = services.GetRequiredService<ISolver>();
            var model = factory.GetChatClient();

            using var http = new HttpClient();
            var url = new Uri(stub.BaseUrl + "/chat/completions");
            var rawBody = new { model = "stub", messages = new[] { new { role = "system", content = new string('s', 1500) }, new { role = "user", content = new string('u', 800) } } };
            async Task Raw()
            {
                using var response = await http.PostAsJsonAsync(url, rawBody);
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                _ = doc.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
            }

            var raw = await MeasureAsync(iterations, Raw);
            var ask = await MeasureAsync(iterations, () => solver.RunAsync(new SolverRequest(SolverMode.Ask, "What is in the notes?"), model));
            var solve = await MeasureAsync(iterations / 2, async () =>
            {
                var r = await solver.RunAsync(new SolverRequest(SolverMode.Solve, "Write out.md"), model);
                if (r.Status != SolveStatus.Completed || r.LlmCalls != 2)
                {
                    throw new InvalidOperationException($"unexpected {r.Status}: {r.Message}");
                }
            });

            var target = Path.Combine(root, "atomic.md");
            var write = await MeasureAsync(iterations, () =>
            {
                var tmp = target + ".tmp";
                File.WriteAllText(tmp, "# Out\n");
                File.Move(tmp, target, overwrite: true);
                return Task.CompletedTask;
            });

            Console.WriteLine("## Framework overhead per request over the local stub (median / p95, ms)");
            Console.WriteLine($"reference: bare HTTP round trip to the stub (model time)  {raw}");
            Console.WriteLine($"ask   (1 model call)                                      {ask}   overhead {ask.Median - raw.Median:0.00} ms");
            Console.WriteLine($"solve (2 model calls, apply, verify-detect, review)      {solve}   overhead {solve.Median - (2 * raw.Median):0.00} ms");
            Console.WriteLine($"reference: one atomic file write (temp + rename), as solve does once  {write}");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task GatheringAsync(int iterations)
    {
        var root = Directory.CreateTempSubdirectory("memfun-bench-10k-").FullName;
        try
        {
            var bytes = Generate(root, dirs: 100, filesPerDir: 100);
            using var services = Services(root, new LlmOptions(), new SolverOptions());
            var reader = services.GetRequiredService<IWorkspaceReader>();
            var map = services.GetRequiredService<ICodeMapSource>();
            var plan = JsonSerializer.Serialize(new
            {
                read = Enumerable.Range(0, 10).Select(i => $"pkg{i * 7:D3}/mod{i * 3:D3}.py").ToArray(),
                search = new[] { "def handler_0042", "class Service", "TODO\\(perf\\)" },
                web = Array.Empty<string>(),
            });
            var model = new InstantChatClient(plan);
            var solver = services.GetRequiredService<ISolver>();

            var list = await MeasureAsync(iterations, () => { _ = reader.ListFiles(); return Task.CompletedTask; });
            var codeMap = await MeasureAsync(iterations, () => map.GetCodeMapAsync(60_000));
            var listing = reader.ListFiles();
            var codeMapListed = await MeasureAsync(iterations, () => map.GetCodeMapAsync(60_000, listing));
            string[] patterns = ["def handler_0042", "class Service", "TODO\\(perf\\)"];
            var searchListed = await MeasureAsync(iterations, () => reader.SearchAsync(patterns, 40, listing));
            var gather = await MeasureAsync(iterations, async () =>
            {
                var r = await solver.RunAsync(new SolverRequest(SolverMode.Ask, "Where is handler_0042 used?"), model);
                if (!r.Planned)
                {
                    throw new InvalidOperationException("the 10k workspace should be planned");
                }
            });
            var rg = await MeasureAsync(iterations, () => Process("rg", root, "-n", "-e", "def handler_0042", "-e", "class Service", "-e", "TODO\\(perf\\)", "."));
            var find = await MeasureAsync(iterations, () => Process("find", root, ".", "-type", "f"));
            var ctags = await MeasureAsync(Math.Max(3, iterations / 4), () => Process("ctags", root, "-R", "-f", "-", "."));

            Console.WriteLine();
            Console.WriteLine($"## Context gathering on a 10 000-file workspace ({bytes / 1024 / 1024.0:0.0} MB; median / p95, ms)");
            Console.WriteLine($"list files (ignore rules, sizes)                          {list}   reference find -type f {find}");
            Console.WriteLine($"code map (60 000-char cap)                                {codeMap}   reference ctags -R (full) {ctags}");
            Console.WriteLine($"  the same from the request's listing (no second walk)    {codeMapListed}");
            Console.WriteLine($"3 searches in one pass over the request's listing         {searchListed}   reference rg, same 3 patterns {rg}");
            Console.WriteLine($"gather: map + plan (instant model) + 10 reads + 3 searches {gather}   reference rg, same 3 patterns {rg}");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The solver as the server composes it: the workspace tools and the solver's adapters over them.</summary>
    private static ServiceProvider Services(string root, LlmOptions llm, SolverOptions options)
    {
        var services = new ServiceCollection();
        services.AddSingleton(llm);
        services.AddSingleton(options);
        services.AddMemfunTools(o => o.Root = root);
        services.AddMemfunSolver(null);
        return services.BuildServiceProvider();
    }

    private static long Generate(string root, int dirs, int filesPerDir)
    {
        long total = 0;
        var n = 0;
        for (var d = 0; d < dirs; d++)
        {
            var dir = Path.Combine(root, $"pkg{d:D3}");
            Directory.CreateDirectory(dir);
            for (var f = 0; f < filesPerDir; f++, n++)
            {
                var sb = new StringBuilder();
                sb.Append("import os\nfrom typing import Any\n\n\n");
                sb.Append($"class Service{n}:\n    \"\"\"Service number {n}.\"\"\"\n\n    def __init__(self, name: str) -> None:\n        self.name = name\n\n");
                for (var h = 0; h < 6; h++)
                {
                    var id = (n * 6 + h) % 100_000;
                    sb.Append($"    def handler_{id:D4}(self, payload: dict[str, Any]) -> dict[str, Any]:\n        # TODO(perf): cache the lookup\n        value = payload.get(\"key_{id}\", os.sep)\n        return {{\"id\": {id}, \"value\": value}}\n\n");
                }

                var text = sb.ToString();
                File.WriteAllText(Path.Combine(dir, $"mod{f:D3}.py"), text);
                total += text.Length;
            }
        }

        return total;
    }

    private static async Task Process(string tool, string root, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = System.Diagnostics.Process.Start(psi)!;
        var drain = p.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        await p.StandardError.ReadToEndAsync();
        await drain;
        await p.WaitForExitAsync();
    }

    private static async Task<Timing> MeasureAsync(int iterations, Func<Task> action)
    {
        for (var i = 0; i < Math.Max(3, iterations / 10); i++)
        {
            await action();
        }

        var samples = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await action();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(samples);
        return new Timing(samples[samples.Length / 2], samples[(int)(samples.Length * 0.95)]);
    }

    private readonly record struct Timing(double Median, double P95)
    {
        public override string ToString() => $"{Median,8:0.00} / {P95,8:0.00}";
    }

    /// <summary>Answers the planner with a fixed plan and anything else with a short text, at once.</summary>
    private sealed class InstantChatClient(string plan) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var system = messages.First().Text;
            var text = system.Contains("planning which context", StringComparison.Ordinal) ? plan : "An answer.";
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
