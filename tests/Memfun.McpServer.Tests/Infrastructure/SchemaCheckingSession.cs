using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Tests.Infrastructure;

/// <summary>
/// One connected session of <see cref="SchemaCheckingTransport"/>: it learns each tool's <c>outputSchema</c> from
/// <c>tools/list</c> (sending its own when a call names a tool it has not seen listed, with the call's <c>_meta</c>, and
/// keeping that answer from the client) and replaces a <c>tools/call</c> answer whose structured content breaks the
/// schema with the TypeScript client's error.
/// </summary>
internal sealed class SchemaCheckingSession : ITransport
{
    private readonly ITransport _inner;
    private readonly Channel<JsonRpcMessage> _incoming = Channel.CreateUnbounded<JsonRpcMessage>();
    private readonly ConcurrentDictionary<RequestId, string> _calls = new();
    private readonly ConcurrentDictionary<RequestId, TaskCompletionSource<JsonRpcMessage>> _own = new();
    private readonly SemaphoreSlim _listing = new(1, 1);
    private readonly Task _pump;
    private volatile Dictionary<string, JsonElement?>? _schemas;
    private long _next;

    public SchemaCheckingSession(ITransport inner)
    {
        _inner = inner;
        _pump = Task.Run(PumpAsync);
    }

    public string? SessionId => _inner.SessionId;

    public ChannelReader<JsonRpcMessage> MessageReader => _incoming.Reader;

    public async Task SendMessageAsync(JsonRpcMessage message, CancellationToken cancellationToken = default)
    {
        if (message is JsonRpcRequest { Method: RequestMethods.ToolsCall } call && call.Params?["name"] is JsonValue n && n.TryGetValue<string>(out var name))
        {
            if (_schemas is not { } known || !known.ContainsKey(name))
            {
                await ListAsync(call, cancellationToken);
            }

            _calls[call.Id] = name;
        }

        await _inner.SendMessageAsync(message, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync();
        await _pump;
        _listing.Dispose();
    }

    private async Task PumpAsync()
    {
        Exception? failure = null;
        try
        {
            await foreach (var message in _inner.MessageReader.ReadAllAsync())
            {
                if (message is JsonRpcMessageWithId { } answer and (JsonRpcResponse or JsonRpcError) && _own.TryRemove(answer.Id, out var waiter))
                {
                    waiter.TrySetResult(message);
                    continue;
                }

                var forwarded = message;
                if (message is JsonRpcMessageWithId { } withId and (JsonRpcResponse or JsonRpcError) && _calls.TryRemove(withId.Id, out var tool)
                    && message is JsonRpcResponse response)
                {
                    forwarded = Check(response, tool);
                }
                else if (message is JsonRpcNotification { Method: NotificationMethods.ToolListChangedNotification })
                {
                    _schemas = null;
                }

                await _incoming.Writer.WriteAsync(forwarded);
            }
        }
        catch (Exception e)
        {
            failure = e;
        }

        _incoming.Writer.TryComplete(failure);
        foreach (var waiter in _own.Values)
        {
            waiter.TrySetException(new IOException("The session closed before tools/list answered.", failure));
        }
    }

    private JsonRpcMessage Check(JsonRpcResponse response, string tool)
    {
        if (_schemas is not { } schemas || !schemas.TryGetValue(tool, out var schema) || schema is not { } outputSchema
            || response.Result is not JsonObject result || result["isError"] is JsonValue e && e.TryGetValue<bool>(out var isError) && isError
            // Under 2026-07-28 a call that needs the client (sampling, elicitation) first answers "input required"; the
            // client answers and calls again, and that second answer is the result the schema is about.
            || result["inputRequests"] is not null)
        {
            return response;
        }

        var problem = result["structuredContent"] is JsonNode structured
            ? OutputSchemaCheck.Problems(outputSchema, JsonSerializer.SerializeToElement(structured))
            : $"Tool {tool} has an output schema but did not return structured content";
        if (problem is null)
        {
            return response;
        }

        OutputSchemaCheck.Record(tool, problem);
        return new JsonRpcError
        {
            Id = response.Id,
            Error = new JsonRpcErrorDetail
            {
                Code = (int)McpErrorCode.InvalidParams,
                Message = $"Structured content does not match the tool's output schema ({tool}): {problem}",
            },
        };
    }

    private async Task ListAsync(JsonRpcRequest call, CancellationToken cancellationToken)
    {
        await _listing.WaitAsync(cancellationToken);
        try
        {
            var schemas = new Dictionary<string, JsonElement?>(StringComparer.Ordinal);
            string? cursor = null;
            do
            {
                var id = new RequestId($"schema-check-{Interlocked.Increment(ref _next)}");
                var parameters = new JsonObject();
                if (call.Params?["_meta"] is JsonObject meta)
                {
                    var copy = (JsonObject)meta.DeepClone();
                    copy.Remove("progressToken");
                    parameters["_meta"] = copy;
                }

                if (cursor is not null)
                {
                    parameters["cursor"] = cursor;
                }

                var waiter = new TaskCompletionSource<JsonRpcMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
                _own[id] = waiter;
                await _inner.SendMessageAsync(new JsonRpcRequest { Id = id, Method = RequestMethods.ToolsList, Params = parameters }, cancellationToken);
                if (await waiter.Task.WaitAsync(cancellationToken) is not JsonRpcResponse { Result: JsonObject result })
                {
                    throw new InvalidOperationException("The schema check's tools/list was refused.");
                }

                var page = result.Deserialize<ListToolsResult>(McpJsonUtilities.DefaultOptions)!;
                foreach (var t in page.Tools)
                {
                    schemas[t.Name] = t.OutputSchema;
                }

                cursor = page.NextCursor;
            }
            while (cursor is not null);

            _schemas = schemas;
        }
        finally
        {
            _listing.Release();
        }
    }
}
