using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Memfun.Engine.Runtime;

/// <summary>Checks names given to the runtime (task kinds, keys, ids) and makes task ids.</summary>
internal static class RuntimeNames
{
    private static readonly SearchValues<char> KindChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");

    public static void ValidateKind(string kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (kind.Length is 0 or > 64 || kind.AsSpan().ContainsAnyExcept(KindChars))
        {
            throw new ArgumentException($"The task kind '{kind}' is not valid: use 1–64 letters, digits, '-' or '_'.", nameof(kind));
        }
    }

    public static void ValidateKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length is 0 or > 512)
        {
            throw new ArgumentException("A state key must be 1–512 characters long.", nameof(key));
        }

        foreach (var c in key)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException($"The state key '{key.Replace("\n", "\\n", StringComparison.Ordinal)}' contains a control character.", nameof(key));
            }
        }
    }

    /// <summary>A new random task id: 26 lower-case hex characters, time-ordered.</summary>
    public static string NewTaskId() => string.Create(26, Guid.CreateVersion7(), static (chars, guid) =>
    {
        Span<char> hex = stackalloc char[32];
        guid.TryFormat(hex, out _, "N");
        hex[..26].CopyTo(chars);
    });

    /// <summary>The id every enqueue of this kind and idempotency key gets.</summary>
    public static string TaskIdFor(string kind, string idempotencyKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(kind + "\n" + idempotencyKey));
        return "k" + Convert.ToHexStringLower(hash, 0, 13)[..25];
    }

    public static string TaskIdOf(Abstractions.TaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ValidateKind(request.Kind);
        return request.IdempotencyKey is { } key ? TaskIdFor(request.Kind, key) : NewTaskId();
    }
}
