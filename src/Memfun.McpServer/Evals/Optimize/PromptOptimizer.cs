using System.Globalization;
using System.Text;
using Memfun.Engine.Agents;
using Memfun.Tools.Workspace;
using Microsoft.Extensions.AI;

namespace Memfun.McpServer.Evals.Optimize;

/// <summary>
/// Trace-driven instruction improvement for a specialist agent, in the spirit of MIPROv2: scores the agent's current
/// instruction on an eval suite, shows the model the traces of the tasks it failed and resolved and asks for candidate
/// instructions, scores each candidate on the same suite, and writes the best one as an overriding
/// <c>.memfun/agents/NAME/AGENT.md</c> in the workspace, only when it resolved strictly more tasks than the original.
/// </summary>
/// <remarks>
/// The written file keeps the original's front matter and records both scores in <c># memfun optimize:</c> comment
/// lines, so the override is never silent (the agent catalog also lists what it overrides). A built-in's file is
/// never written: the target is always inside the workspace's <c>.memfun/agents/</c>, resolved through
/// <see cref="PathGuard"/> (a link out of the workspace is refused) and written atomically.
/// </remarks>
internal sealed class PromptOptimizer(OptimizeOptions options)
{
    private readonly OptimizeOptions _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>Optimizes <paramref name="agent"/> (whose file text is <paramref name="agentFile"/>) on <paramref name="suite"/>.</summary>
    /// <param name="agent">The agent as the workspace's catalog loaded it.</param>
    /// <param name="agentFile">Its <c>AGENT.md</c> text.</param>
    /// <param name="suite">The tasks that score an instruction.</param>
    /// <param name="workspaceRoot">Where the winner is written (<c>.memfun/agents/NAME/AGENT.md</c>).</param>
    /// <param name="cancellationToken">Cancels the runs.</param>
    /// <exception cref="OptimizeException">The model's proposal is unreadable or holds no new instruction.</exception>
    public async Task<OptimizeResult> RunAsync(AgentDefinition agent, string agentFile, EvalSuite suite, string workspaceRoot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(suite);
        if (_options.Candidates is < 1 or > OptimizeOptions.MaxCandidates)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"Candidates must be 1 to {OptimizeOptions.MaxCandidates}.");
        }

        var instruction = AgentFileText.Body(agentFile);
        var tasks = suite.Tasks.Count;
        Say($"[optimize] {agent.Name}: scoring the current instruction on {Memfun.Tools.Plural.Of(tasks, "task")}");
        var original = await ScoreAsync(agentFile, suite, cancellationToken);
        Say($"[optimize] current instruction: {original.Totals.Resolved}/{tasks} resolved");

        Say($"[optimize] asking the model for {Memfun.Tools.Plural.Of(_options.Candidates, "candidate instruction")} from the traces");
        var response = await _options.ProposalModel.GetResponseAsync(
            [new ChatMessage(ChatRole.System, OptimizeProposal.System), new ChatMessage(ChatRole.User, OptimizeProposal.Prompt(agent.Name, instruction, suite, original, _options.Candidates))],
            cancellationToken: cancellationToken);
        var proposed = OptimizeProposal.Parse(response.Text, _options.Candidates, instruction);

        var scores = new List<CandidateScore>();
        for (var i = 0; i < proposed.Count; i++)
        {
            Say($"[optimize] scoring candidate {i + 1}/{proposed.Count}{(proposed[i].Rationale.Length > 0 ? $" ({proposed[i].Rationale})" : string.Empty)}");
            var report = await ScoreAsync(AgentFileText.With(agentFile, proposed[i].Instruction), suite, cancellationToken);
            scores.Add(new CandidateScore(proposed[i], report));
            Say($"[optimize] candidate {i + 1}/{proposed.Count}: {report.Totals.Resolved}/{tasks} resolved (current {original.Totals.Resolved}/{tasks})");
        }

        // The first of the best on a tie: the model listed it first.
        var best = scores.OrderByDescending(s => s.Resolved).First();
        if (best.Resolved <= original.Totals.Resolved)
        {
            Say($"[optimize] no candidate beat the current instruction ({original.Totals.Resolved}/{tasks}); nothing written");
            return new OptimizeResult { Agent = agent.Name, Original = original, Candidates = scores };
        }

        var path = Write(agent, agentFile, best, original, suite, workspaceRoot);
        Say($"[optimize] candidate {scores.IndexOf(best) + 1} resolved {best.Resolved}/{tasks} (current {original.Totals.Resolved}/{tasks}): wrote {path}");
        return new OptimizeResult { Agent = agent.Name, Original = original, Candidates = scores, Winner = best, WrittenPath = path };
    }

    private Task<EvalReport> ScoreAsync(string agentFile, EvalSuite suite, CancellationToken cancellationToken) =>
        new EvalRunner(new EvalRunnerOptions { Parallel = Math.Max(1, _options.Parallel), Agent = _options.AgentFor(agentFile), Progress = _options.TaskProgress })
            .RunSuiteAsync(suite, cancellationToken);

    private static string Write(AgentDefinition agent, string agentFile, CandidateScore best, EvalReport original, EvalSuite suite, string workspaceRoot)
    {
        var tasks = suite.Tasks.Count;
        var comments = new List<string>
        {
            $"this instruction resolved {best.Resolved}/{tasks} tasks of the suite {suite.Path}; the one it replaces resolved {original.Totals.Resolved}/{tasks} " +
            $"({DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC)",
            $"tasks: {string.Join(", ", suite.Tasks.Select(t => t.Id))}",
            $"replaces the instruction of {agent.SourcePath}",
        };
        if (best.Candidate.Rationale.Length > 0)
        {
            comments.Add("rationale: " + best.Candidate.Rationale);
        }

        var guard = new PathGuard(workspaceRoot);
        var full = guard.Resolve(Path.Combine(".memfun", "agents", agent.Name, "AGENT.md"));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        SafeFile.WriteAtomic(guard.Roots, full, Encoding.UTF8.GetBytes(AgentFileText.With(agentFile, best.Candidate.Instruction, comments)), guard.Display(full), ".optimize.tmp");
        return full;
    }

    private void Say(string line) => _options.Progress?.Report(line);
}
