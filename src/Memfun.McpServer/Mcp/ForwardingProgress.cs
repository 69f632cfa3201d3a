namespace Memfun.McpServer.Mcp;

/// <summary>
/// Hands each report to <c>report</c> on the reporting thread, in order. Unlike <see cref="Progress{T}"/>, which posts
/// to the thread pool, a report made before a tool returns is passed on before the tool's answer exists.
/// </summary>
internal sealed class ForwardingProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => report(value);
}
