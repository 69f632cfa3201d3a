namespace Memfun.Engine.Orchestration;

/// <summary>Finds the JSON object in a model's answer (which may wrap it in prose or a code fence).</summary>
internal static class JsonText
{
    /// <summary>The text from the first '{' to its matching '}', or the whole text when there is none.</summary>
    public static string ExtractObject(string text)
    {
        var start = text.IndexOf('{', StringComparison.Ordinal);
        if (start < 0)
        {
            return text;
        }

        var depth = 0;
        var inString = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
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

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '{':
                    depth++;
                    break;
                case '}':
                    if (--depth == 0)
                    {
                        return text[start..(i + 1)];
                    }

                    break;
            }
        }

        return text[start..];
    }
}
