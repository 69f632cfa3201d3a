using System.Text.Json;
using System.Text.RegularExpressions;
using Memfun.Engine.Runtime.Abstractions;

namespace Memfun.Engine.Runtime.Stored;

/// <summary>The tool registry on a state store shared by every node of the tier.</summary>
internal sealed partial class StoredToolRegistry(IStateStore store) : IToolRegistry
{
    public async ValueTask RegisterAsync(ToolDescriptor tool, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tool);
        CheckName(tool.Name);
        try
        {
            using var schema = JsonDocument.Parse(tool.InputSchema);
            if (schema.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException($"The input schema of tool '{tool.Name}' must be a JSON object.", nameof(tool));
            }
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The input schema of tool '{tool.Name}' is not valid JSON: {ex.Message}", nameof(tool), ex);
        }

        await store.PutAsync(tool.Name, StoredJson.Write(tool), null, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<bool> UnregisterAsync(string name, CancellationToken cancellationToken = default)
    {
        CheckName(name);
        return store.DeleteAsync(name, cancellationToken);
    }

    public async ValueTask<ToolDescriptor?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        CheckName(name);
        var entry = await store.GetAsync(name, cancellationToken).ConfigureAwait(false);
        return entry is null ? null : StoredJson.Read<ToolDescriptor>(entry.Value);
    }

    public async ValueTask<IReadOnlyList<ToolDescriptor>> ListAsync(CancellationToken cancellationToken = default)
    {
        var list = new List<ToolDescriptor>();
        await foreach (var entry in store.ListAsync("", cancellationToken).ConfigureAwait(false))
        {
            list.Add(StoredJson.Read<ToolDescriptor>(entry.Value));
        }

        return [.. list.OrderBy(t => t.Name, StringComparer.Ordinal)];
    }

    private static void CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!NamePattern().IsMatch(name))
        {
            throw new ArgumentException($"The tool name '{name}' is not valid: use 1–128 letters, digits, '-', '_' or '.'.", nameof(name));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,128}$")]
    private static partial Regex NamePattern();
}
