using Memfun.Engine.Llm;
using Memfun.Engine.Solving;
using Memfun.Engine.Tests.Infrastructure;
using Memfun.Tools.CodeMap;
using Memfun.Tools.Search;
using Memfun.Tools.Shell;
using Memfun.Tools.Workspace;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Memfun.Engine.Tests.Solving;

/// <summary>A real temp workspace, the solver on the workspace tools' adapters, and a scripted model behind the real middleware.</summary>
public sealed class SolverHarness : IDisposable
{
    public SolverHarness(SolverOptions? options = null, LlmOptions? llm = null)
    {
        Root = Path.Combine(Path.GetTempPath(), $"memfun-solver-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Root);
        Options = options ?? new SolverOptions();
        Llm = llm ?? new LlmOptions();
    }

    public string Root { get; }

    public SolverOptions Options { get; }

    public LlmOptions Llm { get; }

    public ScriptedChatClient Model { get; } = new();

    public List<SolverProgress> Steps { get; } = [];

    public SolverHarness Write(string relative, string content)
    {
        var full = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    public string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    public bool Exists(string relative) => File.Exists(Path.Combine(Root, relative));

    /// <summary>Every file's text, to compare a workspace before and after.</summary>
    public Dictionary<string, string> Snapshot() =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(Root, f), File.ReadAllText);

    internal ISolver CreateSolver()
    {
        var walker = new WorkspaceWalker(new PathGuard(Root));
        var codeMap = new CodeMapService(walker, Microsoft.Extensions.Options.Options.Create(new CodeMapOptions { PersistCache = false }));
        return new ContextFirstSolver(CreateReader(), new ToolsCodeMapSource(codeMap), CreateApplier(), CreateRunner(), Options, Llm, NullLogger<ContextFirstSolver>.Instance);
    }

    /// <summary>The code map source over the real code map service (cache in memory only).</summary>
    internal ICodeMapSource CreateCodeMapSource() =>
        new ToolsCodeMapSource(new CodeMapService(new WorkspaceWalker(new PathGuard(Root)), Microsoft.Extensions.Options.Options.Create(new CodeMapOptions { PersistCache = false })));

    /// <summary>The reader over the real walker and search service.</summary>
    internal IWorkspaceReader CreateReader()
    {
        var walker = new WorkspaceWalker(new PathGuard(Root));
        return new ToolsWorkspaceReader(walker, new WorkspaceSearcher(walker, Microsoft.Extensions.Options.Options.Create(new SearchOptions())));
    }

    internal ToolsEditApplier CreateApplier() => new(new PathGuard(Root));

    internal ICommandRunner CreateRunner() => new ToolsCommandRunner(new ProcessRunner(), new PathGuard(Root));

    /// <summary>The scripted model behind the same budget and accounting decorators the factory uses.</summary>
    internal IChatClient Client => new BudgetChatClient(new UsageAccountingChatClient(Model, NullLogger.Instance));

    public Task<SolveResult> RunAsync(SolverRequest request) =>
        CreateSolver().RunAsync(request, Client, new SyncProgress(Steps), CancellationToken.None);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class SyncProgress(List<SolverProgress> steps) : IProgress<SolverProgress>
    {
        public void Report(SolverProgress value)
        {
            lock (steps)
            {
                steps.Add(value);
            }
        }
    }
}

/// <summary>JSON answers as a model would write them.</summary>
public static class Answers
{
    public static string Ops(string summary, params object[] operations) =>
        System.Text.Json.JsonSerializer.Serialize(new { summary, operations });

    public static object Edit(string path, string old, string @new) => new { op = "edit", path, old, @new };

    public static object Write(string path, string content) => new { op = "write", path, content };

    public static object Run(string command) => new { op = "run", command };

    public static string ReviewOk => """{"verdict": "ok", "problems": [], "summary": "Does what was asked."}""";

    public static string ReviewNeeds(params string[] problems) =>
        System.Text.Json.JsonSerializer.Serialize(new { verdict = "needs_changes", problems, summary = "Not quite." });
}
