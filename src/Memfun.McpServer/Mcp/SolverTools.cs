using System.ComponentModel;
using Memfun.Engine.Llm;
using Memfun.Engine.Solving;
using Memfun.McpServer.Agents;
using Memfun.Tools;
using Memfun.Tools.Workspace;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Mcp;

/// <summary>
/// The context-first coding agent as MCP tools: solve, fix, ask, analyze, review. Thin: bind the arguments,
/// get the model (configured provider, else sampling through the calling host), run the solver, shape the result.
/// </summary>
/// <remarks>
/// The tools alike in shape (attributes, description, one argument, one line into <see cref="RunAsync"/>) are each a
/// tool's own schema and text, not copied logic: what they share is in <see cref="SolveAsync"/>.
/// </remarks>
[McpServerToolType]
[Toolset(Hosting.Toolsets.Solver)]
internal sealed class SolverTools(ISolver solver, IChatClientFactory models, AgentService agents, PathGuard guard)
{
    [McpServerTool(Name = "solve", Title = "Solve a coding task", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(SolveResult))]
    [Description("Carries out a coding task and verifies it: gets the change from the model as write/edit/run operations over " +
        "the relevant code, applies them all or nothing, runs the workspace's linters/build ([verify] commands, or " +
        "ruff, eslint, tsc, go vet, cargo check, dotnet build) with up to two fix cycles, and has it reviewed. Returns " +
        "the operations, checks, review and tokens; if it cannot finish, it escalates to the agent workflow " +
        "('escalated'). Needs a model.")]
    public async Task<CallToolResult> Solve(
        ModelContextProtocol.Server.McpServer server,
        [Description("What to change and the expected behaviour, e.g. 'Add a --verbose flag to cli.py that prints each file " +
            "processed'.")] string task,
        RequestContext<CallToolRequestParams> request,
        IProgress<ProgressNotificationValue> progress,
        [Description("Hand the task to the workflow when the solver cannot finish (default true).")] bool? escalate = null,
        CancellationToken cancellationToken = default)
    {
        var result = await SolveAsync(server, new SolverRequest(SolverMode.Solve, task), progress, cancellationToken);
        if (escalate is false || result.Escalation is not { } tier)
        {
            return SolveResultText.ToToolResult(result);
        }

        progress.Report(new ProgressNotificationValue { Progress = 0, Message = $"The solver could not finish ({result.Status}); escalating to the {tier}" });
        var escalated = await agents.EscalateAsync(task, request, progress, cancellationToken);
        return SolveResultText.ToToolResult(result with { Escalated = escalated });
    }

    [McpServerTool(Name = "fix", Title = "Fix a problem", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(SolveResult))]
    [Description("Fixes a described problem (a bug, a failing check, an error message): runs the workspace's checks first and " +
        "adds their failures to the context, then works like solve. Returns what changed, the checks before and after, " +
        "the review verdict and tokens.")]
    public async Task<CallToolResult> Fix(
        ModelContextProtocol.Server.McpServer server,
        [Description("The symptom or error and where it shows, e.g. 'parse_date crashes on ISO dates ending in Z'.")] string problem,
        IProgress<ProgressNotificationValue> progress,
        CancellationToken cancellationToken) =>
        await RunAsync(server, new SolverRequest(SolverMode.Fix, problem), progress, cancellationToken);

    [McpServerTool(Name = "ask", Title = "Ask about the code", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(SolveResult))]
    [OutputShape("status", "message", "answer", "review", "llmCalls", "totalTokens", "notes")]
    [Description("Answers a question about the workspace's code from the code itself, citing path:line; never writes. Returns " +
        "the answer and tokens.")]
    public async Task<CallToolResult> Ask(
        ModelContextProtocol.Server.McpServer server,
        [Description("e.g. 'Where is the retry delay computed and what is its cap?'")] string question,
        IProgress<ProgressNotificationValue> progress,
        CancellationToken cancellationToken) =>
        await RunAsync(server, new SolverRequest(SolverMode.Ask, question), progress, cancellationToken);

    [McpServerTool(Name = "analyze", Title = "Analyze a file or folder", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(SolveResult))]
    [OutputShape("status", "message", "answer", "review", "llmCalls", "totalTokens", "notes")]
    [Description("Explains a file or folder: its purpose, main parts, how it connects to the rest, risks (path:line) and what " +
        "to read next. Never writes.")]
    public async Task<CallToolResult> Analyze(
        ModelContextProtocol.Server.McpServer server,
        [Description("Relative to the workspace root, e.g. 'src/parser'; '.' for all of it.")] string path,
        IProgress<ProgressNotificationValue> progress,
        CancellationToken cancellationToken) =>
        await RunAsync(server, new SolverRequest(SolverMode.Analyze, string.Empty, path), progress, cancellationToken);

    [McpServerTool(Name = "review", Title = "Review a file or folder", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(SolveResult))]
    [OutputShape("status", "message", "answer", "review", "llmCalls", "totalTokens", "notes")]
    [Description("Reviews a file or folder for real defects (bugs, unhandled errors, security problems, inconsistencies, " +
        "missing tests). Never writes. Returns 'ok' or 'needs_changes' with findings (path:line).")]
    public async Task<CallToolResult> Review(
        ModelContextProtocol.Server.McpServer server,
        [Description("Relative to the workspace root; '.' for all of it.")] string path,
        IProgress<ProgressNotificationValue> progress,
        CancellationToken cancellationToken) =>
        await RunAsync(server, new SolverRequest(SolverMode.Review, string.Empty, path), progress, cancellationToken);

    private async Task<CallToolResult> RunAsync(ModelContextProtocol.Server.McpServer server, SolverRequest request, IProgress<ProgressNotificationValue> progress, CancellationToken cancellationToken)
        => SolveResultText.ToToolResult(await SolveAsync(server, request, progress, cancellationToken));

    /// <summary>Runs the solver on <paramref name="request"/> once it is checked, with the model for the calling session.</summary>
    private async Task<SolveResult> SolveAsync(ModelContextProtocol.Server.McpServer server, SolverRequest request, IProgress<ProgressNotificationValue> progress, CancellationToken cancellationToken)
    {
        request = Checked(request);
        var model = models.GetChatClient(server);
        return await solver.RunAsync(request, model, new Progress(progress), cancellationToken);
    }

    /// <summary>The request, once its text or path is usable: checked before a model is looked for, so a bad argument is named as such.</summary>
    private SolverRequest Checked(SolverRequest request)
    {
        if (request.Mode is SolverMode.Analyze or SolverMode.Review)
        {
            if (string.IsNullOrWhiteSpace(request.Path))
            {
                throw new MemfunToolException("'path' is empty: pass a file or folder relative to the workspace root, or '.' for the whole workspace.");
            }

            var full = guard.Resolve(request.Path);
            if (!File.Exists(full) && !Directory.Exists(full))
            {
                throw new MemfunToolException($"'{request.Path}' does not exist in the workspace. Use list_files to find the right path.");
            }

            return request;
        }

        if (string.IsNullOrWhiteSpace(request.Text))
        {
            var name = request.Mode switch { SolverMode.Fix => "problem", SolverMode.Ask => "question", _ => "task" };
            throw new MemfunToolException($"'{name}' is empty: say what the {(request.Mode == SolverMode.Ask ? "question is" : "change should do")}.");
        }

        return request;
    }

    /// <summary>Forwards solver steps as MCP progress notifications, synchronously (no thread-pool hop, order kept).</summary>
    private sealed class Progress(IProgress<ProgressNotificationValue> inner) : IProgress<SolverProgress>
    {
        public void Report(SolverProgress value) =>
            inner.Report(new ProgressNotificationValue { Progress = value.Step, Total = value.Total, Message = value.Message });
    }
}
