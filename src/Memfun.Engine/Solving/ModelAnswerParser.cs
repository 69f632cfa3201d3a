using System.Text.Json;
using Memfun.Engine.Llm;

namespace Memfun.Engine.Solving;

/// <summary>
/// Reads the model's JSON answers and validates them strictly against the schemas in
/// <see cref="SolverPrompts"/>: the operations of a solve/fix/polish answer, the planner's lists and the
/// review verdict. The object is found by <see cref="ModelJson"/> (alone, fenced or in prose); anything malformed is
/// refused with a message saying exactly what was wrong.
/// </summary>
/// <remarks>Pure and thread-safe. The answer is untrusted input.</remarks>
internal static class ModelAnswerParser
{
    private const int MaxOperations = 200;

    /// <summary>Parses a change answer: <c>{"summary": string, "operations": [...]}</c>.</summary>
    /// <exception cref="MalformedAnswerException">The answer does not match the schema.</exception>
    public static (string Summary, IReadOnlyList<FileOperation> Operations) ParseOperations(string text, bool editOnly)
    {
        using var doc = ModelJson.Parse(text);
        var root = doc.RootElement;
        Only(root, "answer", "summary", "operations");
        var summary = OptionalString(root, "summary", "answer") ?? string.Empty;
        if (!root.TryGetProperty("operations", out var ops) || ops.ValueKind != JsonValueKind.Array)
        {
            throw new MalformedAnswerException("the answer has no \"operations\" array");
        }

        if (ops.GetArrayLength() > MaxOperations)
        {
            throw new MalformedAnswerException($"the answer has {ops.GetArrayLength()} operations; at most {MaxOperations} are accepted");
        }

        var result = new List<FileOperation>();
        var i = 0;
        foreach (var op in ops.EnumerateArray())
        {
            i++;
            var where = $"operation {i}";
            if (op.ValueKind != JsonValueKind.Object)
            {
                throw new MalformedAnswerException($"{where} is not an object");
            }

            var kind = RequiredString(op, "op", where);
            switch (kind)
            {
                case "write" when !editOnly:
                    Only(op, where, "op", "path", "content");
                    result.Add(FileOperation.Write(RequiredString(op, "path", where, nonEmpty: true), RequiredString(op, "content", where)));
                    break;
                case "edit":
                    Only(op, where, "op", "path", "old", "new");
                    result.Add(FileOperation.Edit(RequiredString(op, "path", where, nonEmpty: true), RequiredString(op, "old", where, nonEmpty: true), RequiredString(op, "new", where)));
                    break;
                case "run" when !editOnly:
                    Only(op, where, "op", "command");
                    result.Add(FileOperation.Run(RequiredString(op, "command", where, nonEmpty: true)));
                    break;
                case "write" or "run":
                    throw new MalformedAnswerException($"{where} is a \"{kind}\" operation, but only \"edit\" operations are allowed in this pass");
                default:
                    throw new MalformedAnswerException($"{where} has op \"{kind}\"; expected \"write\", \"edit\" or \"run\"");
            }
        }

        return (summary, result);
    }

    /// <summary>Parses the planner's answer: <c>{"read": [paths], "search": [patterns], "web": [queries]}</c>.</summary>
    public static (IReadOnlyList<string> Read, IReadOnlyList<string> Search, IReadOnlyList<string> Web) ParsePlan(string text)
    {
        using var doc = ModelJson.Parse(text);
        var root = doc.RootElement;
        Only(root, "plan", "read", "search", "web", "reason");
        return (Strings(root, "read", 60), Strings(root, "search", 20), Strings(root, "web", 5));
    }

    /// <summary>Parses a review: <c>{"verdict": "ok" | "needs_changes", "problems": [strings], "summary": string?}</c>.</summary>
    public static (ReviewVerdict Verdict, string? Summary) ParseReview(string text)
    {
        using var doc = ModelJson.Parse(text);
        var root = doc.RootElement;
        Only(root, "review", "verdict", "problems", "summary");
        var verdict = RequiredString(root, "verdict", "the review").Trim().ToLowerInvariant();
        if (verdict is not ("ok" or "needs_changes"))
        {
            throw new MalformedAnswerException($"the review's verdict is \"{verdict}\"; expected \"ok\" or \"needs_changes\"");
        }

        var problems = Strings(root, "problems", 50);
        return (new ReviewVerdict(verdict == "ok", verdict, problems), OptionalString(root, "summary", "review"));
    }

    private static void Only(JsonElement obj, string where, params string[] allowed)
    {
        foreach (var p in obj.EnumerateObject())
        {
            if (Array.IndexOf(allowed, p.Name) < 0)
            {
                throw new MalformedAnswerException($"{where} has an unexpected field \"{p.Name}\"; allowed: {string.Join(", ", allowed)}");
            }
        }
    }

    private static string RequiredString(JsonElement obj, string name, string where, bool nonEmpty = false)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.String)
        {
            throw new MalformedAnswerException($"{where} needs a string field \"{name}\"");
        }

        var s = v.GetString()!;
        if (nonEmpty && string.IsNullOrWhiteSpace(s))
        {
            throw new MalformedAnswerException($"{where} has an empty \"{name}\"");
        }

        return s;
    }

    private static string? OptionalString(JsonElement obj, string name, string where)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw new MalformedAnswerException($"the {where}'s \"{name}\" is not a string");
    }

    private static List<string> Strings(JsonElement obj, string name, int max)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (v.ValueKind != JsonValueKind.Array || v.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            throw new MalformedAnswerException($"\"{name}\" must be an array of strings");
        }

        return [.. v.EnumerateArray().Select(e => e.GetString()!).Where(s => !string.IsNullOrWhiteSpace(s)).Take(max)];
    }
}
