using System.Diagnostics;
using Memfun.McpServer.Evals;
using Memfun.McpServer.Tests.Infrastructure;
using Memfun.Testing;

namespace Memfun.McpServer.Tests.Evals;

/// <summary>
/// The bundled suite (evals/bundled) through the real harness, without a model: an agent that applies each task's
/// reference patch resolves every Python, JavaScript and terminal task, and one that changes nothing resolves none.
/// The C# tasks build projects (minutes on a busy machine): <c>evals/validate.sh</c> checks them.
/// </summary>
public sealed class BundledSuiteTests
{
    private static EvalSuite FastTasks()
    {
        var suite = EvalSuiteLoader.Load(Path.Combine(RepoRoot.Path, "evals", "bundled"));
        return suite.Only([.. suite.Tasks.Where(t => !t.Id.StartsWith("cs-", StringComparison.Ordinal)).Select(t => t.Id)]);
    }

    [Fact]
    public async Task Every_fast_bundled_task_is_resolved_by_its_reference_patch_and_by_nothing_else()
    {
        var suite = FastTasks();
        Assert.True(suite.Tasks.Count >= 17, $"{suite.Tasks.Count} tasks");

        var gold = await new EvalRunner(new EvalRunnerOptions { Agent = new PatchAgent(apply: true) }).RunSuiteAsync(suite);
        var nothing = await new EvalRunner(new EvalRunnerOptions { Agent = new PatchAgent(apply: false) }).RunSuiteAsync(suite);

        Assert.All(gold.Tasks, r => Assert.True(r.Resolved, $"{r.Id}: {r.Error} {string.Join("; ", r.Tests.Where(t => !t.Passed).Select(t => $"{t.Id}: {t.Output}"))}"));
        Assert.All(nothing.Tasks, r => Assert.False(r.Resolved || r.Errored, $"{r.Id} resolved={r.Resolved} error={r.Error}"));
        Assert.All(nothing.Tasks.Where(r => r.Format != "terminal"), r => Assert.All(r.Tests.Where(t => t.Set == "PASS_TO_PASS"), t => Assert.True(t.Passed, $"{r.Id}/{t.Id}")));
    }

    [Fact]
    public async Task Through_the_real_ladder_a_model_answering_with_the_reference_patches_resolves_every_fast_task_and_a_useless_one_none()
    {
        var suite = FastTasks();
        using var reference = new StubModelServer { RespondTo = EvalScriptedModels.Reference(await EvalScriptedModels.ReferenceAnswersAsync(suite)) };
        using var useless = new StubModelServer { RespondTo = EvalScriptedModels.Always(EvalScriptedModels.NoChange) };

        var gold = await Ladder(reference).RunSuiteAsync(suite);
        var nothing = await Ladder(useless).RunSuiteAsync(suite);

        Assert.All(gold.Tasks, r => Assert.True(r.Resolved, $"{r.Id}: {r.Error} {r.Summary} {string.Join("; ", r.Tests.Where(t => !t.Passed).Select(t => $"{t.Id}: {t.Output}"))}"));
        Assert.All(gold.Tasks, r => Assert.Equal("solver", r.Rung));
        Assert.All(nothing.Tasks, r => Assert.False(r.Resolved, r.Id));
    }

    private static EvalRunner Ladder(StubModelServer stub) => new(new EvalRunnerOptions
    {
        Parallel = 3,
        Agent = new LadderEvalAgent { Settings = EvalScriptedModels.Settings(stub) },
    });

    /// <summary>Applies the task's reference patch (a terminal task's <c>gold.patch</c> beside its workspace), or does nothing.</summary>
    private sealed class PatchAgent(bool apply) : IEvalAgent
    {
        public async Task<EvalAgentOutcome> RunAsync(EvalTask task, string workspace, EvalUsage usage, CancellationToken cancellationToken = default)
        {
            if (!apply)
            {
                return new EvalAgentOutcome("test", "completed", "changed nothing", null, []);
            }

            var patch = task.GoldPatch ?? await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(task.Source)!, "gold.patch"), cancellationToken);
            var file = Path.Combine(Path.GetTempPath(), $"memfun-gold-{Guid.NewGuid():N}.patch");
            await File.WriteAllTextAsync(file, patch, cancellationToken);
            try
            {
                using var git = Process.Start(new ProcessStartInfo("git", ["apply", file]) { WorkingDirectory = workspace, RedirectStandardError = true })!;
                var error = await git.StandardError.ReadToEndAsync(cancellationToken);
                await git.WaitForExitAsync(cancellationToken);
                return new EvalAgentOutcome("test", "completed", "applied the reference patch", git.ExitCode == 0 ? null : error, []);
            }
            finally
            {
                File.Delete(file);
            }
        }
    }
}
