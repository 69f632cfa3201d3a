using System.Text.Json;

namespace Memfun.Engine.Llm;

/// <summary>
/// The one reader of the JSON object in a model's answer, for every caller that asks a model for JSON (the solver,
/// the workflow's decomposer and reviewer, the memory learner): the object may stand alone, sit in a markdown code
/// fence, or be wrapped in prose. Anything else is refused with one set of messages saying what was wrong.
/// </summary>
/// <remarks>Pure and thread-safe. The answer is untrusted input: nesting is capped and comments are refused.</remarks>
internal static class ModelJson
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>The JSON object in <paramref name="text"/>.</summary>
    /// <exception cref="MalformedAnswerException">There is no object, or it is not valid JSON (for example cut off).</exception>
    public static JsonDocument Parse(string? text)
    {
        var json = ObjectText(text);
        try
        {
            var doc = JsonDocument.Parse(json, DocumentOptions);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                doc.Dispose();
                throw new MalformedAnswerException("the answer is JSON but not an object");
            }

            return doc;
        }
        catch (JsonException ex)
        {
            throw new MalformedAnswerException($"the answer is not valid JSON ({ex.Message.Split(" Path:", 2)[0].TrimEnd('.')}); it may have been cut off", ex);
        }
    }

    /// <summary>The JSON object in <paramref name="text"/> as a <typeparamref name="T"/>.</summary>
    /// <exception cref="MalformedAnswerException">There is no object, it is not valid JSON, or it does not have <typeparamref name="T"/>'s shape.</exception>
    public static T Deserialize<T>(string? text, JsonSerializerOptions options)
    {
        using var doc = Parse(text);
        try
        {
            return doc.RootElement.Deserialize<T>(options) ?? throw new MalformedAnswerException("the answer is an empty JSON value");
        }
        catch (JsonException ex)
        {
            throw new MalformedAnswerException($"the answer's JSON does not have the expected shape at {ex.Path ?? "$"}", ex);
        }
    }

    /// <summary>The text of the object: from the first '{' (inside the first code fence, when the answer is fenced) to its matching '}'.</summary>
    private static string ObjectText(string? text)
    {
        var t = (text ?? string.Empty).Trim();
        if (t.Length == 0)
        {
            throw new MalformedAnswerException("the answer is empty");
        }

        var fence = t.IndexOf("```", StringComparison.Ordinal);
        if (!t.StartsWith('{') && fence >= 0)
        {
            var start = t.IndexOf('\n', fence);
            var end = start < 0 ? -1 : t.IndexOf("```", start, StringComparison.Ordinal);
            t = start < 0 ? t[(fence + 3)..] : end < 0 ? t[(start + 1)..] : t[(start + 1)..end];
        }

        var open = t.IndexOf('{', StringComparison.Ordinal);
        if (open < 0)
        {
            throw new MalformedAnswerException("the answer contains no JSON object");
        }

        var depth = 0;
        var inString = false;
        for (var i = open; i < t.Length; i++)
        {
            var c = t[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && --depth == 0)
            {
                return t[open..(i + 1)];
            }
        }

        return t[open..]; // Unbalanced: parsing it says where it was cut off.
    }
}
