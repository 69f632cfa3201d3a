// Sampling (deprecated by the 2026-07-28 protocol, MCP9005) is the host's model; see ChatClientFactory.
#pragma warning disable MCP9005
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Memfun.Engine.Llm;

/// <summary>
/// Keeps the provider contract for MCP sampling (the SDK's <c>AsSamplingChatClient</c>): a call that offers tools to a
/// host that did not declare <c>sampling.tools</c> fails naming the host instead of running text-only; a host's error
/// becomes an <see cref="LlmProviderException"/> naming MCP sampling; a tool result is sent as its text (the SDK's adapter would send the serialized result object).
/// </summary>
/// <remarks>
/// Thread-safe. Host errors are not retried: a host that declined once (or whose user did) declines again. MCP's
/// <c>stopReason</c> has no refusal value, so a host's refusal arrives as text with an unknown stop (no finish reason).
/// </remarks>
internal sealed class SamplingChatClientAdapter(IChatClient inner, ClientCapabilities? capabilities, Implementation? host) : DelegatingChatClient(inner)
{
    private string Host => host is { Name: { Length: > 0 } name } ? $"the host '{name}'" : "the host";

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        CheckTools(options);
        try
        {
            return await base.GetResponseAsync(Prepare(messages), options, cancellationToken).ConfigureAwait(false);
        }
        catch (McpException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failed(ex);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        CheckTools(options);
        var enumerator = base.GetStreamingResponseAsync(Prepare(messages), options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (McpException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw Failed(ex);
                }

                yield return enumerator.Current;
            }
        }
    }

    private void CheckTools(ChatOptions? options)
    {
        if (options?.Tools is { Count: > 0 } tools && capabilities?.Sampling?.Tools is null)
        {
            throw new LlmProviderException(
                $"MCP sampling: {Host} does not declare sampling.tools, so its model cannot call the {tools.Count} tool(s) this agent needs " +
                $"({string.Join(", ", tools.Select(t => t.Name).Take(8))}{(tools.Count > 8 ? ", …" : string.Empty)}). " +
                "Use a host whose sampling supports tools, or configure a provider with 'memfun init' (Anthropic, OpenAI, Ollama or a custom endpoint).");
        }
    }

    private LlmProviderException Failed(McpException ex) =>
        new($"MCP sampling: {Host} answered the model request with an error: {ex.Message}", ex);

    private static List<ChatMessage> Prepare(IEnumerable<ChatMessage> messages) =>
        [.. messages.Select(m => m.Contents.Any(c => c is FunctionResultContent { Result: string }) ? AsText(m) : m)];

    private static ChatMessage AsText(ChatMessage message)
    {
        var copy = message.Clone();
        copy.Contents = [.. message.Contents.Select(c => c is FunctionResultContent { Result: string text } r
            ? new FunctionResultContent(r.CallId, new List<AIContent> { new TextContent(text) }) { Exception = r.Exception }
            : c)];
        return copy;
    }
}
