namespace Memfun.Tools.Files;

/// <summary>Tells binary files from text by their first bytes, and guesses a binary file's type from its magic number.</summary>
/// <remarks>Stateless and thread-safe. Looks at no more than <see cref="SampleSize"/> bytes.</remarks>
internal static class BinarySniffer
{
    /// <summary>How many leading bytes are examined.</summary>
    public const int SampleSize = 8192;

    /// <summary>
    /// True when the sample holds a NUL byte, or more than 10% control bytes other than tab, line
    /// feed, carriage return, form feed, backspace and escape. UTF-16/32 text (which has NULs) is binary here.
    /// </summary>
    public static bool LooksBinary(ReadOnlySpan<byte> sample)
    {
        if (sample.IsEmpty)
        {
            return false;
        }

        if (sample.Contains((byte)0))
        {
            return true;
        }

        var control = 0;
        foreach (var b in sample)
        {
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0C or 0x08 or 0x1B))
            {
                control++;
            }
            else if (b == 0x7F)
            {
                control++;
            }
        }

        return control * 10 > sample.Length;
    }

    /// <summary>A short human guess at the type of a binary file ("PNG image", "ELF executable"…), from its magic number.</summary>
    public static string GuessType(ReadOnlySpan<byte> sample)
    {
        static bool StartsWith(ReadOnlySpan<byte> s, ReadOnlySpan<byte> magic) => s.StartsWith(magic);

        if (StartsWith(sample, [0x89, (byte)'P', (byte)'N', (byte)'G']))
        {
            return "PNG image";
        }

        if (StartsWith(sample, [0xFF, 0xD8, 0xFF]))
        {
            return "JPEG image";
        }

        if (StartsWith(sample, "GIF8"u8))
        {
            return "GIF image";
        }

        if (StartsWith(sample, "%PDF"u8))
        {
            return "PDF document";
        }

        if (StartsWith(sample, "PK\x03\x04"u8))
        {
            return "ZIP archive (also .jar, .docx, .xlsx, .nupkg)";
        }

        if (StartsWith(sample, [0x1F, 0x8B]))
        {
            return "gzip archive";
        }

        if (StartsWith(sample, "BZh"u8))
        {
            return "bzip2 archive";
        }

        if (StartsWith(sample, [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z']))
        {
            return "xz archive";
        }

        if (StartsWith(sample, [(byte)'7', (byte)'z', 0xBC, 0xAF]))
        {
            return "7-Zip archive";
        }

        if (StartsWith(sample, [0x7F, (byte)'E', (byte)'L', (byte)'F']))
        {
            return "ELF executable or library";
        }

        if (StartsWith(sample, "MZ"u8))
        {
            return "Windows PE executable or .NET assembly";
        }

        if (StartsWith(sample, "SQLite format 3\0"u8))
        {
            return "SQLite database";
        }

        if (StartsWith(sample, [0xCA, 0xFE, 0xBA, 0xBE]))
        {
            return "Java class file or Mach-O universal binary";
        }

        if (StartsWith(sample, [0xCF, 0xFA, 0xED, 0xFE]) || StartsWith(sample, [0xCE, 0xFA, 0xED, 0xFE]))
        {
            return "Mach-O executable";
        }

        if (StartsWith(sample, "\0asm"u8))
        {
            return "WebAssembly module";
        }

        if (StartsWith(sample, "RIFF"u8))
        {
            return "RIFF media (WAV, AVI or WebP)";
        }

        if (StartsWith(sample, "OggS"u8))
        {
            return "Ogg media";
        }

        if (StartsWith(sample, "ID3"u8))
        {
            return "MP3 audio";
        }

        if (sample.Length > 8 && sample[4..].StartsWith("ftyp"u8))
        {
            return "MP4/QuickTime media";
        }

        if (StartsWith(sample, [0xFF, 0xFE]) || StartsWith(sample, [0xFE, 0xFF]))
        {
            return "UTF-16 text (not supported by read_file; convert it to UTF-8, e.g. with iconv through run_cmd)";
        }

        if (sample.Length > 262 && sample[257..].StartsWith("ustar"u8))
        {
            return "tar archive";
        }

        return "unknown binary data";
    }
}
