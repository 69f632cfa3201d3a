using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace Memfun.Engine.Repl.Host;

/// <summary>Turns script values into text: whole (for FINAL and return values) or as a short preview.</summary>
internal static class ValueDisplay
{
    private static readonly JsonSerializerOptions Json = new() { IncludeFields = true, MaxDepth = 16 };

    /// <summary>The value as text: strings as they are, scalars invariant, everything else as JSON when it serializes.</summary>
    public static string Format(object? value)
    {
        switch (value)
        {
            case null:
                return "null";
            case string s:
                return s;
            case IFormattable f when value.GetType().IsPrimitive || value is decimal or DateTime or DateTimeOffset or Guid or TimeSpan:
                return f.ToString(null, CultureInfo.InvariantCulture);
            case Delegate d:
                return $"<{ScriptTypeNames.Display(d.GetType())}>";
        }

        if (value.GetType().IsEnum)
        {
            return value.ToString() ?? string.Empty;
        }

        try
        {
            return JsonSerializer.Serialize(value, value.GetType(), Json);
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
        {
            return value.ToString() ?? value.GetType().Name;
        }
    }

    /// <summary>A summary: type, size and up to <paramref name="previewChars"/> characters of the value.</summary>
    public static ReplVariable Summarize(string name, object? value, Type declared, int previewChars = 100)
    {
        var type = value?.GetType() ?? declared;
        long size = value switch
        {
            string s => s.Length,
            Array a => a.Length,
            ICollection c => c.Count,
            _ => -1,
        };

        string preview;
        if (value is IEnumerable e and not string and not IDictionary && size < 0)
        {
            preview = "<lazy sequence>";
        }
        else if (value is Delegate)
        {
            preview = "<function>";
        }
        else
        {
            string text;
            try
            {
                text = value is ICollection { Count: > 50 } big
                    ? Format(big.Cast<object?>().Take(20).ToList()) + " ..."
                    : Format(value);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                text = $"<{ex.GetType().Name}>";
            }

            preview = text.Length <= previewChars ? text : string.Concat(text.AsSpan(0, previewChars), "...");
        }

        return new ReplVariable
        {
            Name = name,
            Type = ScriptTypeNames.Display(type),
            Size = size,
            Preview = preview.ReplaceLineEndings("\\n"),
        };
    }
}
