using System.Collections.Concurrent;
using Memfun.Engine.Agents;
using Memfun.Engine.Tests.Agents;
using Memfun.Engine.Tests.Infrastructure;
using Memfun.Engine.Orchestration;
using static Memfun.Engine.Tests.Agents.ChatReplies;

namespace Memfun.Engine.Tests.Orchestration;

public sealed class WorkflowRunnerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("memfun-wf").FullName;

    private static WorkflowTask T(string id, string agent = "coder", params string[] deps) => new(id, $"do {id}", agent, DependsOn: deps);

    /// <summary>Runs tasks by a rule per task id; a task in a group of two waits for its sibling to start.</summary>
    private sealed class RuleExecutor(Func<WorkflowTask, string, int, CancellationToken, Task<WorkflowTaskOutcome>> rule) : IWorkflowTaskExecutor
    {
        public ConcurrentQueue<(string Id, int Round, string Context)> Runs { get; } = new();

        public async Task<WorkflowTaskOutcome> ExecuteAsync(string workflowId, WorkflowTask task, string context, int round, CancellationToken cancellationToken = default)
        {
            Runs.Enqueue((task.Id, round, context));
            return await rule(task, context, round, cancellationToken);
        }
    }

    private static WorkflowTaskOutcome Done(WorkflowTask t, int round, string answer, params StagedOperation[] staged) =>
        new(t, new SpecialistResult(t.Agent, answer, 1, 10, 5, [], [], "completed", []), staged, round);

    private static StagedOperation Write(string task, string path, string content) =>
        new(task, "write_file", path, new Dictionary<string, object?> { ["path"] = path, ["content"] = content });

    [Fact]
    public async Task Tasks_of_one_group_run_concurrently_and_outputs_reach_dependents()
    {
        using var bothStarted = new Barrier(2);
        var executor = new RuleExecutor((t, ctx, round, ct) => Task.Run(() =>
        {
            if (t.Id is "a" or "b")
            {
                // Each waits for the other: only concurrent execution gets past this.
                Assert.True(bothStarted.SignalAndWait(TimeSpan.FromSeconds(20)), "the tasks of one group did not run at the same time");
            }

            return Done(t, round, $"output of {t.Id}");
        }, ct));
        var events = new ConcurrentQueue<string>();
        var runner = new WorkflowRunner(executor, null, new FolderToolHost(_root))
        {
            Events = (e, _) => { events.Enqueue(e.Type + ":" + e.TaskId); return ValueTask.CompletedTask; },
        };

        var result = await runner.RunAsync("wf1", "req", new WorkflowPlan([T("a"), T("b"), T("c", "test", "a", "b")]));

        Assert.Equal("completed", result.Status);
        var c = executor.Runs.Single(r => r.Id == "c");
        Assert.Contains("output of a", c.Context, StringComparison.Ordinal);
        Assert.Contains("output of b", c.Context, StringComparison.Ordinal);
        Assert.Equal("workflow.started:", events.First());
        Assert.Equal("workflow.completed:", events.Last());
        Assert.Contains("task.completed:c", events);
    }

    [Fact]
    public async Task A_review_conflict_triggers_a_revision_round_and_changes_apply_once_in_dag_order()
    {
        var executor = new RuleExecutor((t, ctx, round, ct) => Task.FromResult(t.Id switch
        {
            "a" => Done(t, round, "wrote app", Write("a", "app.txt", "v1")),
            // b first writes the same file as a (a conflict); after feedback it writes its own file.
            "b" when round == 0 => Done(t, round, "wrote app too", Write("b", "app.txt", "v2")),
            "b" => Done(t, round, "moved to lib", Write("b", "lib.txt", "lib")),
            _ => Done(t, round, "ok"),
        }));
        var review = new ScriptedChatClient()
            .Then("""{"ok": false, "summary": "a and b clash", "revisions": [{"task": "b", "feedback": "write lib.txt instead"}]}""")
            .Then("""{"ok": true, "summary": "consistent", "revisions": []}""");
        var runner = new WorkflowRunner(executor, new LlmWorkflowReviewer(review, "You review."), new FolderToolHost(_root));

        var result = await runner.RunAsync("wf2", "req", new WorkflowPlan([T("a"), T("b")]));

        Assert.Equal(1, result.RevisionRounds);
        Assert.Contains(executor.Runs, r => r.Id == "b" && r.Round == 1 && r.Context.Contains("write lib.txt instead", StringComparison.Ordinal));
        Assert.Contains("both change 'app.txt'", review.Calls[0].Messages[^1].Text, StringComparison.Ordinal);
        Assert.Equal("v1", File.ReadAllText(Path.Combine(_root, "app.txt")));
        Assert.Equal("lib", File.ReadAllText(Path.Combine(_root, "lib.txt")));
        Assert.Equal(["app.txt", "lib.txt"], result.Applied.Select(a => a.Path));
        Assert.Empty(result.Conflicts);
        Assert.Equal("completed", result.Status);
    }

    [Fact]
    public async Task A_conflict_that_survives_the_revisions_is_reported_not_silently_applied()
    {
        File.WriteAllText(Path.Combine(_root, "x.txt"), "original");
        var executor = new RuleExecutor((t, ctx, round, ct) => Task.FromResult(Done(t, round, "edit",
            new StagedOperation(t.Id, "edit_file", "x.txt", new Dictionary<string, object?> { ["path"] = "x.txt", ["old_text"] = "original", ["new_text"] = "by " + t.Id }))));
        var review = new ScriptedChatClient();
        for (var i = 0; i < 3; i++)
        {
            review.Then("""{"ok": false, "summary": "clash", "revisions": [{"task": "b", "feedback": "fix"}]}""");
        }

        var result = await new WorkflowRunner(executor, new LlmWorkflowReviewer(review, "r"), new FolderToolHost(_root))
            .RunAsync("wf3", "req", new WorkflowPlan([T("a"), T("b")]));

        Assert.Equal(WorkflowRunner.MaxRevisionRounds, result.RevisionRounds);
        Assert.Equal("completed_with_conflicts", result.Status);
        Assert.Equal("by a", File.ReadAllText(Path.Combine(_root, "x.txt")));
        Assert.Contains(result.Conflicts, c => c.Contains("could not be applied", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancelling_the_workflow_cancels_the_running_tasks()
    {
        using var cts = new CancellationTokenSource();
        var sawCancellation = false;
        var executor = new RuleExecutor(async (t, ctx, round, ct) =>
        {
            await cts.CancelAsync();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                sawCancellation = true;
                throw;
            }

            return Done(t, round, "never");
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new WorkflowRunner(executor, null, new FolderToolHost(_root)).RunAsync("wf4", "req", new WorkflowPlan([T("a")]), cts.Token));
        Assert.True(sawCancellation);
    }

    [Fact]
    public async Task A_staging_host_checks_edits_against_the_workspace_and_writes_nothing()
    {
        File.WriteAllText(Path.Combine(_root, "f.txt"), "alpha beta");
        var staging = new StagingToolHost(new FolderToolHost(_root), "t1");

        var ok = await staging.CallToolAsync("edit_file", Args(("path", "f.txt"), ("old_text", "beta"), ("new_text", "gamma")));
        var miss = await staging.CallToolAsync("edit_file", Args(("path", "f.txt"), ("old_text", "zeta"), ("new_text", "x")));
        var write = await staging.CallToolAsync("write_file", Args(("path", "new.txt"), ("content", "n")));

        Assert.False(ok.IsError);
        Assert.True(miss.IsError);
        Assert.False(write.IsError);
        Assert.Equal("alpha beta", File.ReadAllText(Path.Combine(_root, "f.txt")));
        Assert.False(File.Exists(Path.Combine(_root, "new.txt")));
        Assert.Equal(["f.txt", "new.txt"], staging.Staged.Select(s => s.Path));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
