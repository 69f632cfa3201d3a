using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Hosting;

/// <summary>
/// Keeps every progress notification of a request before the request's answer: the answer waits until the request's
/// notifications already on their way are written, and a notification that comes after the answer is not sent.
/// </summary>
/// <remarks>
/// The SDK sends progress fire-and-forget (<c>IProgress.Report</c> starts a send it does not await), so a tool that
/// returns right after a report could have its answer written first; Claude Code then drops the stdio connection
/// ("Received a progress notification for an unknown token"). An incoming filter notes each request's progress token
/// by session and request id; an outgoing filter counts the notifications in flight per token, holds the answer until
/// they are written, then marks the token answered so that later notifications of it are dropped. A session is its
/// id; without one, the stdio session is one key and each of the agents' in-process loopback sessions is its server
/// object, so that a nested session's request ids and tokens never meet the outer one's.
/// </remarks>
internal static class ProgressOrderFilter
{
    private const int AnsweredKept = 4096;

    private static readonly ConcurrentDictionary<(object Session, RequestId Id), string> TokenOf = new();
    private static readonly ConcurrentDictionary<(object Session, string Token), Flight> Flights = new();
    private static readonly ConcurrentQueue<((object Session, string Token) Key, Flight Flight)> Answered = new();

    public static McpMessageFilter Incoming => next => (context, cancellationToken) =>
    {
        if (context.JsonRpcMessage is JsonRpcRequest request && Token(request.Params) is { } token)
        {
            var session = Session(context);
            TokenOf[(session, request.Id)] = token;
            Flights[(session, token)] = new Flight();
        }

        return next(context, cancellationToken);
    };

    public static McpMessageFilter Outgoing => next => async (context, cancellationToken) =>
    {
        var session = Session(context);
        switch (context.JsonRpcMessage)
        {
            case JsonRpcNotification { Method: NotificationMethods.ProgressNotification } notification
                when Token(notification.Params) is { } token && Flights.TryGetValue((session, token), out var flight):
                if (!flight.Enter())
                {
                    return;
                }

                try
                {
                    await next(context, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    flight.Leave();
                }

                return;

            case JsonRpcMessageWithId answer and (JsonRpcResponse or JsonRpcError)
                when TokenOf.TryRemove((session, answer.Id), out var token) && Flights.TryGetValue((session, token), out var flight):
                await flight.AnswerAsync().ConfigureAwait(false);
                Remember((session, token), flight);
                break;
        }

        await next(context, cancellationToken).ConfigureAwait(false);
    };

    private static object Session(MessageContext context) =>
        (object?)context.Server?.SessionId
        ?? (context.Server is { ClientInfo.Name: Agents.LoopbackSession.ClientName } loopback ? (object)loopback : string.Empty);

    /// <summary>The progress token of a request's <c>_meta</c> or a progress notification's params, as text.</summary>
    private static string? Token(JsonNode? parameters)
    {
        var token = parameters?["progressToken"] ?? parameters?["_meta"]?["progressToken"];
        return token is JsonValue value ? value.ToJsonString() : null;
    }

    /// <summary>Keeps an answered token's flight (so late notifications are dropped) until many newer ones are answered.</summary>
    private static void Remember((object Session, string Token) key, Flight flight)
    {
        Answered.Enqueue((key, flight));
        while (Answered.Count > AnsweredKept && Answered.TryDequeue(out var old))
        {
            Flights.TryRemove(new KeyValuePair<(object, string), Flight>(old.Key, old.Flight));
        }
    }

    /// <summary>The progress notifications of one request that are being written, and whether it has been answered.</summary>
    private sealed class Flight
    {
        private readonly Lock _gate = new();
        private int _inFlight;
        private bool _answered;
        private TaskCompletionSource? _drained;

        /// <summary>False when the request is already answered (the notification must not be sent).</summary>
        public bool Enter()
        {
            lock (_gate)
            {
                if (_answered)
                {
                    return false;
                }

                _inFlight++;
                return true;
            }
        }

        public void Leave()
        {
            TaskCompletionSource? drained = null;
            lock (_gate)
            {
                if (--_inFlight == 0)
                {
                    drained = _drained;
                }
            }

            drained?.TrySetResult();
        }

        /// <summary>Marks the request answered and completes when its notifications in flight are written.</summary>
        public Task AnswerAsync()
        {
            lock (_gate)
            {
                _answered = true;
                if (_inFlight == 0)
                {
                    return Task.CompletedTask;
                }

                _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return _drained.Task;
            }
        }
    }
}
