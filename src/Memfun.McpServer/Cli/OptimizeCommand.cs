using System.CommandLine;
using Memfun.Engine.Agents;
using Memfun.Engine.Llm;
using Memfun.McpServer.Evals;
using Memfun.McpServer.Evals.Optimize;
using Microsoft.Extensions.DependencyInjection;

namespace Memfun.McpServer.Cli;

/// <summary>
/// <c>memfun optimize AGENT --suite DIR</c>: improves a specialist's instruction from the traces of an eval suite
/// (<see cref="PromptOptimizer"/>) and writes the best candidate as <c>.memfun/agents/AGENT/AGENT.md</c> when it beats
/// the current instruction.
/// </summary>
/// <remarks>Exit codes: 0 done (whether or not a candidate won); 1 the model's proposal was unusable; 2 usage or suite error; 3 no model.</remarks>
internal static class OptimizeCommand
{
    public static Command Create()
    {
        var agent = new Argument<string>("agent") { Description = "The specialist to improve, e.g. coder (see `memfun agent list`)." };
        var suite = new Option<string>("--suite") { Description = "The eval suite that scores an instruction: a suite folder or a SWE-bench .jsonl file.", Required = true };
        var candidates = new Option<int?>("--candidates", "-n") { Description = $"Candidate instructions to ask for and score (default 3, at most {OptimizeOptions.MaxCandidates})." };
        var tasks = new Option<string?>("--tasks") { Description = "Comma-separated task ids to score on (default: all)." };
        var repos = new Option<string?>("--repos") { Description = "Folder of local git checkouts for SWE-bench instances." };
        var parallel = new Option<int?>("--parallel", "-j") { Description = "Tasks run at once (default 2)." };
        var timeout = new Option<int?>("--task-timeout") { Description = "Minutes the agent may work on one task (default 30)." };
        var workspace = CommonOptions.Workspace();
        var command = new Command("optimize", "Improve a specialist agent's instruction from its traces on an eval suite; write the best candidate as an overriding .memfun/agents/AGENT/AGENT.md only when it resolves more tasks.")
        {
            agent, suite, candidates, tasks, repos, parallel, timeout, workspace,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var root = CommonOptions.ResolveWorkspace(parse.GetValue(workspace));
            var config = CommonOptions.LoadConfiguration(root);
            var count = parse.GetValue(candidates) ?? 3;
            if (count is < 1 or > OptimizeOptions.MaxCandidates)
            {
                throw new CliException($"--candidates must be 1 to {OptimizeOptions.MaxCandidates}.");
            }

            if (parse.GetValue(parallel) is < 1)
            {
                throw new CliException("--parallel must be at least 1.");
            }

            if (parse.GetValue(timeout) is < 1)
            {
                throw new CliException("--task-timeout must be at least 1 minute.");
            }

            var name = parse.GetValue(agent)!;
            var catalog = new AgentCatalog(AgentCatalog.StandardFolders(root, Configuration.WorkspaceTrust.IsTrusted(config)));
            var definition = catalog.Find(name) ?? throw new CliException(
                $"There is no agent named '{name}'. Known agents: {string.Join(", ", catalog.Agents.Select(a => a.Name))}." +
                (string.Equals(name, "solver", StringComparison.OrdinalIgnoreCase) ? " The solver's prompt is not an AGENT.md and cannot be optimized yet." : string.Empty));
            var agentFile = await File.ReadAllTextAsync(definition.SourcePath, cancellationToken);

            var loaded = EvalCommand.LoadSuite(root, parse.GetValue(suite)!, parse.GetValue(repos), parse.GetValue(tasks));

            using var llm = new ServiceCollection().AddMemfunLlm(config.GetSection("llm")).BuildServiceProvider();
            Microsoft.Extensions.AI.IChatClient model;
            try
            {
                model = llm.GetRequiredService<IChatClientFactory>().GetChatClient();
            }
            catch (LlmNotConfiguredException ex)
            {
                await Console.Error.WriteLineAsync($"memfun: {ex.Message}");
                return 3;
            }

            var agentTimeout = TimeSpan.FromMinutes(parse.GetValue(timeout) ?? 30);
            var lines = new Lines();
            var optimizer = new PromptOptimizer(new OptimizeOptions
            {
                ProposalModel = model,
                AgentFor = text => new SpecialistEvalAgent(definition.Name, text) { Timeout = agentTimeout },
                Candidates = count,
                Parallel = parse.GetValue(parallel) ?? 2,
                Progress = lines,
                TaskProgress = lines,
            });
            OptimizeResult result;
            try
            {
                result = await optimizer.RunAsync(definition, agentFile, loaded, root, cancellationToken);
            }
            catch (OptimizeException ex)
            {
                await Console.Error.WriteLineAsync($"memfun: {ex.Message}");
                return 1;
            }

            var tasksCount = loaded.Tasks.Count;
            await Console.Out.WriteLineAsync($"current instruction: {result.Original.Totals.Resolved}/{tasksCount} resolved");
            for (var i = 0; i < result.Candidates.Count; i++)
            {
                await Console.Out.WriteLineAsync($"candidate {i + 1}: {result.Candidates[i].Resolved}/{tasksCount} resolved");
            }

            await Console.Out.WriteLineAsync(result.WrittenPath is { } path
                ? $"wrote {path}"
                : "no candidate resolved more tasks than the current instruction: nothing written");
            return 0;
        });

        return command;
    }

    /// <summary>Progress lines on stderr: the optimizer's steps and each task's start and finish.</summary>
    private sealed class Lines : IProgress<string>, IProgress<EvalEvent>
    {
        private readonly Lock _gate = new();

        public void Report(string value)
        {
            lock (_gate)
            {
                Console.Error.WriteLine(value);
            }
        }

        public void Report(EvalEvent value) => Report("  " + value.ToLine());
    }
}
