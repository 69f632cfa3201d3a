using System.Text;

namespace Memfun.Engine.Runtime.Nats;

/// <summary>Encodes state keys into NATS KV keys (letters, digits, <c>-</c>, <c>_</c>, <c>/</c> kept; every other byte
/// of the UTF-8 form as <c>=XX</c>). The encoding preserves prefixes, so prefix listing works on encoded keys.</summary>
internal static class NatsKeys
{
    public static string Encode(string key)
    {
        var sb = new StringBuilder(key.Length + 8);
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            var c = (char)b;
            if (c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '/')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('=').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    public static string Decode(string encoded)
    {
        var bytes = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] == '=' && i + 2 < encoded.Length)
            {
                bytes.Add(Convert.ToByte(encoded.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.Add((byte)encoded[i]);
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>A stream/bucket-safe form of a prefix or area name.</summary>
    public static string Name(string text) =>
        string.Concat(text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}
