using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Memfun.McpServer.Tests.Evals.Optimize;

/// <summary>
/// A scripted model whose answers depend on the instruction it receives: a specialist run whose system prompt holds
/// <see cref="Phrase"/> (or whose task is in <see cref="AlwaysSolved"/>) writes the task's reference files with
/// <c>write_file</c> calls; any other specialist run answers without changing anything. A proposal request (the
/// optimizer's system prompt) gets <see cref="ProposalAnswer"/>; a review gets an ok verdict; anything else no change.
/// </summary>
/// <remarks>Thread-safe: tasks run in parallel. Records the proposal requests it answered.</remarks>
internal sealed class InstructionSensitiveModel(string phrase, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> fixes) : IChatClient
{
    private const string NoChange = """{"summary": "Nothing needs to change.", "operations": []}""";
    private const string ReviewOk = """{"verdict": "ok", "problems": [], "summary": "The change does what was asked."}""";
    private readonly Lock _gate = new();

    /// <summary>The text that makes a specialist solve its task.</summary>
    public string Phrase { get; } = phrase;

    /// <summary>Problem statements solved whatever the instruction says.</summary>
    public HashSet<string> AlwaysSolved { get; } = [];

    /// <summary>The answer to a proposal request.</summary>
    public string ProposalAnswer { get; set; } = """{"candidates": []}""";

    /// <summary>The user messages of the proposal requests answered.</summary>
    public List<string> ProposalRequests { get; } = [];

    /// <summary>How many specialist runs were told the phrase.</summary>
    public int RunsWithPhrase { get; private set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        var system = string.Join("\n", list.Where(m => m.Role == ChatRole.System).Select(m => m.Text));
        var user = string.Join("\n", list.Where(m => m.Role == ChatRole.User).Select(m => m.Text));
        if (system.Contains("You improve the instruction (the system prompt) of a coding agent", StringComparison.Ordinal))
        {
            lock (_gate)
            {
                ProposalRequests.Add(user);
            }

            return Answer(ProposalAnswer);
        }

        if (system.Contains("You review a change made by a coding agent", StringComparison.Ordinal))
        {
            return Answer(ReviewOk);
        }

        if (options?.Tools is not { Count: > 0 })
        {
            return Answer(NoChange);
        }

        // A specialist's loop: after its tool calls came back it is done.
        if (list.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Any())
        {
            return Answer("I rewrote the code so the issue is fixed.");
        }

        var task = fixes.Keys.FirstOrDefault(statement => user.Contains(statement, StringComparison.Ordinal));
        var told = system.Contains(Phrase, StringComparison.Ordinal);
        if (told)
        {
            lock (_gate)
            {
                RunsWithPhrase++;
            }
        }

        if (task is null || !(told || AlwaysSolved.Contains(task)))
        {
            return Answer("I read the code and found nothing to change.");
        }

        var calls = fixes[task].Select((file, i) => (AIContent)new FunctionCallContent(
            $"call-{i}", "write_file", new Dictionary<string, object?> { ["path"] = file.Key, ["content"] = file.Value, ["allow_shrink"] = true }));
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, [.. calls]))
        {
            Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 50, TotalTokenCount = 150 },
            FinishReason = ChatFinishReason.ToolCalls,
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private static Task<ChatResponse> Answer(string text) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
    {
        Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 20, TotalTokenCount = 120 },
        FinishReason = ChatFinishReason.Stop,
    });
}
