using System.Text.Json;
using Memfun.Engine.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Memfun.Engine.Memory;

/// <summary>
/// Learning around agent requests: before one, <see cref="PrepareAsync"/> returns the high-priority
/// memory block to put in the prompt; after one, <see cref="LearnAsync"/> asks the model once (JSON
/// output) for reusable facts and preferences, skips near-duplicates of what is stored, and stores the rest.
/// </summary>
/// <remarks>
/// Thread-safe. Works without a model: when none is given or configured, learning is skipped and
/// returns nothing. A model answer that is not the expected JSON is ignored, never thrown. The request
/// and answer texts are sent to the model and never logged above Trace.
/// </remarks>
public sealed partial class MemoryLearner(MemoryService memory, IChatClientFactory? chatClients = null, ILogger<MemoryLearner>? logger = null)
{
    /// <summary>Most facts kept from one request.</summary>
    public const int MaxFactsPerRequest = 5;

    private const string Instructions = """
        You extract durable memory for a coding assistant. From the exchange below, list only facts that will
        still be useful in later, different tasks: project conventions, build/test/run commands, tools and
        versions in use, gotchas and their fixes, and the user's stated preferences. Skip anything specific to
        this one task, anything already obvious from the code, guesses, and secrets (keys, passwords, tokens).
        Write each fact as one short, self-contained sentence. Answer with JSON only:
        {"memories":[{"text":"...","scope":"project"|"user","tags":["..."]}]}
        Use scope "user" only for personal preferences that hold in every project. Return {"memories":[]} when
        nothing qualifies.
        """;

    private readonly ILogger _logger = logger ?? NullLogger<MemoryLearner>.Instance;

    /// <summary>The memory block for <paramref name="task"/> (see <see cref="MemoryService.GetContextAsync"/>); empty when nothing is remembered.</summary>
    public Task<string> PrepareAsync(string task, CancellationToken cancellationToken = default) =>
        memory.GetContextAsync(task, cancellationToken: cancellationToken);

    /// <summary>
    /// Extracts reusable facts from a finished request with one model call and stores the new ones.
    /// <paramref name="client"/> overrides the configured model; with neither, nothing is learned.
    /// </summary>
    public async Task<IReadOnlyList<LearnedMemory>> LearnAsync(string request, string outcome, IChatClient? client = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(outcome);
        client ??= TryGetClient();
        if (client is null)
        {
            LogNoModel(_logger);
            return [];
        }

        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, Instructions),
            new(ChatRole.User, $"## Request\n{Cut(request, 8000)}\n\n## Outcome\n{Cut(outcome, 8000)}"),
        };
        ChatResponse response;
        try
        {
            response = await client.GetResponseAsync(messages, new ChatOptions { ResponseFormat = ChatResponseFormat.Json, Temperature = 0 }, cancellationToken).ConfigureAwait(false);
        }
        catch (LlmNotConfiguredException)
        {
            LogNoModel(_logger);
            return [];
        }

        var facts = Parse(response.Text);
        LogExtracted(_logger, facts.Count);
        var learned = new List<LearnedMemory>();
        foreach (var (text, scope, tags) in facts.Take(MaxFactsPerRequest))
        {
            var duplicate = memory.FindNearDuplicate(text, scope);
            if (duplicate is not null)
            {
                learned.Add(new LearnedMemory(text, duplicate, true));
                continue;
            }

            try
            {
                var result = await memory.RememberAsync(text, scope, tags, "learned", cancellationToken).ConfigureAwait(false);
                learned.Add(new LearnedMemory(text, result.Entry, result.AlreadyKnown));
            }
            catch (Memfun.Tools.MemfunToolException ex)
            {
                LogRejected(_logger, ex.Message);
            }
        }

        return learned;
    }

    /// <summary>Reads the model's JSON leniently: the first JSON object in the text, items with a non-empty text.</summary>
    internal static List<(string Text, MemoryScope Scope, List<string> Tags)> Parse(string? answer)
    {
        var list = new List<(string, MemoryScope, List<string>)>();
        if (string.IsNullOrWhiteSpace(answer))
        {
            return list;
        }

        try
        {
            using var json = ModelJson.Parse(answer);
            if (!json.RootElement.TryGetProperty("memories", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                return list;
            }

            foreach (var item in items.EnumerateArray())
            {
                var text = item.ValueKind == JsonValueKind.String ? item.GetString()
                    : item.ValueKind == JsonValueKind.Object && item.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()
                    : null;
                if (string.IsNullOrWhiteSpace(text) || text.Length > 500)
                {
                    continue;
                }

                var scope = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("scope", out var s) && s.ValueKind == JsonValueKind.String
                    && string.Equals(s.GetString(), "user", StringComparison.OrdinalIgnoreCase) ? MemoryScope.User : MemoryScope.Project;
                var tags = new List<string>();
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("tags", out var tg) && tg.ValueKind == JsonValueKind.Array)
                {
                    tags.AddRange(tg.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!.Trim().ToLowerInvariant().Replace(' ', '-'))
                        .Where(x => x.Length is > 0 and <= 40 && x.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && char.IsAsciiLetterOrDigit(x[0])).Take(8));
                }

                list.Add((text.Trim(), scope, tags));
            }
        }
        catch (MalformedAnswerException)
        {
            return [];
        }

        return list;
    }

    private IChatClient? TryGetClient()
    {
        if (chatClients is null)
        {
            return null;
        }

        try
        {
            return chatClients.GetChatClient();
        }
        catch (LlmNotConfiguredException)
        {
            return null;
        }
    }

    private static string Cut(string s, int max) => s.Length <= max ? s : s[..max] + "\n[…]";

    [LoggerMessage(EventId = 2410, Level = LogLevel.Debug, Message = "Memory learning skipped: no language model is available")]
    private static partial void LogNoModel(ILogger logger);

    [LoggerMessage(EventId = 2411, Level = LogLevel.Debug, Message = "Memory learning: the model proposed {Count} facts")]
    private static partial void LogExtracted(ILogger logger, int count);

    [LoggerMessage(EventId = 2412, Level = LogLevel.Debug, Message = "Memory learning: a proposed fact was rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);
}
