namespace Memfun.Tools.Web;

/// <summary>What <see cref="HtmlTokenizer.ScanAttribute"/> found at a position inside a tag.</summary>
internal enum HtmlAttributeScan : byte
{
    /// <summary>An attribute, with or without a value.</summary>
    Attribute,

    /// <summary>The tag's closing <c>&gt;</c>.</summary>
    TagEnd,

    /// <summary>The tag's closing <c>/&gt;</c>.</summary>
    SelfClosingEnd,

    /// <summary>The page ended inside the tag.</summary>
    EndOfInput,
}
