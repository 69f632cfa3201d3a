using System.CommandLine;
using Memfun.Engine.Llm;
using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.McpServer.Evals;
using Microsoft.Extensions.DependencyInjection;

namespace Memfun.McpServer.Cli;

/// <summary>
/// <c>memfun eval SUITE</c>: runs a suite of coding tasks against the configured provider, in this process or on
/// <c>memfun worker --kinds eval_task</c> processes, and writes the report (Markdown + JSON).
/// </summary>
/// <remarks>Exit codes: 0 every task resolved; 1 some task not resolved or errored; 2 usage or suite error; 3 no model or backend.</remarks>
internal static class EvalCommand
{
    public static Command Create()
    {
        var suite = new Argument<string>("suite") { Description = "A suite folder (one subfolder per task: task.json + repo/, or instruction.md + workspace/ + check.sh) or a SWE-bench .jsonl file." };
        var repos = new Option<string?>("--repos") { Description = "Folder of local git checkouts for SWE-bench instances: owner/name is DIR/owner__name or DIR/name." };
        var tasks = new Option<string?>("--tasks") { Description = "Comma-separated task ids to run (default: all)." };
        var parallel = new Option<int?>("--parallel", "-j") { Description = "Tasks run at once in this process (default 2)." };
        var viaWorkers = new Option<bool>("--via-workers") { Description = "Queue the tasks on the backend for `memfun worker --kinds eval_task` processes instead of running them here." };
        var output = new Option<string?>("--out", "-o") { Description = "Folder for report.md and report.json (default .memfun/evals/SUITE-TIME in the workspace)." };
        var timeout = new Option<int?>("--task-timeout") { Description = "Minutes the agent may work on one task (default 30)." };
        var workspace = CommonOptions.Workspace();
        var backendFlags = new BackendFlags();
        var command = new Command("eval", "Run a suite of coding tasks (SWE-bench JSONL, a task folder suite, Terminal-Bench style) against the configured provider and report what was resolved.")
        {
            suite, repos, tasks, parallel, viaWorkers, output, timeout, workspace,
        };
        backendFlags.AddTo(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var root = CommonOptions.ResolveWorkspace(parse.GetValue(workspace));
            var config = CommonOptions.LoadConfiguration(root);
            if (parse.GetValue(parallel) is < 1)
            {
                throw new CliException("--parallel must be at least 1.");
            }

            if (parse.GetValue(timeout) is < 1)
            {
                throw new CliException("--task-timeout must be at least 1 minute.");
            }

            var loaded = EvalCommand.LoadSuite(root, parse.GetValue(suite)!, parse.GetValue(repos), parse.GetValue(tasks));

            var agentTimeout = TimeSpan.FromMinutes(parse.GetValue(timeout) ?? 30);
            var progress = new Lines();
            await Console.Error.WriteLineAsync($"[eval] {loaded.Name}: {Memfun.Tools.Plural.Of(loaded.Tasks.Count, "task")}{(parse.GetValue(viaWorkers) ? " via workers" : $", {parse.GetValue(parallel) ?? 2} at a time")}");
            var runtimeOptions = backendFlags.Resolve(parse, root, config);
            EvalReport report;
            if (parse.GetValue(viaWorkers))
            {
                if (runtimeOptions.Tier == RuntimeTier.InProcess)
                {
                    throw new CliException("--via-workers needs a backend the workers share: --backend nats|redis|sqlite (or [backend] tier).");
                }

                await using var backend = await OpenAsync(runtimeOptions, cancellationToken) ?? throw new CliException($"The {runtimeOptions.Tier} backend is not reachable.", 3);
                report = await new EvalDispatcher(backend, progress) { AgentTimeout = agentTimeout, TaskTimeout = agentTimeout + TimeSpan.FromMinutes(10) }
                    .RunAsync(loaded, parse.GetValue(repos) is { } rr ? Path.GetFullPath(rr, root) : null, cancellationToken);
            }
            else
            {
                try
                {
                    using var llm = new ServiceCollection().AddMemfunLlm(config.GetSection("llm")).BuildServiceProvider();
                    llm.GetRequiredService<IChatClientFactory>().GetChatClient();
                }
                catch (LlmNotConfiguredException ex)
                {
                    await Console.Error.WriteLineAsync($"memfun: {ex.Message}");
                    return 3;
                }

                // The dashboard follows the backend's task events (SQLite once its file exists, as the dashboard does).
                var follow = runtimeOptions.Tier is RuntimeTier.Nats or RuntimeTier.Redis
                    || (runtimeOptions.Tier == RuntimeTier.Sqlite && File.Exists(Path.Combine(root, runtimeOptions.SqlitePath)));
                await using var events = follow ? await OpenAsync(runtimeOptions, cancellationToken) : null;
                var runner = new EvalRunner(new EvalRunnerOptions
                {
                    Parallel = parse.GetValue(parallel) ?? 2,
                    Agent = new LadderEvalAgent { Timeout = agentTimeout },
                    Progress = progress,
                    Events = events?.EventBus,
                });
                report = await runner.RunSuiteAsync(loaded, cancellationToken);
            }

            var folder = parse.GetValue(output) is { } o
                ? Path.GetFullPath(o, root)
                : Path.Combine(root, ".memfun", "evals", $"{loaded.Name}-{report.StartedAt:yyyyMMdd-HHmmss}");
            var (json, markdown) = await EvalReportWriter.WriteAsync(report, folder, cancellationToken);
            var t = report.Totals;
            await Console.Out.WriteLineAsync($"{t.Resolved}/{t.Tasks} resolved, {t.Errored} errored, {t.LlmCalls} LLM calls, {t.WallSeconds:0.0} s");
            await Console.Out.WriteLineAsync($"report: {markdown}");
            await Console.Out.WriteLineAsync($"json: {json}");
            return t.Resolved == t.Tasks ? 0 : 1;
        });

        return command;
    }

    /// <summary>
    /// The suite a command names (<paramref name="suite"/> and <paramref name="repos"/> relative to <paramref name="root"/>),
    /// narrowed to the comma-separated <paramref name="tasks"/> when given; a suite problem is a usage error.
    /// </summary>
    public static EvalSuite LoadSuite(string root, string suite, string? repos, string? tasks)
    {
        try
        {
            var loaded = EvalSuiteLoader.Load(Path.GetFullPath(suite, root), repos is null ? null : Path.GetFullPath(repos, root));
            return tasks is { Length: > 0 } ids ? loaded.Only(ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) : loaded;
        }
        catch (EvalSuiteException ex)
        {
            throw new CliException(ex.Message);
        }
    }

    private static async Task<RuntimeBackend?> OpenAsync(RuntimeOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await RuntimeBackendFactory.OpenAsync(options, cancellationToken);
        }
        catch (RuntimeUnavailableException ex)
        {
            await Console.Error.WriteLineAsync($"memfun: {ex.Message}");
            return null;
        }
    }

    /// <summary>One stderr line per task start and finish, in order.</summary>
    private sealed class Lines : IProgress<EvalEvent>
    {
        private readonly Lock _gate = new();

        public void Report(EvalEvent value)
        {
            lock (_gate)
            {
                Console.Error.WriteLine(value.ToLine());
            }
        }
    }
}
