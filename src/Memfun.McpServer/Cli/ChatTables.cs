using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Memfun.McpServer.Cli;

/// <summary>
/// Terminal tables for tool results the chat shows (<c>/agents</c>, <c>/workflow</c>) and the <c>memfun</c> commands
/// that list the same things, so a person reads rows, not JSON.
/// </summary>
/// <remarks>Pure and thread-safe. Reads the tool's structured content by property name (camelCase, snake_case or
/// PascalCase); returns null when the shape is not the expected one, and the caller then prints the tool's text.</remarks>
internal static class ChatTables
{
    /// <summary>One agent's row: name, iteration cap, whether it writes code, description.</summary>
    public static string AgentRow(string name, int maxIterations, bool codeProducing, string description) =>
        string.Create(CultureInfo.InvariantCulture, $"{name,-12} {maxIterations,3} iter  {(codeProducing ? "writes" : "reads "),-6}  {description}");

    /// <summary><c>list_agents</c>'s result as the table <c>memfun agent list</c> prints, with invalid files after it.</summary>
    public static string? Agents(JsonElement result)
    {
        if (Get(result, "agents") is not { ValueKind: JsonValueKind.Array } agents)
        {
            return null;
        }

        var sb = new StringBuilder();
        foreach (var a in agents.EnumerateArray())
        {
            sb.AppendLine(AgentRow(
                Str(a, "name") ?? "?",
                Get(a, "maxIterations", "max_iterations") is { ValueKind: JsonValueKind.Number } n ? n.GetInt32() : 0,
                Get(a, "codeProducing", "code_producing") is { ValueKind: JsonValueKind.True },
                Str(a, "description") ?? string.Empty));
        }

        if (Get(result, "problems") is { ValueKind: JsonValueKind.Array } problems)
        {
            foreach (var p in problems.EnumerateArray())
            {
                sb.Append("invalid: ").AppendLine(p.GetString());
            }
        }

        return sb.ToString().TrimEnd();
    }

    /// <summary><c>workflow_status</c>'s result: the recent workflows, or one workflow's tasks and its last events.</summary>
    public static string? Workflow(JsonElement result)
    {
        var sb = new StringBuilder();
        var id = Str(result, "id");
        if (id is null)
        {
            if (Get(result, "recent") is not { ValueKind: JsonValueKind.Array } recent)
            {
                return null;
            }

            foreach (var line in recent.EnumerateArray())
            {
                sb.AppendLine(line.GetString());
            }

            return sb.Length == 0 ? "no workflows yet (orchestrate starts one when the solver cannot finish a request)" : sb.ToString().TrimEnd();
        }

        sb.Append(id).Append("  ").Append(Str(result, "state") ?? "?").Append("  ").AppendLine(Str(result, "request"));
        if (Get(result, "tasks") is { ValueKind: JsonValueKind.Array } tasks)
        {
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  {"task",-10} {"agent",-12} {"state",-10} {"after",-14} description"));
            foreach (var t in tasks.EnumerateArray())
            {
                var after = Get(t, "dependsOn", "depends_on") is { ValueKind: JsonValueKind.Array } deps
                    ? string.Join(",", deps.EnumerateArray().Select(d => d.GetString()))
                    : string.Empty;
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {Str(t, "id"),-10} {Str(t, "agent"),-12} {Str(t, "state"),-10} {(after.Length == 0 ? "-" : after),-14} {Str(t, "description")}"));
            }
        }

        if (Get(result, "events") is { ValueKind: JsonValueKind.Array } events && events.GetArrayLength() > 0)
        {
            sb.AppendLine("  last events:");
            foreach (var e in events.EnumerateArray().TakeLast(10))
            {
                sb.Append("    ").AppendLine(e.GetString());
            }
        }

        return sb.ToString().TrimEnd();
    }

    private static string? Str(JsonElement e, string name) => Get(e, name) is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;

    private static JsonElement? Get(JsonElement e, params string[] names)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var p in e.EnumerateObject())
        {
            if (names.Any(n => string.Equals(n, p.Name, StringComparison.OrdinalIgnoreCase)))
            {
                return p.Value;
            }
        }

        return null;
    }
}
