using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Tests.Infrastructure;

/// <summary>
/// A client transport that checks every tool result against the tool's advertised <c>outputSchema</c>, as the
/// TypeScript SDK client (Claude Code, Cursor, VS Code, the Inspector) does: every session the test infrastructure
/// opens goes through it, so every <c>CallToolAsync</c> of every end-to-end test is checked.
/// </summary>
/// <remarks>A result that breaks its schema reaches the test as the JSON-RPC error the TypeScript client raises
/// (<c>-32602 Structured content does not match the tool's output schema</c>), so the test fails.</remarks>
public sealed class SchemaCheckingTransport(IClientTransport inner) : IClientTransport
{
    /// <inheritdoc />
    public string Name => inner.Name;

    /// <inheritdoc />
    public async Task<ITransport> ConnectAsync(CancellationToken cancellationToken = default) =>
        new SchemaCheckingSession(await inner.ConnectAsync(cancellationToken));
}
