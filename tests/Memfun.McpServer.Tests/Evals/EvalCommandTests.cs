using System.Text.Json;
using Memfun.Engine.Tests.Runtime.Servers;
using Memfun.McpServer.Evals;
using Memfun.McpServer.Tests.Infrastructure;
using Memfun.Testing;

namespace Memfun.McpServer.Tests.Evals;

/// <summary>
/// <c>memfun eval</c> as the real executable: usage errors, and the same suite in one process and across three
/// <c>memfun worker --kinds eval_task</c> processes on a real NATS server giving the same report.
/// </summary>
[Collection(NatsCollection.Name)]
public sealed class EvalCommandTests(NatsServerFixture nats)
{
    [Theory]
    [InlineData("eval")]
    [InlineData("eval", "no-such-suite")]
    [InlineData("eval", "suite", "--parallel", "0")]
    [InlineData("eval", "suite", "--tasks", "nope")]
    [InlineData("eval", "suite", "--via-workers", "--backend", "in-process")]
    public async Task A_usage_error_exits_2_with_a_message(params string[] args)
    {
        using var ws = new TempWorkspace("memfun-eval");
        EvalFixtures.WriteSuite(ws.Path);

        var (exit, _, stderr) = await MemfunServerProcess.RunCommandAsync(ws.Path, new Dictionary<string, string?>(), null, args);

        Assert.True(exit == 2, stderr);
        Assert.StartsWith("memfun: ", stderr.Split('\n').First(l => l.StartsWith("memfun", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_suite_on_three_workers_over_nats_gives_the_same_report_as_in_one_process()
    {
        using var ws = new TempWorkspace("memfun-eval");
        var suitePath = EvalFixtures.WriteSuite(ws.Path);
        var answers = await EvalScriptedModels.ReferenceAnswersAsync(EvalSuiteLoader.Load(suitePath));
        using var stub = new StubModelServer { RespondTo = EvalScriptedModels.Reference(answers) };
        var env = stub.ClientEnvironment();
        var prefix = "e" + Guid.NewGuid().ToString("N")[..10];
        string[] backend = ["--backend", "nats", "--url", nats.Url, "--prefix", prefix];

        var (exit, stdout, stderr) = await MemfunServerProcess.RunCommandAsync(ws.Path, env, null, ["eval", suitePath, "-o", ws.Full("one")]);
        Assert.True(exit == 0, stderr + stdout);
        Assert.Contains("3/3 resolved", stdout, StringComparison.Ordinal);
        Assert.Contains($"report: {ws.Full("one/report.md")}", stdout, StringComparison.Ordinal);
        Assert.Equal(3, stderr.Split('\n').Count(l => l.StartsWith("[eval] start ", StringComparison.Ordinal)));
        Assert.Equal(3, stderr.Split('\n').Count(l => l.StartsWith("[eval] done ", StringComparison.Ordinal) && l.Contains("RESOLVED via solver", StringComparison.Ordinal)));

        await using var w0 = await WorkerProcess.StartAsync(ws.Path, "w0", env, [.. backend, "--kinds", "eval_task", "--concurrency", "1"]);
        await using var w1 = await WorkerProcess.StartAsync(ws.Path, "w1", env, [.. backend, "--kinds", "eval_task", "--concurrency", "1"]);
        await using var w2 = await WorkerProcess.StartAsync(ws.Path, "w2", env, [.. backend, "--kinds", "eval_task", "--concurrency", "1"]);
        (exit, stdout, stderr) = await MemfunServerProcess.RunCommandAsync(ws.Path, env, null, ["eval", suitePath, "--via-workers", .. backend, "--task-timeout", "3", "-o", ws.Full("workers")]);
        Assert.True(exit == 0, stderr + stdout + w0.StandardError + w1.StandardError + w2.StandardError);
        Assert.Equal(3, stderr.Split('\n').Count(l => l.StartsWith("[eval] queued ", StringComparison.Ordinal)));
        Assert.Equal(3, stderr.Split('\n').Count(l => l.StartsWith("[eval] start ", StringComparison.Ordinal) && System.Text.RegularExpressions.Regex.IsMatch(l, " on w[012]$")));
        Assert.Equal(3, stderr.Split('\n').Count(l => l.StartsWith("[eval] done ", StringComparison.Ordinal) && l.Contains("RESOLVED via solver", StringComparison.Ordinal)));

        using var one = JsonDocument.Parse(File.ReadAllText(ws.Full("one/report.json")));
        using var spread = JsonDocument.Parse(File.ReadAllText(ws.Full("workers/report.json")));
        Assert.Equal("in-process", one.RootElement.GetProperty("mode").GetString());
        Assert.Equal("workers (nats)", spread.RootElement.GetProperty("mode").GetString());
        Assert.Equal(Comparable(one.RootElement), Comparable(spread.RootElement));
        Assert.All(spread.RootElement.GetProperty("tasks").EnumerateArray(), t => Assert.Contains(t.GetProperty("ran_on").GetString(), (string[])["w0", "w1", "w2"]));
    }

    /// <summary>The report without what differs between runs by nature: times, where a task ran, the mode.</summary>
    private static string Comparable(JsonElement report)
    {
        var tasks = report.GetProperty("tasks").EnumerateArray().Select(t => new
        {
            id = t.GetProperty("id").GetString(),
            resolved = t.GetProperty("resolved").GetBoolean(),
            error = t.GetProperty("error").ToString(),
            rung = t.GetProperty("rung").GetString(),
            calls = t.GetProperty("llm_calls").GetInt32(),
            input = t.GetProperty("input_tokens").ToString(),
            output = t.GetProperty("output_tokens").ToString(),
            diff = t.GetProperty("diff").GetString(),
            tests = t.GetProperty("tests").ToString(),
        });
        var totals = report.GetProperty("totals");
        return JsonSerializer.Serialize(new
        {
            suite = report.GetProperty("suite").GetString(),
            tasks,
            resolved = totals.GetProperty("resolved").GetInt32(),
            by_rung = totals.GetProperty("resolved_by_rung").ToString(),
            calls = totals.GetProperty("llm_calls").GetInt32(),
            input = totals.GetProperty("input_tokens").ToString(),
        });
    }
}
