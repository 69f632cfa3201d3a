using System.Text;

namespace Memfun.Engine.Runtime.Nats;

/// <summary>
/// How a task travels in the NATS work-queue stream: its id in front of the payload, in the message body, instead
/// of a header. NATS.Net writes and parses headers per message at a cost that, measured beside the bare client,
/// was most of the queue's overhead (a bare loop given one header fell from 36k to 27k tasks/s).
/// </summary>
/// <remarks>
/// Layout: <c>0x01</c> (the frame's version), the id's length in bytes (1–255), the id in UTF-8, then the payload.
/// Messages written before this frame carry the id in the <c>Memfun-Task-Id</c> header and a bare payload; the
/// reader tells them apart by that header.
/// </remarks>
internal static class NatsTaskFrame
{
    private const byte Version = 1;

    /// <summary>The body of a task message: the frame header, the id, the payload.</summary>
    public static byte[] Encode(string id, ReadOnlySpan<byte> payload)
    {
        var idBytes = Encoding.UTF8.GetByteCount(id);
        if (idBytes is < 1 or > 255)
        {
            throw new ArgumentException($"A task id must be 1 to 255 bytes of UTF-8; got {idBytes}.", nameof(id));
        }

        var body = new byte[2 + idBytes + payload.Length];
        body[0] = Version;
        body[1] = (byte)idBytes;
        Encoding.UTF8.GetBytes(id, body.AsSpan(2, idBytes));
        payload.CopyTo(body.AsSpan(2 + idBytes));
        return body;
    }

    /// <summary>Reads a framed body; false when <paramref name="body"/> is not one (a message from before the frame).</summary>
    public static bool TryDecode(byte[] body, out string id, out ReadOnlyMemory<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length >= 3 && body[0] == Version && body[1] >= 1 && 2 + body[1] <= body.Length)
        {
            id = Encoding.UTF8.GetString(body, 2, body[1]);
            payload = body.AsMemory(2 + body[1]);
            return true;
        }

        id = string.Empty;
        payload = default;
        return false;
    }
}
