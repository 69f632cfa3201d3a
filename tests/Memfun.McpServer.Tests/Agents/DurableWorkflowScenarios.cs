using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Memfun.McpServer.Tests.Infrastructure;
using Memfun.Testing;
using ModelContextProtocol.Client;

namespace Memfun.McpServer.Tests.Agents;

/// <summary>
/// Workflows that survive their coordinator, all real processes: <c>memfun serve --http</c> on a workspace, driven by the
/// C# SDK's client, its model an OpenAI-compatible stub server scripted per task; the server is SIGKILLed at a point
/// an event picks (the model asked for a task's step, or the server paused at a fault point), started again on the same
/// store, and the workflow resumed or cancelled. Each tier runs the same scenarios through <see cref="Backend"/>.
/// </summary>
/// <remarks>
/// The workflow: t1 edits calc.py (adds mul), t2 (after t1) writes test_calc.py, t3 (after t2) writes NOTES.md. Applying
/// t1's edit twice would add mul twice, so a double apply shows in the file.
/// </remarks>
public abstract partial class DurableWorkflowScenarios
{
    private const string Calc = "def add(a, b):\n    return a + b\n";
    private const string CalcAfter = "def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n    return a * b\n";
    private const string TestCalc = "from calc import mul\n\n\ndef test_mul():\n    assert mul(2, 3) == 6\n";
    private const string Notes = "# Notes\n\ncalc.py has add and mul.\n";

    /// <summary>The backend's settings for a server (the runtime tier and where it is), with a prefix of its own.</summary>
    protected abstract Dictionary<string, string?> Backend(string prefix);

    /// <summary>What the stub model was asked: each task's first turn, by step number.</summary>
    private readonly ConcurrentQueue<int> _firstTurns = new();

    [Fact]
    public async Task A_coordinator_killed_mid_workflow_is_resumed_by_a_new_one_to_the_same_end_without_running_finished_tasks_again()
    {
        using var ws = Workspace();
        var (id, model, second) = await KilledDuringStepTwoAsync(ws);
        using var stub = model;
        await using var restarted = second;
        await using var client = await second.ConnectAsync();
        var listed = Structured(await client.CallToolAsync("workflow_status", new Dictionary<string, object?>()));
        Assert.Contains(listed.GetProperty("recent").EnumerateArray(), l => l.GetString()!.StartsWith($"{id} interrupted ", StringComparison.Ordinal));
        var status = Structured(await client.CallToolAsync("workflow_status", new Dictionary<string, object?> { ["id"] = id }));
        Assert.Equal("interrupted", status.GetProperty("state").GetString());
        Assert.Equal(["completed", "pending", "pending"], status.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("state").GetString()));
        Assert.Contains("workflow_control resume", Hint(status), StringComparison.Ordinal);
        Assert.Equal(Calc, ws.Read("calc.py")); // nothing is applied before every task is done

        var resumed = await client.CallToolAsync("workflow_control", new Dictionary<string, object?> { ["id"] = id, ["action"] = "resume" });

        AssertFinished(ws, resumed, second);
        Assert.Equal([1, 2, 2, 3], _firstTurns.Order()); // t1 ran once; t2 again after the kill; t3 once
        var after = Structured(await client.CallToolAsync("workflow_status", new Dictionary<string, object?> { ["id"] = id }));
        Assert.Equal("completed", after.GetProperty("state").GetString());
        Assert.All(after.GetProperty("tasks").EnumerateArray(), t => Assert.Equal("completed", t.GetProperty("state").GetString()));
        var again = await client.CallToolAsync("workflow_control", new Dictionary<string, object?> { ["id"] = id, ["action"] = "resume" });
        Assert.True(again.IsError);
        Assert.Contains("already ended (completed)", again.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_coordinator_killed_between_applying_a_change_and_recording_it_applies_it_once_on_resume()
    {
        using var ws = Workspace();
        var prefix = "dwf" + Guid.NewGuid().ToString("N")[..10];
        using var model = new StubModelServer { Respond = body => Answer(body, holdStep: 0, null) };
        var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var id = await RunUntilKilledAsync(ws, model, prefix, paused.Task, extra: ("MEMFUN_FAULT_PAUSE", "workflow.applied"), onStderr: line =>
        {
            if (line.Contains("paused at fault point workflow.applied", StringComparison.Ordinal))
            {
                paused.TrySetResult();
            }
        });
        Assert.Equal(CalcAfter, ws.Read("calc.py")); // t1's edit was applied; its journal entry still says "intent"
        Assert.False(File.Exists(Path.Combine(ws.Path, "test_calc.py")));

        await using var second = await MemfunServerProcess.StartHttpAsync(ws.Path, environment: Environment(model, prefix, null));
        await using var client = await second.ConnectAsync();
        var status = Structured(await client.CallToolAsync("workflow_status", new Dictionary<string, object?> { ["id"] = id }));
        Assert.Equal("interrupted", status.GetProperty("state").GetString());
        Assert.Contains("while it was applying", Hint(status), StringComparison.Ordinal);

        var resumed = await client.CallToolAsync("workflow_control", new Dictionary<string, object?> { ["id"] = id, ["action"] = "resume" });

        AssertFinished(ws, resumed, second);
        Assert.Equal([1, 2, 3], _firstTurns.Order()); // no task ran again
    }

    [Fact]
    public async Task A_workflow_whose_coordinator_was_killed_can_be_cancelled_and_then_neither_runs_nor_applies_anything()
    {
        using var ws = Workspace();
        var (id, model, second) = await KilledDuringStepTwoAsync(ws);
        using var stub = model;
        await using var restarted = second;
        await using var client = await second.ConnectAsync();
        var cancelled = await client.CallToolAsync("workflow_control", new Dictionary<string, object?> { ["id"] = id, ["action"] = "cancel" });

        Assert.True(cancelled.IsError is null or false, cancelled.Text());
        Assert.StartsWith($"Workflow {id} is cancelled (cancelled with workflow_control at ", cancelled.Text(), StringComparison.Ordinal);
        var status = Structured(await client.CallToolAsync("workflow_status", new Dictionary<string, object?> { ["id"] = id }));
        Assert.Equal("cancelled", status.GetProperty("state").GetString());
        Assert.StartsWith("(cancelled) cancelled with workflow_control", Hint(status), StringComparison.Ordinal);
        var resume = await client.CallToolAsync("workflow_control", new Dictionary<string, object?> { ["id"] = id, ["action"] = "resume" });
        Assert.True(resume.IsError);
        Assert.Contains("already ended (cancelled)", resume.Text(), StringComparison.Ordinal);
        var twice = await client.CallToolAsync("workflow_control", new Dictionary<string, object?> { ["id"] = id, ["action"] = "cancel" });
        Assert.True(twice.IsError);
        Assert.Equal(Calc, ws.Read("calc.py"));
        Assert.False(File.Exists(Path.Combine(ws.Path, "test_calc.py")));
        Assert.Equal([1, 2], _firstTurns.Order());
    }

    /// <summary>What an uninterrupted run ends with, which a resumed one must end with too.</summary>
    protected static void AssertFinished(TempWorkspace ws, ModelContextProtocol.Protocol.CallToolResult result, HttpServerProcess server)
    {
        Assert.False(result.IsError, result.Text() + "\n" + server.StandardError);
        var report = Structured(result);
        Assert.Equal("completed", report.GetProperty("status").GetString());
        var tasks = report.GetProperty("tasks").EnumerateArray().ToList();
        Assert.Equal(["t1", "t2", "t3"], tasks.Select(t => t.GetProperty("id").GetString()));
        Assert.Equal(["Finished step 1.", "Finished step 2.", "Finished step 3."], tasks.Select(t => t.GetProperty("output").GetString()));
        Assert.Equal(
            ["edit_file calc.py (task t1)", "write_file test_calc.py (task t2)", "write_file NOTES.md (task t3)"],
            report.GetProperty("applied").EnumerateArray().Select(a => a.GetString()));
        Assert.Empty(report.GetProperty("conflicts").EnumerateArray());
        Assert.Equal(CalcAfter, ws.Read("calc.py"));
        Assert.Equal(TestCalc, ws.Read("test_calc.py"));
        Assert.Equal(Notes, ws.Read("NOTES.md"));
    }

    /// <summary>An uninterrupted run of the same workflow, for <see cref="AssertFinished"/> to be checked against.</summary>
    protected async Task RunUninterruptedAsync()
    {
        using var ws = Workspace();
        using var model = new StubModelServer { Respond = body => Answer(body, holdStep: 0, null) };
        await using var server = await MemfunServerProcess.StartHttpAsync(ws.Path, environment: Environment(model, "dwf" + Guid.NewGuid().ToString("N")[..10], null));
        await using var client = await server.ConnectAsync();
        var result = await client.CallToolAsync("orchestrate", new Dictionary<string, object?> { ["task"] = "Add mul to calc.py, test it, note it", ["tier"] = "workflow" });
        AssertFinished(ws, result, server);
        Assert.Equal([1, 2, 3], _firstTurns.Order());
    }

    /// <summary>
    /// Runs the workflow until step 2 asks the model (step 1 is done and recorded), SIGKILLs the server there and starts a
    /// second one on the same workspace and store.
    /// </summary>
    private async Task<(string Id, StubModelServer Model, HttpServerProcess Second)> KilledDuringStepTwoAsync(TempWorkspace ws)
    {
        var prefix = "dwf" + Guid.NewGuid().ToString("N")[..10];
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var model = new StubModelServer { Respond = body => Answer(body, holdStep: 2, holding) };
        var id = await RunUntilKilledAsync(ws, model, prefix, holding.Task, extra: null);
        return (id, model, await MemfunServerProcess.StartHttpAsync(ws.Path, environment: Environment(model, prefix, null)));
    }

    /// <summary>Starts the first server, starts the workflow, SIGKILLs the server once <paramref name="killWhen"/> happens; returns the workflow id.</summary>
    private async Task<string> RunUntilKilledAsync(
        TempWorkspace ws, StubModelServer model, string prefix, Task killWhen, (string Key, string Value)? extra, Action<string>? onStderr = null)
    {
        var first = await MemfunServerProcess.StartHttpAsync(ws.Path, environment: Environment(model, prefix, extra));
        if (onStderr is not null)
        {
            first.Process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { onStderr(e.Data); } };
        }

        try
        {
            var client = await first.ConnectAsync();
            var run = client.CallToolAsync("orchestrate", new Dictionary<string, object?> { ["task"] = "Add mul to calc.py, test it, note it", ["tier"] = "workflow" }).AsTask();
            await Task.WhenAny(killWhen, run);
            Assert.True(killWhen.IsCompleted, "the workflow ended before the kill point: " + (run.IsCompletedSuccessfully ? run.Result.Text() : run.Exception?.Message) + "\n" + first.StandardError);
            var listed = Structured(await client.CallToolAsync("workflow_status", new Dictionary<string, object?>()));
            var id = WorkflowId().Match(listed.GetProperty("recent")[0].GetString()!).Value;
            Assert.StartsWith("wf-", id, StringComparison.Ordinal);

            first.Process.Kill(entireProcessTree: true); // SIGKILL
            await first.Process.WaitForExitAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => run);
            try
            {
                await client.DisposeAsync();
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
            {
                // Its server is gone.
            }

            return id;
        }
        finally
        {
            await first.DisposeAsync();
        }
    }

    private Dictionary<string, string?> Environment(StubModelServer model, string prefix, (string Key, string Value)? extra)
    {
        var env = new Dictionary<string, string?>(Backend(prefix))
        {
            ["MEMFUN_LLM__PROVIDER"] = "openai",
            ["MEMFUN_LLM__MODEL"] = "stub-model",
            ["MEMFUN_LLM__BASE_URL"] = model.BaseUrl.ToString(),
            ["MEMFUN_LLM__RETRY_BASE_DELAY_MS"] = "1",
            ["MEMFUN_LLM__API_KEY_ENV"] = "MEMFUN_TEST_STUB_KEY",
            ["MEMFUN_TEST_STUB_KEY"] = "sk-stub",
        };
        if (extra is { } e)
        {
            env[e.Key] = e.Value;
        }

        return env;
    }

    /// <summary>
    /// The model: the decomposer's three-step plan, the review's approval, and each step's one change then its report. The
    /// first turn of step <paramref name="holdStep"/> is held (the server is killed while it waits) and signals <paramref name="holding"/>.
    /// </summary>
    private StubModelServer.Reply Answer(string body, int holdStep, TaskCompletionSource? holding)
    {
        if (body.Contains("You decompose", StringComparison.Ordinal))
        {
            return StubModelServer.OpenAiReply("""
                {"tasks":[
                  {"id":"t1","description":"[S1] Add mul(a, b) to calc.py","agent":"coder"},
                  {"id":"t2","description":"[S2] Write test_calc.py for mul","agent":"coder","depends_on":["t1"]},
                  {"id":"t3","description":"[S3] Write NOTES.md","agent":"coder","depends_on":["t2"]}
                ]}
                """);
        }

        if (body.Contains("You review the outputs of several agents", StringComparison.Ordinal))
        {
            return StubModelServer.OpenAiReply("""{"ok": true, "summary": "Consistent.", "revisions": []}""");
        }

        var step = Step().Match(body) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        if (body.Contains("\"role\":\"tool\"", StringComparison.Ordinal))
        {
            return StubModelServer.OpenAiReply($"Finished step {step}.");
        }

        _firstTurns.Enqueue(step);
        var call = step switch
        {
            1 => new StubModelServer.ToolCall("c1", "edit_file", new { path = "calc.py", old_text = "    return a + b\n", new_text = "    return a + b\n\n\ndef mul(a, b):\n    return a * b\n" }),
            2 => new StubModelServer.ToolCall("c2", "write_file", new { path = "test_calc.py", content = TestCalc }),
            3 => new StubModelServer.ToolCall("c3", "write_file", new { path = "NOTES.md", content = Notes }),
            _ => null,
        };
        if (call is null)
        {
            return new StubModelServer.Reply(500, "{\"error\": {\"message\": \"unexpected request\"}}");
        }

        var reply = StubModelServer.OpenAiTurn(null, [call]);
        if (step == holdStep && holding is not null && holding.TrySetResult())
        {
            return reply with { Delay = TimeSpan.FromMinutes(10) };
        }

        return reply;
    }

    private static TempWorkspace Workspace()
    {
        var ws = new TempWorkspace("memfun-durable");
        ws.Write("calc.py", Calc);
        return ws;
    }

    /// <summary>The last event line of a workflow_status report: the hint on what to do with it, or how it ended.</summary>
    private static string Hint(JsonElement status) => status.GetProperty("events").EnumerateArray().Last().GetString()!;

    private static JsonElement Structured(ModelContextProtocol.Protocol.CallToolResult result) =>
        result.StructuredContent is { } s ? s : throw new Xunit.Sdk.XunitException("no structured content: " + result.Text());

    [GeneratedRegex(@"\[S(\d)\]")]
    private static partial Regex Step();

    [GeneratedRegex(@"^wf-[0-9a-f]+")]
    private static partial Regex WorkflowId();
}
