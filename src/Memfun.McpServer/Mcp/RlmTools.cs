using System.ComponentModel;
using System.Globalization;
using System.Text;
using Memfun.Tools;
using System.Text.Json;
using Memfun.Engine.Llm;
using Memfun.Engine.Repl;
using Memfun.Engine.Rlm.Loop;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Mcp;

/// <summary>
/// The Recursive Language Model as MCP tools: rlm_run (the loop, with this server's model) and a
/// persistent C# REPL for the host's own model (repl_start, repl_exec, repl_vars, repl_stop).
/// </summary>
[McpServerToolType]
[Toolset(Hosting.Toolsets.Rlm)]
internal sealed class RlmTools
{
    /// <summary>The most model turns an rlm_run may be given.</summary>
    public const int MaxIterationsLimit = 200;

    [McpServerTool(Name = "rlm_run", Title = "Solve a task with a model-driven C# REPL", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(RlmRunResult))]
    [Description("Solves a task with a Recursive Language Model: a model writes C# that runs in a sandboxed, persistent REPL " +
        "whose globals are the workspace tools and sub-model calls (llm_query, llm_query_batched). For questions over " +
        "more data than fits a context window. Returns the FINAL answer, stop reason, tokens and trace resource. Can " +
        "write files and run commands, like run_cmd.")]
    public static async Task<CallToolResult> RunAsync(
        ModelContextProtocol.Server.McpServer server,
        RlmRunner runner,
        [Description("The task or question; say what the answer should look like.")] string task,
        [Description("Model turns, one code step each: default 20, at most 200.")] int? max_iterations = null,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(task))
        {
            throw new ReplException("task is empty: say what the run should find out or do.");
        }

        if (max_iterations is < 1 or > MaxIterationsLimit)
        {
            throw new ReplException($"max_iterations must be between 1 and {MaxIterationsLimit}; it was {max_iterations}.");
        }

        var chat = RlmChatClients.For(server) ?? throw new LlmNotConfiguredException();
        var reporter = progress is null ? null : new ForwardingProgress<RlmProgress>(p => progress.Report(new ProgressNotificationValue
        {
            Progress = p.Iteration,
            Total = p.MaxIterations,
            Message = p.Message,
        }));
        var result = await runner.RunAsync(task, max_iterations, chat, reporter, cancellationToken, Owner(server));
        var shaped = new RlmRunResult(result.Answer, result.Finish, result.Iterations, result.Tokens, result.LargestPromptTokens, result.TraceUri, result.Sandbox);
        var text = result.Answer is not null
            ? $"{result.Answer}\n\n(finished after {Plural.Of(result.Iterations, "iteration")}, {Plural.Of(result.Tokens, "token")}; trace {result.TraceUri})"
            : $"The run stopped without a FINAL answer ({result.Finish}) after {Plural.Of(result.Iterations, "iteration")}, {Plural.Of(result.Tokens, "token")}. Read the trace {result.TraceUri} to see how far it got.";
        return ToolResults.Structured(text, shaped);
    }

    [McpServerTool(Name = "repl_start", Title = "Start a persistent C# REPL", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(ReplStartResult))]
    [Description("Starts a persistent C# REPL (Roslyn scripting) in a sandboxed process and returns its session id; definitions " +
        "persist across repl_exec calls. Globals: read_file, write_file, edit_file, run_cmd, list_files, search, " +
        "code_map, llm_query, llm_query_batched, web_search, web_fetch, search_history. Keep large data in variables, " +
        "not your context. Steps are time- and memory-limited; repl_stop when done.")]
    public static async Task<CallToolResult> StartAsync(
        ModelContextProtocol.Server.McpServer server,
        ReplSessionRegistry registry,
        CancellationToken cancellationToken = default)
    {
        var session = await registry.StartAsync(Owner(server), RlmChatClients.For(server), cancellationToken);
        var o = registry.Options;
        var shaped = new ReplStartResult(session.Id, session.SandboxMode, (int)o.StepTimeLimit.TotalSeconds, o.MemoryLimitBytes / (1024 * 1024), o.OutputLimitChars, session.Trace.Uri, session.HostPid, [.. ReplToolCatalogView.Lines]);
        var text = $"REPL session {session.Id} started ({session.SandboxMode}). Limits per step: {shaped.StepTimeLimitSeconds} s, {shaped.MemoryLimitMib} MiB, " +
            $"{shaped.OutputLimitChars:N0} output characters. Globals:\n{string.Join("\n", shaped.Globals)}";
        return ToolResults.Structured(text, shaped);
    }

    [McpServerTool(Name = "repl_exec", Title = "Run C# in a REPL session", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(ReplExecResult))]
    [Description("Runs C# in a repl_start session, keeping its state. Returns the printed output (head and tail when long), the " +
        "final expression's value, and any error (a timeout, out of memory or a crash: the next step then starts a " +
        "fresh process and re-defines earlier types and methods).")]
    public static async Task<CallToolResult> ExecAsync(
        ModelContextProtocol.Server.McpServer server,
        ReplSessionRegistry registry,
        [Description("The id from repl_start.")] string session,
        [Description("C# statements, declarations or an expression (script syntax, no Main).")] string code,
        CancellationToken cancellationToken = default)
    {
        var repl = registry.Get(session, Owner(server));
        var r = await repl.ExecuteAsync(code ?? string.Empty, cancellationToken);
        var shaped = new ReplExecResult(r.Outcome.ToString().ToLowerInvariant(), r.Output, r.OutputCut, r.Error, r.Final, r.Notice, Math.Round(r.Duration.TotalMilliseconds, 1));
        var text = new StringBuilder();
        if (r.Notice is not null)
        {
            text.AppendLine("Note: " + r.Notice);
        }

        text.Append(r.Output.Length > 0 ? r.Output : (r.Error is null ? "(no output)" : string.Empty));
        if (r.Error is not null)
        {
            text.AppendLine().Append(r.Outcome == ReplStepOutcome.Error ? "Error: " : $"Stopped ({r.Outcome}): ").Append(r.Error);
        }

        if (r.Final is not null)
        {
            text.AppendLine().Append("FINAL: ").Append(r.Final);
        }

        return ToolResults.Structured(text.ToString().Trim(), shaped, r.Outcome != ReplStepOutcome.Ok);
    }

    [McpServerTool(Name = "repl_vars", Title = "List a REPL session's variables", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(ReplVarsResult))]
    [Description("Lists a REPL session's variables: type, size (characters or items) and a short preview, never whole values.")]
    public static async Task<CallToolResult> VarsAsync(
        ModelContextProtocol.Server.McpServer server,
        ReplSessionRegistry registry,
        [Description("The id from repl_start.")] string session,
        CancellationToken cancellationToken = default)
    {
        var vars = await registry.Get(session, Owner(server)).GetVariablesAsync(cancellationToken);
        var text = vars.Count == 0
            ? "(no variables)"
            : string.Join("\n", vars.Select(v => $"{v.Name}: {v.Type}{(v.Size >= 0 ? string.Create(CultureInfo.InvariantCulture, $" (size {v.Size:N0})") : string.Empty)} = {v.Preview}"));
        return ToolResults.Structured(text, new ReplVarsResult([.. vars]));
    }

    [McpServerTool(Name = "repl_stop", Title = "Stop a REPL session", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false)]
    [Description("Stops a REPL session and its process; its variables are gone. Its trace stays readable as a resource.")]
    public static async Task<string> StopAsync(
        ModelContextProtocol.Server.McpServer server,
        ReplSessionRegistry registry,
        [Description("The id from repl_start.")] string session)
    {
        await registry.StopAsync(session, Owner(server));
        return $"REPL session {session} stopped.";
    }

    private static string Owner(ModelContextProtocol.Server.McpServer server) => SessionKey.Owner(server);
}

/// <summary>The result of rlm_run.</summary>
internal sealed record RlmRunResult(string? Answer, string Finish, int Iterations, long Tokens, int LargestPromptTokens, string Trace, string Sandbox);

/// <summary>The result of repl_start.</summary>
internal sealed record ReplStartResult(string Session, string Sandbox, int StepTimeLimitSeconds, long MemoryLimitMib, int OutputLimitChars, string Trace, int HostPid, IReadOnlyList<string> Globals);

/// <summary>The result of repl_exec.</summary>
internal sealed record ReplExecResult(string Outcome, string Output, long OutputCut, string? Error, string? Final, string? Notice, double DurationMs);

/// <summary>The result of repl_vars.</summary>
internal sealed record ReplVarsResult(IReadOnlyList<ReplVariable> Variables);
