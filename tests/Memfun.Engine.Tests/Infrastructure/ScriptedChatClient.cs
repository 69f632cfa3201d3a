using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Memfun.Engine.Tests.Infrastructure;

/// <summary>
/// A chat client that answers from a script: each call takes the next responder, which sees the
/// messages and options it was sent. Records every call. Stands in for a remote model in tests.
/// </summary>
public sealed class ScriptedChatClient : IChatClient
{
    private readonly Queue<Func<IReadOnlyList<ChatMessage>, ChatOptions?, ChatResponse>> _script = new();
    private readonly Lock _gate = new();

    public List<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Calls { get; } = [];

    /// <summary>Queues a plain text answer, with token usage.</summary>
    public ScriptedChatClient Then(string text, int inputTokens = 100, int outputTokens = 20) =>
        Then((_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            Usage = new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = outputTokens, TotalTokenCount = inputTokens + outputTokens },
            FinishReason = ChatFinishReason.Stop,
        });

    /// <summary>Queues a responder.</summary>
    public ScriptedChatClient Then(Func<IReadOnlyList<ChatMessage>, ChatOptions?, ChatResponse> responder)
    {
        lock (_gate)
        {
            _script.Enqueue(responder);
        }

        return this;
    }

    public int Remaining { get { lock (_gate) { return _script.Count; } } }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var list = messages.ToList();
        Func<IReadOnlyList<ChatMessage>, ChatOptions?, ChatResponse> next;
        lock (_gate)
        {
            Calls.Add((list, options));
            if (!_script.TryDequeue(out next!))
            {
                throw new InvalidOperationException($"The scripted model has no answer left for call {Calls.Count}.");
            }
        }

        return Task.FromResult(next(list, options));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
