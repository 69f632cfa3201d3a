using System.CommandLine;
using System.Globalization;
using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.Local;
using Memfun.Engine.Runtime.Logging;
using Memfun.Engine.Runtime.Stored;
using Memfun.Engine.Runtime.Workers;
using Microsoft.Extensions.Logging;

namespace Memfun.McpServer.Cli;

/// <summary><c>memfun worker</c>: a process that registers itself and runs queued tasks from the configured backend.</summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var backendFlags = new BackendFlags();
        var kinds = new Option<string?>("--kinds") { Description = "Comma-separated task kinds to serve (default: all built-in kinds: echo, fail, run_cmd, sleep, and agent_task with --coordinator; eval_task, for `memfun eval --via-workers`, only when listed)." };
        var concurrency = new Option<int?>("--concurrency", "-c") { Description = "Tasks run at once (default 4)." };
        var visibility = new Option<double?>("--visibility-timeout") { Description = "Seconds a lease lasts without renewal before the task is redelivered (default 30)." };
        var id = new Option<string?>("--id") { Description = "Worker id in the registry (default worker-HOST-PID)." };
        var logLevel = new Option<LogLevel?>("--log-level") { Description = "Minimum level of log lines on stderr (default Information)." };
        var coordinator = new Option<string?>("--coordinator") { Description = "MCP URL of the coordinating `memfun serve --http` (or MEMFUN_COORDINATOR_URL): serve agent_task (workflow tasks) over its workspace." };
        var token = new Option<string?>("--token") { Description = "Bearer token of the coordinator (or MEMFUN_COORDINATOR_TOKEN; prefer the variable: arguments are visible to other users)." };
        var workspace = CommonOptions.Workspace();

        var command = new Command("worker", "Run a worker: register, then execute queued tasks of the kinds it serves until stopped (Ctrl+C / SIGTERM).")
        {
            kinds, concurrency, visibility, id, logLevel, coordinator, token, workspace,
        };
        backendFlags.AddTo(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var root = CommonOptions.ResolveWorkspace(parse.GetValue(workspace));
            var config = CommonOptions.LoadConfiguration(root);
            var options = backendFlags.Resolve(parse, root, config);
            if (parse.GetValue(visibility) is { } seconds)
            {
                options.Tasks = options.Tasks with { VisibilityTimeout = TimeSpan.FromSeconds(seconds) };
            }

            var handlers = TaskHandlerRegistry.WithBuiltIns();
            await using var agentTasks = WorkerAgentTasks.Create(
                root, config, parse.GetValue(coordinator) ?? Environment.GetEnvironmentVariable("MEMFUN_COORDINATOR_URL"),
                parse.GetValue(token) ?? Environment.GetEnvironmentVariable("MEMFUN_COORDINATOR_TOKEN"));
            if (agentTasks is not null)
            {
                handlers.Add(agentTasks.Handler);
            }

            if (parse.GetValue(kinds) is { Length: > 0 } list)
            {
                if (list.Split(',', StringSplitOptions.TrimEntries).Contains(Evals.EvalRunner.TaskKind))
                {
                    // Served only when asked for: an eval task needs this node's model and runs for minutes.
                    handlers.Add(new Evals.EvalTaskHandler());
                }

                try
                {
                    handlers = handlers.Only(list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                }
                catch (ArgumentException ex)
                {
                    throw new CliException(ex.Message);
                }
            }

            // The registry drops a silent worker no later than the queue redelivers its tasks: stale after the
            // visibility timeout (15 s at most), heartbeats three times as often.
            var staleAfter = options.Tasks.VisibilityTimeout < TimeSpan.FromSeconds(15) ? options.Tasks.VisibilityTimeout : TimeSpan.FromSeconds(15);
            var workerOptions = new TaskWorkerOptions
            {
                StaleAfter = staleAfter,
                HeartbeatInterval = staleAfter / 3,
                Concurrency = parse.GetValue(concurrency) ?? 4,
                Metadata = new Dictionary<string, string>
                {
                    ["host"] = Environment.MachineName,
                    ["pid"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                    ["backend"] = options.Tier.ToString().ToLowerInvariant(),
                },
            };
            if (parse.GetValue(id) is { } workerId)
            {
                workerOptions = workerOptions with { Id = workerId };
            }

            using var loggerFactory = LoggerFactory.Create(b => b
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
                .SetMinimumLevel(parse.GetValue(logLevel) ?? LogLevel.Information));

            RuntimeBackend runtime;
            try
            {
                runtime = await RuntimeBackendFactory.OpenAsync(options, cancellationToken);
            }
            catch (RuntimeUnavailableException ex)
            {
                throw new CliException(ex.Message, exitCode: 3);
            }

            await using (runtime)
            {
                var worker = new TaskWorker(
                    runtime.EventBus,
                    new LoggingTaskQueue(runtime.TaskQueue, loggerFactory.CreateLogger("Memfun.Runtime.Tasks")),
                    new StoredAgentRegistry(runtime.StateStore(RuntimeAreas.Agents)),
                    runtime.StateStore(RuntimeAreas.Results),
                    new LocalProcessSandbox(root),
                    handlers,
                    workerOptions,
                    loggerFactory.CreateLogger("Memfun.Worker"));
                try
                {
                    await worker.RunAsync(
                        () => Console.Error.WriteLine($"memfun worker {worker.Id} ready: kinds {string.Join(",", handlers.Kinds)} on {runtime.Tier} at {runtime.Address}"),
                        cancellationToken);
                }
                catch (RuntimeUnavailableException ex)
                {
                    throw new CliException(ex.Message, exitCode: 3);
                }
                catch (Exception ex) when (ex is not (OperationCanceledException or CliException))
                {
                    // One line, never a stack trace: the worker's own loop survives transient errors, so this is a bug
                    // or a server answer it cannot handle; the type says which.
                    throw new CliException($"worker {worker.Id} stopped: {ex.GetType().Name}: {ex.Message}", exitCode: 1);
                }
            }

            return 0;
        });

        return command;
    }
}
