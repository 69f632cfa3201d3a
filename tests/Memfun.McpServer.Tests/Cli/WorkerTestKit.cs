using System.Text.Json;
using Memfun.Engine.Runtime;
using Memfun.Engine.Runtime.Abstractions;
using Memfun.Engine.Runtime.Workers;

namespace Memfun.McpServer.Tests.Cli;

/// <summary>What the worker tests read back: results (one record per task) and task events.</summary>
internal static class WorkerTestKit
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>Waits until <paramref name="count"/> results are recorded (fails after <paramref name="limit"/>).</summary>
    public static async Task<List<TaskResult>> WaitForResultsAsync(RuntimeBackend backend, int count, TimeSpan limit)
    {
        var store = backend.StateStore(RuntimeAreas.Results);
        var deadline = DateTime.UtcNow + limit;
        List<TaskResult> results;
        do
        {
            results = [];
            await foreach (var e in store.ListAsync(""))
            {
                results.Add(JsonSerializer.Deserialize<TaskResult>(e.Value.Span, Web)!);
            }

            if (results.Count >= count)
            {
                return results;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"Only {results.Count} of {count} tasks completed within {limit.TotalSeconds:0} s.");
    }

    /// <summary>Every event so far on <paramref name="pattern"/> (durable replay from the beginning).</summary>
    public static async Task<List<(string Topic, JsonElement Body)>> ReplayAsync(RuntimeBackend backend, string pattern, int expectedAtLeast)
    {
        await using var sub = await backend.EventBus.SubscribeAsync(pattern, new SubscribeOptions(From: 0));
        var events = new List<(string, JsonElement)>();
        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await foreach (var e in sub.ReadAllAsync(quiet.Token))
            {
                events.Add((e.Topic, JsonDocument.Parse(e.Data).RootElement.Clone()));
                if (events.Count >= expectedAtLeast)
                {
                    // Catch stragglers (duplicates would show up here), then stop.
                    quiet.CancelAfter(TimeSpan.FromMilliseconds(500));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Done reading.
        }

        return events;
    }
}
