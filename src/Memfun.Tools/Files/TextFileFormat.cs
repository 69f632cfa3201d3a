using System.Text;
using System.Text.Unicode;

namespace Memfun.Tools.Files;

/// <summary>How a text file is stored on disk: its encoding, whether it starts with a byte-order mark, and its dominant line ending.</summary>
/// <remarks>
/// Detected from the bytes: a UTF-16 byte-order mark means UTF-16 (little or big endian, written back the
/// same way); a UTF-8 BOM or valid UTF-8 means UTF-8; anything else is decoded as Windows-1252 (a superset of
/// Latin-1 for printable text), which never fails, so no byte is lost.
/// </remarks>
internal sealed record TextFileFormat(Encoding Encoding, bool HasBom, string LineEnding)
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>UTF-8 without BOM and LF: the format of a new file.</summary>
    public static TextFileFormat Default { get; } = new(new UTF8Encoding(false), false, "\n");

    /// <summary>Windows-1252, the fallback for bytes that are not UTF-8.</summary>
    public static Encoding Windows1252 { get; } = CodePagesEncodingProvider.Instance.GetEncoding(1252) ?? Encoding.Latin1;

    /// <summary>True when the text is decoded as UTF-8.</summary>
    public bool IsUtf8 => Encoding is UTF8Encoding;

    /// <summary>True when the text is UTF-16 (always with its byte-order mark).</summary>
    public bool IsUtf16 => Encoding is UnicodeEncoding;

    /// <summary>A name for messages: "UTF-8", "UTF-8 with BOM", "UTF-16 LE with BOM", "Windows-1252".</summary>
    public string Describe() => IsUtf16
        ? (Encoding.CodePage == Encoding.BigEndianUnicode.CodePage ? "UTF-16 BE with BOM" : "UTF-16 LE with BOM")
        : IsUtf8 ? (HasBom ? "UTF-8 with BOM" : "UTF-8") : "Windows-1252 (the file is not valid UTF-8)";

    /// <summary>The byte-order mark written before the text, or none.</summary>
    private ReadOnlySpan<byte> Bom => !HasBom ? [] : IsUtf16 ? Encoding.Preamble : Utf8Bom;

    /// <summary>
    /// The UTF-16 encoding that the first bytes announce with a byte-order mark, or null. A UTF-32 LE mark
    /// (<c>FF FE 00 00</c>) is not taken for UTF-16.
    /// </summary>
    public static Encoding? Utf16FromBom(ReadOnlySpan<byte> bytes)
    {
        if (bytes is [0xFF, 0xFE, ..] && bytes is not [_, _, 0, 0, ..])
        {
            return Encoding.Unicode;
        }

        return bytes is [0xFE, 0xFF, ..] ? Encoding.BigEndianUnicode : null;
    }

    /// <summary>"LF" or "CRLF".</summary>
    public string LineEndingName => LineEnding == "\r\n" ? "CRLF" : "LF";

    /// <summary>Detects the format of a whole file's bytes.</summary>
    public static TextFileFormat Detect(ReadOnlySpan<byte> bytes)
    {
        if (Utf16FromBom(bytes) is { } wide)
        {
            return new TextFileFormat(wide, true, DominantLineEnding(wide.GetString(bytes[2..])));
        }

        var bom = bytes.StartsWith(Utf8Bom);
        var body = bom ? bytes[3..] : bytes;
        Encoding encoding = bom || Utf8.IsValid(body) ? new UTF8Encoding(false) : Windows1252;
        return new TextFileFormat(encoding, bom, DominantLineEnding(body));
    }

    /// <summary>Decodes a whole file's bytes (without the BOM).</summary>
    public string Decode(ReadOnlySpan<byte> bytes) => Encoding.GetString(bytes.StartsWith(Bom) ? bytes[Bom.Length..] : bytes);

    /// <summary>Encodes text in this format, with the BOM when the format has one.</summary>
    public byte[] Encode(string text)
    {
        var body = Encoding.GetBytes(text);
        if (!HasBom)
        {
            return body;
        }

        var bom = Bom;
        var all = new byte[body.Length + bom.Length];
        bom.CopyTo(all);
        body.CopyTo(all, bom.Length);
        return all;
    }

    /// <summary>"\r\n" when most line breaks of decoded text are CRLF, "\n" otherwise.</summary>
    public static string DominantLineEnding(ReadOnlySpan<char> text)
    {
        var lf = text.Count('\n');
        return lf > 0 && text.Count("\r\n") * 2 > lf ? "\r\n" : "\n";
    }

    /// <summary>"\r\n" when most line breaks are CRLF, "\n" otherwise (also for a file with no line break).</summary>
    public static string DominantLineEnding(ReadOnlySpan<byte> bytes)
    {
        var lf = bytes.Count((byte)'\n');
        if (lf == 0)
        {
            return "\n";
        }

        var crlf = bytes.Count("\r\n"u8);
        return crlf * 2 > lf ? "\r\n" : "\n";
    }
}
