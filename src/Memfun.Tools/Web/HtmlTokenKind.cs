namespace Memfun.Tools.Web;

/// <summary>What <see cref="HtmlTokenizer.Next"/> found.</summary>
internal enum HtmlTokenKind : byte
{
    /// <summary>Character data (may hold character references when <see cref="HtmlTokenizer.HasReferences"/>).</summary>
    Text,

    /// <summary>A start tag.</summary>
    StartTag,

    /// <summary>An end tag.</summary>
    EndTag,
}
