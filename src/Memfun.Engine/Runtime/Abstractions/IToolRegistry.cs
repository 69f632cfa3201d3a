namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>Named tools with JSON schemas, published by nodes and discoverable by every node sharing the tier.</summary>
public interface IToolRegistry
{
    /// <summary>Publishes (or replaces) a tool description.</summary>
    ValueTask RegisterAsync(ToolDescriptor tool, CancellationToken cancellationToken = default);

    /// <summary>Withdraws a tool.</summary>
    ValueTask<bool> UnregisterAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The tool, or <see langword="null"/>.</summary>
    ValueTask<ToolDescriptor?> GetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every tool, by name.</summary>
    ValueTask<IReadOnlyList<ToolDescriptor>> ListAsync(CancellationToken cancellationToken = default);
}
