using System.Text;
using System.Text.Json;

namespace Memfun.McpServer.Mcp;

/// <summary>
/// Explains, from a tool's input schema, what is wrong with the arguments a call sent: which argument has the wrong
/// JSON type, which required one is missing, which names the tool does not know. Used when binding the arguments
/// failed, so a model reads "'path' must be a string (got a number)" instead of a serializer's message.
/// </summary>
internal static class ArgumentProblems
{
    /// <summary>The message for a call whose arguments failed with <paramref name="failure"/>: the problems the schema
    /// finds (a missing or mistyped argument replaces the failure's own text; unknown names are added to it), then
    /// the tool's arguments with their types.</summary>
    public static string Explain(string failure, JsonElement inputSchema, IDictionary<string, JsonElement>? arguments)
    {
        var (missing, mistyped, unknown, signature) = Find(inputSchema, arguments);
        var problems = missing.Concat(mistyped).ToList();
        if (problems.Count > 0)
        {
            return string.Join("; ", problems.Concat(unknown)) + ". " + signature;
        }

        return unknown.Count > 0 ? $"{failure} ({string.Join("; ", unknown)}. {signature})" : failure;
    }

    /// <summary>
    /// What is wrong with the names of a call's arguments, checked before the tool runs (so before it looks for a
    /// model): a required argument missing, a name the tool does not know. Null when nothing is; else the problems
    /// and the tool's arguments with their types. Types are left to binding, which explains them with <see cref="Explain"/>.
    /// </summary>
    public static string? BeforeCall(JsonElement inputSchema, IDictionary<string, JsonElement>? arguments)
    {
        var (missing, _, unknown, signature) = Find(inputSchema, arguments);
        return missing.Count + unknown.Count == 0 ? null : string.Join("; ", missing.Concat(unknown)) + ". " + signature;
    }

    private static (List<string> Missing, List<string> Mistyped, List<string> Unknown, string Signature) Find(JsonElement inputSchema, IDictionary<string, JsonElement>? arguments)
    {
        if (inputSchema.ValueKind != JsonValueKind.Object || !inputSchema.TryGetProperty("properties", out var properties)
            || properties.ValueKind != JsonValueKind.Object)
        {
            return ([], [], [], "");
        }

        var required = inputSchema.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal)
            : [];
        var missing = new List<string>();
        var problems = new List<string>();
        var unknown = new List<string>();
        foreach (var name in required)
        {
            if (arguments is null || !arguments.TryGetValue(name, out var v) || v.ValueKind == JsonValueKind.Undefined)
            {
                missing.Add($"'{name}' is required");
            }
        }

        foreach (var (name, value) in arguments ?? new Dictionary<string, JsonElement>())
        {
            if (!properties.TryGetProperty(name, out var schema))
            {
                unknown.Add($"'{name}' is not an argument of this tool");
                continue;
            }

            var types = TypesOf(schema);
            if (types.Count > 0 && !types.Any(t => Fits(t, value)))
            {
                problems.Add($"'{name}' must be {string.Join(" or ", types.Where(t => t != "null").Select(Article))} (got {Describe(value)})");
            }
        }

        var signature = properties.EnumerateObject().Any()
            ? new StringBuilder("Arguments: ").AppendJoin(", ", properties.EnumerateObject().Select(p =>
                $"{p.Name} ({string.Join("|", TypesOf(p.Value).Where(t => t != "null"))}{(required.Contains(p.Name) ? ", required" : "")})")).Append('.').ToString()
            : "This tool takes no arguments.";
        return (missing, problems, unknown, signature);
    }

    private static List<string> TypesOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out var type))
        {
            return [];
        }

        return type.ValueKind switch
        {
            JsonValueKind.String => [type.GetString()!],
            JsonValueKind.Array => type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!).ToList(),
            _ => [],
        };
    }

    private static bool Fits(string type, JsonElement value) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "array" => value.ValueKind == JsonValueKind.Array,
        "object" => value.ValueKind == JsonValueKind.Object,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    private static string Article(string type) => type switch
    {
        "integer" or "array" or "object" => "an " + type,
        _ => "a " + type,
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "an integer" : "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
