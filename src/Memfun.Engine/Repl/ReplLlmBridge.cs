using System.Text.Json.Nodes;
using Memfun.Engine.Llm;
using Microsoft.Extensions.AI;

namespace Memfun.Engine.Repl;

/// <summary>
/// Serves a REPL's <c>llm_query</c> and <c>llm_query_batched</c> in the parent: one chat client, a cap on
/// concurrent calls, and a running count of the tokens they used.
/// </summary>
/// <remarks>Thread-safe. Token counts come from the provider's usage, or a characters/4 estimate when it reports none.</remarks>
internal sealed class ReplLlmBridge(IChatClient? client, int concurrency)
{
    private const string SubModelInstructions =
        "You are a sub-model called from a program. Answer the question about the given context directly and briefly; no preamble.";

    private readonly SemaphoreSlim _cap = new(Math.Max(1, concurrency), Math.Max(1, concurrency));
    private long _tokens;

    /// <summary>Tokens used by sub-model calls so far.</summary>
    public long Tokens => Interlocked.Read(ref _tokens);

    public async Task<JsonNode?> QueryAsync(JsonObject args, CancellationToken cancellationToken)
    {
        var prompt = (string?)args["prompt"] ?? throw new Memfun.Tools.MemfunToolException("llm_query needs a prompt.");
        return JsonValue.Create(await AskAsync(prompt, (string?)args["context"], cancellationToken).ConfigureAwait(false));
    }

    public async Task<JsonNode?> QueryBatchedAsync(JsonObject args, CancellationToken cancellationToken)
    {
        var queries = args["queries"] as JsonArray ?? throw new Memfun.Tools.MemfunToolException("llm_query_batched needs a list of prompts.");
        // Task.Run: the calls overlap even when a client answers synchronously.
        var tasks = queries
            .Select(q => ((string?)q?["prompt"] ?? string.Empty, (string?)q?["context"]))
            .Select(q => Task.Run(() => AskAsync(q.Item1, q.Item2, cancellationToken), cancellationToken))
            .ToList();
        var answers = await Task.WhenAll(tasks).ConfigureAwait(false);
        return new JsonArray([.. answers.Select(a => (JsonNode?)JsonValue.Create(a))]);
    }

    private async Task<string> AskAsync(string prompt, string? context, CancellationToken cancellationToken)
    {
        if (client is null)
        {
            throw new LlmNotConfiguredException();
        }

        var text = context is null ? prompt : $"{prompt}\n\n<context>\n{context}\n</context>";
        await _cap.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await client.GetResponseAsync(
                [new ChatMessage(ChatRole.System, SubModelInstructions), new ChatMessage(ChatRole.User, text)],
                cancellationToken: cancellationToken).ConfigureAwait(false);
            var used = response.Usage?.TotalTokenCount
                ?? ((response.Usage?.InputTokenCount ?? 0) + (response.Usage?.OutputTokenCount ?? 0));
            if (used <= 0)
            {
                used = TokenEstimate.Of(text) + TokenEstimate.Of(response.Text);
            }

            Interlocked.Add(ref _tokens, used);
            return response.Text;
        }
        finally
        {
            _cap.Release();
        }
    }
}
