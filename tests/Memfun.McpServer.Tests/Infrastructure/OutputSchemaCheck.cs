using System.Collections.Concurrent;
using System.Text.Json;
using Json.Schema;

namespace Memfun.McpServer.Tests.Infrastructure;

/// <summary>
/// Validates a tool's structured result against its advertised output schema with a real JSON Schema validator
/// (JsonSchema.Net), and keeps every mismatch seen in this test run.
/// </summary>
public static class OutputSchemaCheck
{
    private static readonly ConcurrentDictionary<string, JsonSchema> Compiled = new(StringComparer.Ordinal);
    private static readonly ConcurrentQueue<string> Seen = new();

    /// <summary>Every mismatch found in this test run, as "tool: problem".</summary>
    public static IReadOnlyCollection<string> Mismatches => Seen;

    /// <summary>Null when <paramref name="instance"/> satisfies <paramref name="schema"/>; else what is wrong, by instance location.</summary>
    public static string? Problems(JsonElement schema, JsonElement instance)
    {
        var text = schema.GetRawText();
        var compiled = Compiled.GetOrAdd(text, t => JsonSchema.FromText(t));
        var results = compiled.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return null;
        }

        var problems = (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{(d.InstanceLocation.ToString() is { Length: > 0 } at ? at : "/")}: {e.Value}"))
            .Distinct()
            .ToList();
        if (results.Errors is { Count: > 0 } top)
        {
            problems.AddRange(top.Select(e => $"/: {e.Value}"));
        }

        return problems.Count > 0 ? string.Join("; ", problems) : "invalid";
    }

    internal static void Record(string tool, string problem) => Seen.Enqueue($"{tool}: {problem}");
}
