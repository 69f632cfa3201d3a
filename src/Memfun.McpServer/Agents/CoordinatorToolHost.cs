using Memfun.Engine.Agents;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Agents;

/// <summary>
/// The tool host of a worker on another node: an MCP client over Streamable HTTP to the coordinator's
/// <c>memfun serve --http</c>, authenticated with its bearer token, so a worker without a workspace reads the
/// coordinator's. Writes are staged on top of it (<see cref="Memfun.Engine.Orchestration.StagingToolHost"/>).
/// </summary>
/// <remarks>Connects on first use and reconnects after a failure; the token is sent as a header and never logged.</remarks>
internal sealed class CoordinatorToolHost(Uri endpoint, string? token) : IAgentToolHost, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private McpClient? _client;
    private IReadOnlyList<AgentTool>? _tools;

    public async ValueTask<IReadOnlyList<AgentTool>> ListToolsAsync(CancellationToken cancellationToken = default)
    {
        if (_tools is not null)
        {
            return _tools;
        }

        var client = await ClientAsync(cancellationToken);
        var listed = await client.ListToolsAsync(cancellationToken: cancellationToken);
        _tools = AgentToolConversions.ToAgentTools(listed);
        return _tools;
    }

    public async ValueTask<AgentToolResult> CallToolAsync(string name, IReadOnlyDictionary<string, object?> arguments, CancellationToken cancellationToken = default)
    {
        var args = AgentToolConversions.ToArguments(arguments);
        var client = await ClientAsync(cancellationToken);
        CallToolResult result;
        try
        {
            // The depth of the task this worker runs travels with the call, so the coordinator's cap holds across machines.
            result = await client.CallToolAsync(
                new CallToolRequestParams { Name = name, Arguments = args, Meta = CallDepth.ToMeta(CallDepth.Current) },
                cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            await ResetAsync();
            throw;
        }

        return AgentToolConversions.ToResult(result);
    }

    public async ValueTask DisposeAsync()
    {
        await ResetAsync();
        _gate.Dispose();
    }

    private async Task<McpClient> ClientAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_client is null)
            {
                var options = new HttpClientTransportOptions { Endpoint = endpoint, TransportMode = HttpTransportMode.StreamableHttp, Name = "memfun-coordinator" };
                if (!string.IsNullOrEmpty(token))
                {
                    options.AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token };
                }

                _client = await McpClient.CreateAsync(new HttpClientTransport(options), cancellationToken: cancellationToken);
            }

            return _client;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ResetAsync()
    {
        var client = Interlocked.Exchange(ref _client, null);
        if (client is not null)
        {
            await client.DisposeAsync();
        }
    }
}
