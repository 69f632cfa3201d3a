using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Memfun.McpServer.Hosting;

/// <summary>
/// The MCP server transport over a pair of streams (stdin/stdout): newline-delimited JSON-RPC that
/// answers every line it reads, survives bad input, and drains in-flight requests when the input ends.
/// </summary>
/// <remarks>
/// <para>Differences from the SDK's <c>StreamServerTransport</c>, each one a host-visible fix:</para>
/// <list type="bullet">
/// <item><description>End of input does not drop work already received: the transport stays connected
/// until every request it read has been answered, or no answer has come for <see cref="DrainTimeout"/>
/// (or <see cref="MaxDrain"/> has passed), and only then disconnects (which cancels what is left).</description></item>
/// <item><description>A line that is not JSON gets a <c>-32700</c> parse error; JSON that is not a
/// JSON-RPC message (wrong types, a batch array, a bare value) gets <c>-32600</c>. The id is recovered
/// from the line's top level when it can be, otherwise it is <c>null</c>. Reading goes on.</description></item>
/// <item><description>A line longer than <see cref="MaxMessageBytes"/> is skipped without being
/// buffered whole, answered with <c>-32600</c> (id recovered from its first bytes when possible), and
/// reading goes on.</description></item>
/// </list>
/// <para>Thread safety: <see cref="SendMessageAsync"/> may be called concurrently; writes are serialized.
/// Disposal closes both streams. Incoming lines are untrusted: they are logged only at Trace.</para>
/// </remarks>
internal sealed partial class StdioTransport : TransportBase
{
    /// <summary>Default largest accepted line: 8 MiB.</summary>
    public const int DefaultMaxMessageBytes = 8 * 1024 * 1024;

    private const int IdProbeBytes = 4096;
    private const int InitialSendBuffer = 16 * 1024;
    private const int MaxKeptSendBuffer = 1024 * 1024;
    private static readonly byte[] Newline = "\n"u8.ToArray();
    private static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo MessageTypeInfo = McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage));

    private readonly Stream _input;
    private readonly Stream _output;
    private readonly PipeReader _reader;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    // JSON-RPC on a pipe is never embedded in HTML: only what JSON itself requires is escaped (quotes, backslash,
    // control characters), as a Node server writes it. Code is full of '<', '>', '&' and '+', and non-ASCII text
    // stays UTF-8: the default encoder's \u003E for each of them made a file's text slower to write and longer.
    private readonly Utf8JsonWriter _sendWriter = new(Stream.Null, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    private ArrayBufferWriter<byte> _sendBuffer = new(InitialSendBuffer);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ConcurrentDictionary<RequestId, byte> _inFlight = new();
    private readonly Lock _drainGate = new();
    private TaskCompletionSource? _drained;
    private readonly Task _readLoop;
    private readonly TaskCompletionSource _firstSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;
    private long _lastCompletion;

    /// <summary>Starts reading <paramref name="input"/> at once; replies go to <paramref name="output"/>.</summary>
    /// <param name="input">The stream the client writes to (stdin).</param>
    /// <param name="output">The stream the client reads (stdout).</param>
    /// <param name="drainTimeout">After the input ends, how long to wait for the next answer (default 5 s).</param>
    /// <param name="maxMessageBytes">The largest line accepted (default <see cref="DefaultMaxMessageBytes"/>).</param>
    /// <param name="loggerFactory">Logs go wherever this factory sends them (stderr in memfun).</param>
    public StdioTransport(Stream input, Stream output, TimeSpan? drainTimeout = null, int maxMessageBytes = DefaultMaxMessageBytes, ILoggerFactory? loggerFactory = null)
        : base("memfun stdio", loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageBytes, 1024);
        _input = input;
        _output = output;
        _reader = PipeReader.Create(input, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        _logger = loggerFactory?.CreateLogger<StdioTransport>() ?? NullLogger<StdioTransport>.Instance;
        DrainTimeout = drainTimeout ?? TimeSpan.FromSeconds(5);
        MaxMessageBytes = maxMessageBytes;
        SetConnected();
        _readLoop = Task.Run(ReadLoopAsync);
    }

    /// <summary>
    /// How long, once the input has ended, the transport waits for the next answer before it gives up
    /// on the requests still running (the clock restarts with every answer, up to <see cref="MaxDrain"/>).
    /// </summary>
    public TimeSpan DrainTimeout { get; }

    /// <summary>The longest the drain may last however steadily answers come (ten times <see cref="DrainTimeout"/>).</summary>
    public TimeSpan MaxDrain => DrainTimeout * 10;

    /// <summary>The largest line, in bytes, that is parsed; longer lines are refused with an error.</summary>
    public int MaxMessageBytes { get; }

    /// <summary>Completes when reading has stopped and the transport has disconnected.</summary>
    public Task Completion => _readLoop;

    /// <summary>Completes once the first message (normally the answer to <c>initialize</c>) has been written and flushed.</summary>
    /// <remarks>Start-up work that the first answer does not need waits for this (see <see cref="StdioServer"/>).</remarks>
    public Task FirstMessageSent => _firstSent.Task;

    /// <inheritdoc />
    public override async Task SendMessageAsync(JsonRpcMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            // One buffer per message, newline included, written with one synchronous write: the console stream's async
            // methods only run the same blocking write on a pool thread, so awaiting them costs a thread hop each, and a
            // body and its newline written apart wake the client twice for one message.
            _sendBuffer.ResetWrittenCount();
            _sendWriter.Reset(_sendBuffer);
            JsonSerializer.Serialize(_sendWriter, message, MessageTypeInfo);
            _sendBuffer.Write(Newline);

            // Once a message is started it is written whole: a cancellation between the body and its newline (a request
            // the client gave up on) would glue the next message onto the same line and the client could read neither.
            _output.Write(_sendBuffer.WrittenSpan);
            _output.Flush();
            if (_firstSent.TrySetResult())
            {
                StartupTrace.Mark("first message sent");
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            LogSendFailed(_logger, ex);
            throw new IOException("The client closed the output stream.", ex);
        }
        finally
        {
            if (_sendBuffer.Capacity > MaxKeptSendBuffer)
            {
                // A large answer does not keep its buffer for the rest of the session.
                _sendBuffer = new ArrayBufferWriter<byte>(InitialSendBuffer);
            }

            _sendLock.Release();
        }

        if (message is JsonRpcResponse or JsonRpcError)
        {
            Complete(((JsonRpcMessageWithId)message).Id);
        }
    }

    private async Task ReadLoopAsync()
    {
        var token = _shutdown.Token;
        Exception? error = null;
        try
        {
            await ReadLinesAsync(token);
            LogEndOfInput(_logger, _inFlight.Count);
            await DrainAsync(token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The input closed under us (disposal, or the client went away): an ordinary end.
        }
        catch (Exception ex)
        {
            LogReadFailed(_logger, ex);
            error = ex;
        }
        finally
        {
            SetDisconnected(error);
        }
    }

    private async Task ReadLinesAsync(CancellationToken token)
    {
        // While skipping an oversized line: how many bytes were skipped and its first bytes (for the id).
        long skipped = -1;
        byte[]? skippedHead = null;

        while (true)
        {
            var result = await _reader.ReadAsync(token);
            var buffer = result.Buffer;

            while (true)
            {
                var newline = buffer.PositionOf((byte)'\n');
                if (skipped >= 0)
                {
                    if (newline is null)
                    {
                        skipped += buffer.Length;
                        buffer = buffer.Slice(buffer.End);
                        break;
                    }

                    skipped += buffer.Slice(0, newline.Value).Length;
                    buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
                    await RefuseOversizedAsync(skippedHead!, skipped, token);
                    skipped = -1;
                    skippedHead = null;
                    continue;
                }

                if (newline is null)
                {
                    if (buffer.Length > MaxMessageBytes)
                    {
                        skippedHead = buffer.Slice(0, Math.Min(IdProbeBytes, buffer.Length)).ToArray();
                        skipped = buffer.Length;
                        buffer = buffer.Slice(buffer.End);
                    }

                    break;
                }

                var line = buffer.Slice(0, newline.Value);
                buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
                if (line.Length > MaxMessageBytes)
                {
                    await RefuseOversizedAsync(line.Slice(0, Math.Min(IdProbeBytes, line.Length)).ToArray(), line.Length, token);
                }
                else
                {
                    await ProcessLineAsync(line, token);
                }
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);

            if (result.IsCompleted || result.IsCanceled)
            {
                if (skipped >= 0)
                {
                    await RefuseOversizedAsync(skippedHead!, skipped, token);
                }
                else if (!buffer.IsEmpty && buffer.Length <= MaxMessageBytes)
                {
                    // A last line without its newline still counts.
                    await ProcessLineAsync(buffer, token);
                }

                await _reader.CompleteAsync();
                return;
            }
        }
    }

    private async Task ProcessLineAsync(ReadOnlySequence<byte> line, CancellationToken token)
    {
        line = TrimWhitespace(line);
        if (line.IsEmpty)
        {
            return;
        }

        if (_logger.IsEnabled(LogLevel.Trace))
        {
            LogReceivedSensitive(_logger, System.Text.Encoding.UTF8.GetString(line.ToArray()));
        }

        JsonRpcMessage? message = null;
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 256 });
            message = JsonSerializer.Deserialize(ref reader, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage))) as JsonRpcMessage;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or ArgumentException or FormatException)
        {
            LogMalformed(_logger, ex.Message);
        }

        if (message is null)
        {
            var wellFormed = IsWellFormedJson(line);
            await RefuseAsync(
                TryRecoverId(line, isFinalBlock: true),
                wellFormed ? McpErrorCode.InvalidRequest : McpErrorCode.ParseError,
                wellFormed
                    ? "Invalid Request: the line is JSON but not a JSON-RPC 2.0 message (expected an object with \"jsonrpc\": \"2.0\" and a string \"method\", or a response)."
                    : "Parse error: the line is not valid JSON. Send one JSON-RPC message per line, UTF-8, terminated by a newline.",
                token);
            return;
        }

        StartupTrace.Mark("received message");
        switch (message)
        {
            case JsonRpcRequest request:
                _inFlight.TryAdd(request.Id, 0);
                break;
            case JsonRpcNotification { Method: NotificationMethods.CancelledNotification } cancelled:
                // A cancelled request gets no response, so it no longer holds the drain open.
                if (cancelled.Params?["requestId"] is JsonValue v && TryReadId(v, out var id))
                {
                    Complete(id);
                }

                break;
        }

        await WriteMessageAsync(message, token);
    }

    private async Task DrainAsync(CancellationToken token)
    {
        Task drained;
        lock (_drainGate)
        {
            if (_inFlight.IsEmpty)
            {
                return;
            }

            _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            drained = _drained.Task;
        }

        // Wait while answers keep coming: stop after DrainTimeout without one, or MaxDrain in all.
        var started = Environment.TickCount64;
        while (!drained.IsCompleted)
        {
            var idle = Environment.TickCount64 - Volatile.Read(ref _lastCompletion);
            var left = Math.Min(DrainTimeout.TotalMilliseconds - Math.Min(idle, Environment.TickCount64 - started), MaxDrain.TotalMilliseconds - (Environment.TickCount64 - started));
            if (left <= 0)
            {
                LogDrainTimedOut(_logger, _inFlight.Count, DrainTimeout.TotalSeconds);
                return;
            }

            await Task.WhenAny(drained, Task.Delay(TimeSpan.FromMilliseconds(left), token));
            token.ThrowIfCancellationRequested();
        }
    }

    private void Complete(RequestId id)
    {
        if (!_inFlight.TryRemove(id, out _))
        {
            return;
        }

        Volatile.Write(ref _lastCompletion, Environment.TickCount64);
        if (_inFlight.IsEmpty)
        {
            lock (_drainGate)
            {
                if (_inFlight.IsEmpty)
                {
                    _drained?.TrySetResult();
                }
            }
        }
    }

    private Task RefuseOversizedAsync(byte[] head, long length, CancellationToken token) =>
        RefuseAsync(
            TryRecoverId(new ReadOnlySequence<byte>(head), isFinalBlock: false),
            McpErrorCode.InvalidRequest,
            $"Invalid Request: the message is {length:N0} bytes, over this server's limit of {MaxMessageBytes:N0} bytes per message. It was skipped; send smaller messages (for large files, write them in parts).",
            token);

    private async Task RefuseAsync(RequestId? id, McpErrorCode code, string text, CancellationToken token)
    {
        LogRefused(_logger, (int)code, text);
        var error = new JsonRpcError
        {
            Id = id ?? default,
            Error = new JsonRpcErrorDetail { Code = (int)code, Message = text },
        };
        try
        {
            if (id is null)
            {
                // JSON-RPC wants "id": null when the id could not be read; the SDK's type cannot express it.
                var node = JsonSerializer.SerializeToNode(error, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage)))!.AsObject();
                node["id"] = null;
                await WriteRawAsync(System.Text.Encoding.UTF8.GetBytes(node.ToJsonString()), token);
            }
            else
            {
                await SendMessageAsync(error, token);
            }
        }
        catch (IOException)
        {
            // The client is gone; nothing to answer.
        }
    }

    private async Task WriteRawAsync(byte[] json, CancellationToken token)
    {
        await _sendLock.WaitAsync(token);
        try
        {
            _output.Write([.. json, .. Newline]);
            _output.Flush();
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private static ReadOnlySequence<byte> TrimWhitespace(ReadOnlySequence<byte> line)
    {
        var reader = new SequenceReader<byte>(line);
        reader.AdvancePastAny((byte)' ', (byte)'\t', (byte)'\r', (byte)'\n');
        line = line.Slice(reader.Position);
        while (!line.IsEmpty)
        {
            var last = line.Slice(line.Length - 1).FirstSpan[0];
            if (last is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                break;
            }

            line = line.Slice(0, line.Length - 1);
        }

        return line;
    }

    private static bool IsWellFormedJson(ReadOnlySequence<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 1024 });
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Finds a top-level <c>"id"</c> (number or string) read before the first thing that is not readable.</summary>
    internal static RequestId? TryRecoverId(ReadOnlySequence<byte> bytes, bool isFinalBlock)
    {
        try
        {
            var reader = new Utf8JsonReader(bytes, isFinalBlock, new JsonReaderState(new JsonReaderOptions { MaxDepth = 1024 }));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = reader.ValueTextEquals("id"u8);
                if (!reader.Read())
                {
                    return null;
                }

                if (isId)
                {
                    return reader.TokenType switch
                    {
                        JsonTokenType.Number when reader.TryGetInt64(out var n) => new RequestId(n),
                        JsonTokenType.String => new RequestId(reader.GetString()!),
                        _ => null,
                    };
                }

                if (!reader.TrySkip())
                {
                    return null;
                }
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    private static bool TryReadId(JsonValue value, out RequestId id)
    {
        if (value.TryGetValue<long>(out var n))
        {
            id = new RequestId(n);
            return true;
        }

        if (value.TryGetValue<string>(out var s))
        {
            id = new RequestId(s);
            return true;
        }

        id = default;
        return false;
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _shutdown.CancelAsync();
        // A read blocked in the kernel does not see the token: closing the stream wakes it.
        await _input.DisposeAsync();
        try
        {
            await _readLoop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }

        await _sendLock.WaitAsync();
        try
        {
            await _output.DisposeAsync();
        }
        finally
        {
            _sendLock.Release();
        }

        SetDisconnected();
        _shutdown.Dispose();
    }

    [LoggerMessage(3101, LogLevel.Debug, "Input ended with {InFlight} request(s) in flight; draining.")]
    private static partial void LogEndOfInput(ILogger logger, int inFlight);

    [LoggerMessage(3102, LogLevel.Warning, "{InFlight} request(s) were still running after the input ended and no answer came for {Seconds} s; cancelling them.")]
    private static partial void LogDrainTimedOut(ILogger logger, int inFlight, double seconds);

    [LoggerMessage(3103, LogLevel.Warning, "Refused an incoming message with JSON-RPC error {Code}: {Message}")]
    private static partial void LogRefused(ILogger logger, int code, string message);

    [LoggerMessage(3104, LogLevel.Debug, "An incoming line did not deserialize as a JSON-RPC message: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string reason);

    [LoggerMessage(3105, LogLevel.Error, "Reading the input failed.")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(3106, LogLevel.Debug, "Writing a message to the output failed.")]
    private static partial void LogSendFailed(ILogger logger, Exception exception);

    [LoggerMessage(3107, LogLevel.Trace, "Received: {Line}")]
    private static partial void LogReceivedSensitive(ILogger logger, string line);
}
