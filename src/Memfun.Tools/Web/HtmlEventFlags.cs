namespace Memfun.Tools.Web;

/// <summary>Facts about an <see cref="HtmlEvent"/>.</summary>
[Flags]
internal enum HtmlEventFlags : byte
{
    /// <summary>Nothing noted.</summary>
    None = 0,

    /// <summary>The event closes an element.</summary>
    End = 1,

    /// <summary>Text holding an ampersand: decode character references before use.</summary>
    References = 2,

    /// <summary>The element carries <c>hidden</c> or <c>aria-hidden="true"</c>.</summary>
    Hidden = 4,

    /// <summary>The element carries <c>role="main"</c>.</summary>
    RoleMain = 8,

    /// <summary>The element was implied by the builder (no tag in the source).</summary>
    Implied = 16,

    /// <summary>An <c>svg</c> or <c>math</c> element opened from HTML content: foreign content starts here.</summary>
    ForeignRoot = 32,

    /// <summary>Written inside a table but outside its cells: a browser shows it before the table.</summary>
    Fostered = 64,

    /// <summary>The table holds <see cref="Fostered"/> content.</summary>
    HasFostered = 128,
}
