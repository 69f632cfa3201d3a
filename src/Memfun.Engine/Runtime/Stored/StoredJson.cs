using System.Text.Json;

namespace Memfun.Engine.Runtime.Stored;

/// <summary>The JSON form the stored protocols keep their records in.</summary>
internal static class StoredJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static byte[] Write<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static T Read<T>(ReadOnlyMemory<byte> data) =>
        JsonSerializer.Deserialize<T>(data.Span, Options) ?? throw new InvalidDataException($"A stored {typeof(T).Name} was null.");
}
