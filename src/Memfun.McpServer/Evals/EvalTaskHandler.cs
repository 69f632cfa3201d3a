using System.Collections.Concurrent;
using System.Text.Json;
using Memfun.Engine.Runtime.Workers;

namespace Memfun.McpServer.Evals;

/// <summary>
/// <c>eval_task</c> on a <c>memfun worker</c>: loads the task from its suite, runs and scores it with this node's model
/// (<c>[llm]</c> / <c>MEMFUN_LLM__*</c>), and returns the <see cref="EvalTaskResult"/> as JSON for the results store.
/// </summary>
/// <remarks>A task that cannot be run (suite missing, unknown id) is a result with its error, not a failure to retry.</remarks>
internal sealed class EvalTaskHandler(Func<EvalTaskPayload, IEvalAgent>? agentFor = null) : ITaskHandler
{
    private readonly ConcurrentDictionary<(string, string?), Lazy<EvalSuite>> _suites = new();

    public string Kind => EvalRunner.TaskKind;

    public async ValueTask<string> HandleAsync(TaskContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        EvalTaskPayload payload;
        try
        {
            payload = JsonSerializer.Deserialize<EvalTaskPayload>(context.Payload, EvalJson.Options)
                ?? throw new JsonException("empty payload");
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"An eval_task payload must be {{\"run_id\", \"suite\", \"task_id\", …}}: {ex.Message}", ex);
        }

        EvalTask task;
        try
        {
            task = _suites.GetOrAdd((payload.Suite, payload.Repos), key => new Lazy<EvalSuite>(() => EvalSuiteLoader.Load(key.Item1, key.Item2))).Value.Get(payload.TaskId);
        }
        catch (EvalSuiteException ex)
        {
            _suites.TryRemove((payload.Suite, payload.Repos), out _);
            return Serialize(new EvalTaskResult { Id = payload.TaskId, Format = "unknown", Error = ex.Message, RanOn = context.WorkerId });
        }

        var agent = agentFor?.Invoke(payload) ?? new LadderEvalAgent { Timeout = TimeSpan.FromSeconds(Math.Max(1, payload.AgentTimeoutSeconds)) };
        var runner = new EvalRunner(new EvalRunnerOptions { Agent = agent, RanOn = context.WorkerId });
        return Serialize(await runner.RunTaskAsync(task, cancellationToken).ConfigureAwait(false));
    }

    private static string Serialize(EvalTaskResult result) => JsonSerializer.Serialize(result, EvalJson.Options);
}
