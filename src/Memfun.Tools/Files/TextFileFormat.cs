using System.Text;
using System.Text.Unicode;

namespace Memfun.Tools.Files;

/// <summary>How a text file is stored on disk: its encoding, whether it starts with a byte-order mark, and its dominant line ending.</summary>
/// <remarks>
/// Detected from the bytes: a UTF-8 BOM or valid UTF-8 means UTF-8; anything else is decoded as
/// Windows-1252 (a superset of Latin-1 for printable text), which never fails, so no byte is lost.
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

    /// <summary>A name for messages: "UTF-8", "UTF-8 with BOM", "Windows-1252".</summary>
    public string Describe() => IsUtf8 ? (HasBom ? "UTF-8 with BOM" : "UTF-8") : "Windows-1252 (the file is not valid UTF-8)";

    /// <summary>"LF" or "CRLF".</summary>
    public string LineEndingName => LineEnding == "\r\n" ? "CRLF" : "LF";

    /// <summary>Detects the format of a whole file's bytes.</summary>
    public static TextFileFormat Detect(ReadOnlySpan<byte> bytes)
    {
        var bom = bytes.StartsWith(Utf8Bom);
        var body = bom ? bytes[3..] : bytes;
        Encoding encoding = bom || Utf8.IsValid(body) ? new UTF8Encoding(false) : Windows1252;
        return new TextFileFormat(encoding, bom, DominantLineEnding(body));
    }

    /// <summary>Decodes a whole file's bytes (without the BOM).</summary>
    public string Decode(ReadOnlySpan<byte> bytes) => Encoding.GetString(HasBom && bytes.StartsWith(Utf8Bom) ? bytes[3..] : bytes);

    /// <summary>Encodes text in this format, with the BOM when the format has one.</summary>
    public byte[] Encode(string text)
    {
        var body = Encoding.GetBytes(text);
        if (!HasBom)
        {
            return body;
        }

        var all = new byte[body.Length + 3];
        Utf8Bom.CopyTo(all, 0);
        body.CopyTo(all, 3);
        return all;
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
