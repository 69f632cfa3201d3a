namespace Memfun.Engine.Runtime.Stored;

/// <summary>Splits text into lower-case word tokens (letters and digits) for the text searches.</summary>
internal static class TextTokens
{
    public static List<string> Of(string text)
    {
        var tokens = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var word = i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_');
            if (word && start < 0)
            {
                start = i;
            }
            else if (!word && start >= 0)
            {
                tokens.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }

        return tokens;
    }
}
