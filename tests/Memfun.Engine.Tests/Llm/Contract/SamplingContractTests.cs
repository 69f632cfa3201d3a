// Sampling (deprecated by the 2026-07-28 protocol, MCP9005) is how a host lends its model; this is its contract.
#pragma warning disable MCP9005
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text.Json;
using Memfun.Engine.Llm;
using Microsoft.Extensions.AI;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.Engine.Tests.Llm.Contract;

/// <summary>
/// The provider contract for MCP sampling: an in-process server session over pipes with the SDK's real client as the
/// host, which declares <c>sampling.tools</c> and answers each <c>sampling/createMessage</c> from the script.
/// </summary>
public class SamplingContractTests : ChatProviderContractTests
{
    private readonly ConcurrentQueue<Func<CancellationToken, Task<CreateMessageResult>>> _script = new();
    private readonly List<CreateMessageRequestParams> _requests = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ChatClientFactory _factory = new(new LlmOptions { Provider = "sampling", MaxRetries = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(1) });
    private ModelContextProtocol.Server.McpServer _server = null!;
    private McpClient _client = null!;
    private Task _run = Task.CompletedTask;

    protected override string ProviderName => "MCP sampling";

    /// <summary>The sampling capability the host declares; the contract's host declares tool use.</summary>
    protected virtual SamplingCapability Capability => new() { Tools = new SamplingToolsCapability() };

    protected override IChatClient Client => _factory.GetChatClient(_server);

    /// <summary>MCP's stopReason has no refusal value (endTurn, stopSequence, maxTokens, toolUse): a refusal is text with an unknown stop.</summary>
    protected override ChatFinishReason? RefusalReason => null;

    protected override IReadOnlyList<SentRequest> Sent
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests.Select(Read)];
            }
        }
    }

    public override async Task InitializeAsync()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        _server = ModelContextProtocol.Server.McpServer.Create(new StreamServerTransport(toServer.Reader.AsStream(), toClient.Writer.AsStream()), new McpServerOptions());
        _run = _server.RunAsync(_stop.Token);
        // Sampling belongs to protocol versions before 2026-07-28 (SEP-2577), as the hosts that offer it speak.
        var options = new McpClientOptions { ProtocolVersion = "2025-11-25", Capabilities = new ClientCapabilities { Sampling = Capability } };
        options.Handlers.SamplingHandler = async (request, _, cancellationToken) =>
        {
            lock (_requests)
            {
                _requests.Add(request!);
            }


            _arrived.Release();
            return _script.TryDequeue(out var next) ? await next(cancellationToken) : throw new McpException("The test host's script is exhausted.");
        };
        _client = await McpClient.CreateAsync(new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream()), options);
    }

    public override async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _stop.CancelAsync();
        await _server.DisposeAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
        }

        _factory.Dispose();
        _stop.Dispose();
    }

    protected override void Script(ScriptedTurn turn)
    {
        var content = new List<ContentBlock>();
        if (turn.Text is not null)
        {
            content.Add(new TextContentBlock { Text = turn.Text });
        }

        content.AddRange(turn.Calls.Select(c => new ToolUseContentBlock { Id = c.Id, Name = c.Name, Input = JsonSerializer.SerializeToElement(c.Arguments) }));
        var result = new CreateMessageResult
        {
            Content = content,
            Model = "host-model",
            Role = Role.Assistant,
            StopReason = turn.End switch { TurnEnd.ToolUse => "toolUse", TurnEnd.MaxTokens => "maxTokens", TurnEnd.Refusal => "refusal", _ => "endTurn" },
        };
        _script.Enqueue(_ => Task.FromResult(result));
    }

    protected override void ScriptPermanentFailure() => _script.Enqueue(_ => throw new McpException("The user declined the sampling request."));

    protected override void ScriptNoAnswer() => _script.Enqueue(async cancellationToken =>
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("unreachable");
    });

    protected override Task WaitForRequestAsync(CancellationToken cancellationToken) => _arrived.WaitAsync(cancellationToken);

    [Fact]
    public async Task A_host_without_sampling_tools_is_an_error_naming_it_never_a_text_only_run()
    {
        await using var bare = await BareHostAsync();
        Script(ScriptedTurn.Answer("I would edit calc.py."));

        var ex = await Assert.ThrowsAsync<LlmProviderException>(() => _factory.GetChatClient(bare.Server).GetResponseAsync(
            [new ChatMessage(ChatRole.User, "Add sub")],
            new ChatOptions { Tools = [AIFunctionFactory.CreateDeclaration("edit_file", "Edits.", JsonDocument.Parse("{\"type\":\"object\"}").RootElement)] }));

        Assert.Contains("MCP sampling", ex.Message, StringComparison.Ordinal);
        Assert.Contains("sampling.tools", ex.Message, StringComparison.Ordinal);
        Assert.Contains("edit_file", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Sent);
    }

    private async Task<BareSession> BareHostAsync()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        var server = ModelContextProtocol.Server.McpServer.Create(new StreamServerTransport(toServer.Reader.AsStream(), toClient.Writer.AsStream()), new McpServerOptions());
        var run = server.RunAsync(_stop.Token);
        var options = new McpClientOptions { ProtocolVersion = "2025-11-25", Capabilities = new ClientCapabilities { Sampling = new SamplingCapability() } };
        options.Handlers.SamplingHandler = (request, _, _) =>
        {
            lock (_requests)
            {
                _requests.Add(request!);
            }

            return ValueTask.FromResult(new CreateMessageResult { Content = [new TextContentBlock { Text = "text only" }], Model = "m", Role = Role.Assistant });
        };
        var client = await McpClient.CreateAsync(new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream()), options);
        return new BareSession(server, client, run);
    }

    private sealed record BareSession(ModelContextProtocol.Server.McpServer Server, McpClient Client, Task Run) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await Server.DisposeAsync();
        }
    }

    private static SentRequest Read(CreateMessageRequestParams request)
    {
        var tools = request.Tools?.Select(t => t.Name).ToList() ?? [];
        var results = request.Messages.SelectMany(m => m.Content.OfType<ToolResultContentBlock>())
            .Select(r => (r.ToolUseId, string.Concat(r.Content.OfType<TextContentBlock>().Select(t => t.Text)))).ToList();
        var echoed = request.Messages.Where(m => m.Role == Role.Assistant).SelectMany(m => m.Content.OfType<ToolUseContentBlock>()).Select(t => t.Id).ToList();
        return new SentRequest(tools, results, echoed);
    }
}
