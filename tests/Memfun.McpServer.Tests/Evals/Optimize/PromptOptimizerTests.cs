using System.Diagnostics;
using Memfun.Engine.Agents;
using Memfun.McpServer.Evals;
using Memfun.McpServer.Evals.Optimize;
using Memfun.McpServer.Tests.Infrastructure;

namespace Memfun.McpServer.Tests.Evals.Optimize;

/// <summary>
/// <c>memfun optimize</c>'s core on real tasks of the bundled suite (two Python ones, fast) with the built-in coder:
/// a scripted model solves a task only when the coder's instruction holds a phrase that one candidate carries.
/// </summary>
public sealed class PromptOptimizerTests
{
    private const string Phrase = "Before you finish, run the failing tests and read their output.";
    private static readonly string[] TaskIds = ["py-ttl-cache", "py-router-converters"];

    [Fact]
    public async Task A_candidate_that_resolves_more_tasks_is_written_as_an_overriding_agent_with_both_scores()
    {
        using var ws = new TempWorkspace("memfun-optimize");
        var (suite, model) = await SetUpAsync();
        model.ProposalAnswer = Proposal(("You are the coder. Be quick and confident.", "shorter"), ("You are the coder.\n\n" + Phrase, "checks before finishing"));
        var (coder, file) = BuiltInCoder(ws.Path);
        var builtInBefore = await File.ReadAllTextAsync(coder.SourcePath);

        var lines = new Lines();
        var result = await Optimizer(model, lines).RunAsync(coder, file, suite, ws.Path);

        Assert.Equal(0, result.Original.Totals.Resolved);
        Assert.Equal([0, 2], result.Candidates.Select(c => c.Resolved));
        Assert.Contains("[optimize] candidate 2/2: 2/2 resolved (current 0/2)", lines.Steps);
        Assert.Equal(3 * 2 * 2, lines.TaskEvents);
        Assert.Same(result.Candidates[1], result.Winner);
        var written = ws.Full(".memfun/agents/coder/AGENT.md");
        Assert.Equal(written, result.WrittenPath);
        var text = await File.ReadAllTextAsync(written);
        var parsed = AgentDefinitionParser.Parse(written, text);
        Assert.Contains(Phrase, parsed.SystemPrompt, StringComparison.Ordinal);
        Assert.Equal(coder.Tools, parsed.Tools);
        Assert.Equal(coder.Delegates, parsed.Delegates);
        Assert.Contains("resolved 2/2 tasks", text, StringComparison.Ordinal);
        Assert.Contains("replaces resolved 0/2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("memfun optimize", parsed.SystemPrompt, StringComparison.Ordinal);
        Assert.Equal(builtInBefore, await File.ReadAllTextAsync(coder.SourcePath));

        // The workspace's catalog now loads the winner over the built-in, and says so.
        var catalog = new AgentCatalog(AgentCatalog.StandardFolders(ws.Path, includeWorkspace: true));
        Assert.Equal(coder.SourcePath, catalog.Get("coder").Overrides);
        Assert.Contains(Phrase, catalog.Get("coder").SystemPrompt, StringComparison.Ordinal);

        // The proposal saw the traces of the failed tasks: what was asked and which test failed.
        var request = Assert.Single(model.ProposalRequests);
        Assert.Contains("FAILED: task py-ttl-cache", request, StringComparison.Ordinal);
        Assert.Contains("tests.test_ttl_cache.ExpiryTests", request, StringComparison.Ordinal);
        Assert.Contains(coder.SystemPrompt.Split('\n')[0], request, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_is_written_when_no_candidate_resolves_more_tasks_than_the_original()
    {
        using var ws = new TempWorkspace("memfun-optimize");
        var (suite, model) = await SetUpAsync();
        model.AlwaysSolved.Add(suite.Get("py-ttl-cache").ProblemStatement);
        model.ProposalAnswer = Proposal(("You are the coder. Read every file first.", "more context"), ("You are the coder. Change as little as possible.", "smaller changes"));
        var (coder, file) = BuiltInCoder(ws.Path);

        var result = await Optimizer(model).RunAsync(coder, file, suite, ws.Path);

        Assert.Equal(1, result.Original.Totals.Resolved);
        Assert.Equal([1, 1], result.Candidates.Select(c => c.Resolved));
        Assert.Null(result.Winner);
        Assert.Null(result.WrittenPath);
        Assert.False(Directory.Exists(ws.Full(".memfun")), "nothing is written to the workspace");
    }

    [Fact]
    public async Task A_broken_proposal_answer_is_a_clear_error_and_writes_nothing()
    {
        using var ws = new TempWorkspace("memfun-optimize");
        var (suite, model) = await SetUpAsync();
        suite = suite.Only(["py-ttl-cache"]);
        model.ProposalAnswer = "Sure! Here are some ideas: tell the coder to be more careful.";
        var (coder, file) = BuiltInCoder(ws.Path);

        var ex = await Assert.ThrowsAsync<OptimizeException>(() => Optimizer(model).RunAsync(coder, file, suite, ws.Path));

        Assert.Contains("The model's proposal could not be read", ex.Message, StringComparison.Ordinal);
        Assert.Contains("\"candidates\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Sure! Here are some ideas", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(ws.Full(".memfun")), "nothing is written to the workspace");
    }

    private static PromptOptimizer Optimizer(InstructionSensitiveModel model, Lines? lines = null) => new(new OptimizeOptions
    {
        ProposalModel = model,
        Progress = lines,
        TaskProgress = lines,
        AgentFor = text => new SpecialistEvalAgent("coder", text) { Model = _ => model, Timeout = TimeSpan.FromMinutes(5) },
        Candidates = 3,
    });

    /// <summary>Collects the optimizer's lines and counts task events, synchronously.</summary>
    private sealed class Lines : IProgress<string>, IProgress<EvalEvent>
    {
        private readonly Lock _gate = new();
        private int _taskEvents;

        public List<string> Steps { get; } = [];

        public int TaskEvents => Volatile.Read(ref _taskEvents);

        public void Report(string value)
        {
            lock (_gate)
            {
                Steps.Add(value);
            }
        }

        public void Report(EvalEvent value) => Interlocked.Increment(ref _taskEvents);
    }

    private static string Proposal(params (string Instruction, string Rationale)[] candidates) =>
        System.Text.Json.JsonSerializer.Serialize(new { candidates = candidates.Select(c => new { instruction = c.Instruction, rationale = c.Rationale }) });

    private static (AgentDefinition Agent, string File) BuiltInCoder(string workspace)
    {
        var coder = new AgentCatalog(AgentCatalog.StandardFolders(workspace, includeWorkspace: true)).Get("coder");
        Assert.Null(coder.Overrides);
        return (coder, File.ReadAllText(coder.SourcePath));
    }

    /// <summary>The two bundled tasks and a model that knows each one's reference files (the gold patch applied to a copy).</summary>
    private static async Task<(EvalSuite Suite, InstructionSensitiveModel Model)> SetUpAsync()
    {
        var suite = EvalSuiteLoader.Load(Path.Combine(RepoRoot.Path, "evals", "bundled")).Only(TaskIds);
        var fixes = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var task in suite.Tasks)
        {
            fixes[task.ProblemStatement] = await GoldFilesAsync(task);
        }

        return (suite, new InstructionSensitiveModel(Phrase, fixes));
    }

    private static async Task<IReadOnlyDictionary<string, string>> GoldFilesAsync(EvalTask task)
    {
        using var copy = new TempWorkspace("memfun-gold");
        foreach (var file in Directory.EnumerateFiles(task.Source, "*", SearchOption.AllDirectories))
        {
            copy.Write(Path.GetRelativePath(task.Source, file), await File.ReadAllTextAsync(file));
        }

        var patch = Path.Combine(Path.GetTempPath(), $"memfun-gold-{Guid.NewGuid():N}.patch");
        await File.WriteAllTextAsync(patch, task.GoldPatch!);
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", ["apply", patch]) { WorkingDirectory = copy.Path, RedirectStandardError = true })!;
            await git.WaitForExitAsync();
            Assert.True(git.ExitCode == 0, await git.StandardError.ReadToEndAsync());
        }
        finally
        {
            File.Delete(patch);
        }

        var paths = task.GoldPatch!.Split('\n').Where(l => l.StartsWith("+++ b/", StringComparison.Ordinal)).Select(l => l[6..].Trim());
        return paths.ToDictionary(p => p, p => copy.Read(p), StringComparer.Ordinal);
    }
}
