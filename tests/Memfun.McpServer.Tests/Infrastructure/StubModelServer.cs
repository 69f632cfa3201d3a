using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Memfun.Testing;

/// <summary>
/// A real HTTP server on 127.0.0.1 that stands in for a model provider: each request to
/// <c>/v1/chat/completions</c> (OpenAI-compatible) or <c>/v1/messages</c> (Anthropic) takes the next scripted
/// reply. Records every request. Shared by the engine tests, the end-to-end tests and the benchmarks.
/// </summary>
public sealed class StubModelServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Queue<Reply> _script = new();
    private readonly Lock _gate = new();
    private readonly Task _loop;
    private readonly CancellationTokenSource _stopping = new();

    public StubModelServer()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    /// <summary>The OpenAI-style base URL (<c>http://127.0.0.1:port/v1</c>).</summary>
    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/v1");

    /// <summary>When set, answers every request from its body instead of the script, and records nothing (benchmarks).</summary>
    public Func<string, Reply>? Respond { get; set; }

    /// <summary>When set, answers every request from its path and body instead of the script, and records nothing (scripted hosts).</summary>
    public Func<string, string, Reply>? RespondTo { get; set; }

    public List<(string Path, Dictionary<string, string> Headers, string Body)> Requests { get; } = [];

    public int Remaining { get { lock (_gate) { return _script.Count; } } }

    /// <summary>Released once per request as it arrives (before it is answered): wait on it instead of sleeping.</summary>
    public SemaphoreSlim Arrived { get; } = new(0);

    /// <summary>
    /// A reply: status, body, extra headers, a delay before answering (cut short when the stub stops), the
    /// server-sent events to send instead of the body when the request asks for a stream (<c>"stream": true</c>),
    /// and the body's content type.
    /// </summary>
    public sealed record Reply(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null, TimeSpan Delay = default, string? StreamBody = null, string ContentType = "application/json");

    /// <summary>A tool call in a scripted model turn: the call's id, the tool, its arguments (serialized as given).</summary>
    public sealed record ToolCall(string Id, string Name, object Arguments);

    /// <summary>
    /// The environment that points a <c>memfun</c> child process at this stub as its OpenAI-compatible provider
    /// (model <c>stub-model</c>, key in <c>MEMFUN_TEST_STUB_KEY</c>, retries without waiting) with a user folder
    /// of its own (<c>MEMFUN_HOME</c>, so concurrent tests share no user-scope store); add to it freely.
    /// </summary>
    public Dictionary<string, string?> ClientEnvironment() => new()
    {
        ["MEMFUN_HOME"] = Path.Combine(Path.GetTempPath(), "memfun-home-" + Guid.NewGuid().ToString("N")),
        ["MEMFUN_LLM__PROVIDER"] = "openai",
        ["MEMFUN_LLM__MODEL"] = "stub-model",
        ["MEMFUN_LLM__BASE_URL"] = BaseUrl.ToString(),
        ["MEMFUN_LLM__RETRY_BASE_DELAY_MS"] = "1",
        ["MEMFUN_LLM__API_KEY_ENV"] = "MEMFUN_TEST_STUB_KEY",
        ["MEMFUN_TEST_STUB_KEY"] = "sk-stub-secret",
    };

    public StubModelServer Then(Reply reply)
    {
        lock (_gate)
        {
            _script.Enqueue(reply);
        }

        return this;
    }

    /// <summary>Queues an OpenAI chat completion whose message content is <paramref name="content"/>.</summary>
    public StubModelServer ThenOpenAi(string content, string finishReason = "stop", int promptTokens = 100, int completionTokens = 20) =>
        Then(OpenAiReply(content, finishReason, promptTokens, completionTokens));

    /// <summary>Queues an HTTP error, with a Retry-After header when given.</summary>
    public StubModelServer ThenStatus(int status, string? retryAfter = null) =>
        Then(new Reply(status, "{\"error\": {\"message\": \"scripted " + status + "\", \"type\": \"rate_limit\"}}",
            retryAfter is null ? null : new Dictionary<string, string> { ["Retry-After"] = retryAfter }));

    public static Reply OpenAiReply(string content, string finishReason = "stop", int promptTokens = 100, int completionTokens = 20) => new(200, JsonSerializer.Serialize(new
    {
        id = "chatcmpl-stub",
        @object = "chat.completion",
        created = 1_700_000_000,
        model = "stub-model",
        choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = finishReason } },
        usage = new { prompt_tokens = promptTokens, completion_tokens = completionTokens, total_tokens = promptTokens + completionTokens },
    }));

    public static Reply AnthropicReply(string text, string stopReason = "end_turn", int input = 100, int output = 20) => new(200, JsonSerializer.Serialize(new
    {
        id = "msg_stub",
        type = "message",
        role = "assistant",
        model = "claude-stub",
        content = new[] { new { type = "text", text } },
        stop_reason = stopReason,
        usage = new { input_tokens = input, output_tokens = output },
    }));

    /// <summary>
    /// An OpenAI chat completion turn in the real wire format, as JSON and as the <c>chat.completion.chunk</c> stream:
    /// optional text, tool calls (<c>tool_calls</c>, arguments as a JSON string, streamed in two pieces), a refusal
    /// (the <c>refusal</c> field) and the finish reason (<c>stop</c>, <c>tool_calls</c>, <c>length</c>, <c>content_filter</c>).
    /// </summary>
    public static Reply OpenAiTurn(string? text, IReadOnlyList<ToolCall>? calls = null, string? finishReason = null, string? refusal = null, int promptTokens = 100, int completionTokens = 20)
    {
        calls ??= [];
        var finish = finishReason ?? (calls.Count > 0 ? "tool_calls" : "stop");
        var toolCalls = calls.Select(c => new { id = c.Id, type = "function", function = new { name = c.Name, arguments = JsonSerializer.Serialize(c.Arguments) } }).ToArray();
        var usage = new { prompt_tokens = promptTokens, completion_tokens = completionTokens, total_tokens = promptTokens + completionTokens };
        var message = new Dictionary<string, object?> { ["role"] = "assistant", ["content"] = text, ["refusal"] = refusal };
        if (toolCalls.Length > 0)
        {
            message["tool_calls"] = toolCalls;
        }

        var json = JsonSerializer.Serialize(new
        {
            id = "chatcmpl-stub", @object = "chat.completion", created = 1_700_000_000, model = "stub-model",
            choices = new[] { new { index = 0, message, finish_reason = finish } },
            usage,
        });
        var sse = new StringBuilder();
        void Chunk(object delta, string? reason) => sse.Append("data: ").Append(JsonSerializer.Serialize(new
        {
            id = "chatcmpl-stub", @object = "chat.completion.chunk", created = 1_700_000_000, model = "stub-model",
            choices = new[] { new { index = 0, delta, finish_reason = reason } },
        })).Append("\n\n");
        Chunk(new { role = "assistant", content = "" }, null);
        if (text is { Length: > 0 })
        {
            Chunk(new { content = text[..(text.Length / 2)] }, null);
            Chunk(new { content = text[(text.Length / 2)..] }, null);
        }

        if (refusal is not null)
        {
            Chunk(new { refusal }, null);
        }

        for (var i = 0; i < calls.Count; i++)
        {
            var args = JsonSerializer.Serialize(calls[i].Arguments);
            Chunk(new { tool_calls = new[] { new { index = i, id = calls[i].Id, type = "function", function = new { name = calls[i].Name, arguments = args[..(args.Length / 2)] } } } }, null);
            Chunk(new { tool_calls = new[] { new { index = i, function = new { arguments = args[(args.Length / 2)..] } } } }, null);
        }

        Chunk(new { }, finish);
        sse.Append("data: ").Append(JsonSerializer.Serialize(new { id = "chatcmpl-stub", @object = "chat.completion.chunk", created = 1_700_000_000, model = "stub-model", choices = Array.Empty<object>(), usage })).Append("\n\n");
        sse.Append("data: [DONE]\n\n");
        return new Reply(200, json, StreamBody: sse.ToString());
    }

    /// <summary>
    /// An Anthropic Messages API turn in the real wire format, as JSON and as its event stream (<c>message_start</c>,
    /// <c>content_block_start</c>/<c>_delta</c>/<c>_stop</c> with <c>text_delta</c> and <c>input_json_delta</c>, <c>ping</c>,
    /// <c>message_delta</c>, <c>message_stop</c>): optional text, <c>tool_use</c> blocks, the stop reason (<c>end_turn</c>,
    /// <c>tool_use</c>, <c>max_tokens</c>, <c>refusal</c>) and usage with cache tokens.
    /// </summary>
    public static Reply AnthropicTurn(string? text, IReadOnlyList<ToolCall>? calls = null, string? stopReason = null, int input = 100, int output = 20, int cacheRead = 0, int cacheWrite = 0)
    {
        calls ??= [];
        var stop = stopReason ?? (calls.Count > 0 ? "tool_use" : "end_turn");
        var blocks = new List<object>();
        if (text is not null)
        {
            blocks.Add(new { type = "text", text });
        }

        blocks.AddRange(calls.Select(c => (object)new { type = "tool_use", id = c.Id, name = c.Name, input = c.Arguments }));
        var usage = new { input_tokens = input, output_tokens = output, cache_creation_input_tokens = cacheWrite, cache_read_input_tokens = cacheRead };
        var json = JsonSerializer.Serialize(new { id = "msg_stub", type = "message", role = "assistant", model = "claude-stub", content = blocks, stop_reason = stop, stop_sequence = (string?)null, usage });
        var sse = new StringBuilder();
        void Event(string name, object data) => sse.Append("event: ").Append(name).Append("\ndata: ").Append(JsonSerializer.Serialize(data)).Append("\n\n");
        Event("message_start", new { type = "message_start", message = new { id = "msg_stub", type = "message", role = "assistant", model = "claude-stub", content = Array.Empty<object>(), stop_reason = (string?)null, stop_sequence = (string?)null, usage = usage with { output_tokens = 1 } } });
        Event("ping", new { type = "ping" });
        var index = 0;
        if (text is not null)
        {
            Event("content_block_start", new { type = "content_block_start", index, content_block = new { type = "text", text = "" } });
            Event("content_block_delta", new { type = "content_block_delta", index, delta = new { type = "text_delta", text = text[..(text.Length / 2)] } });
            Event("content_block_delta", new { type = "content_block_delta", index, delta = new { type = "text_delta", text = text[(text.Length / 2)..] } });
            Event("content_block_stop", new { type = "content_block_stop", index });
            index++;
        }

        foreach (var c in calls)
        {
            var args = JsonSerializer.Serialize(c.Arguments);
            Event("content_block_start", new { type = "content_block_start", index, content_block = new { type = "tool_use", id = c.Id, name = c.Name, input = new { } } });
            Event("content_block_delta", new { type = "content_block_delta", index, delta = new { type = "input_json_delta", partial_json = args[..(args.Length / 2)] } });
            Event("content_block_delta", new { type = "content_block_delta", index, delta = new { type = "input_json_delta", partial_json = args[(args.Length / 2)..] } });
            Event("content_block_stop", new { type = "content_block_stop", index });
            index++;
        }

        Event("message_delta", new { type = "message_delta", delta = new { stop_reason = stop, stop_sequence = (string?)null }, usage = new { output_tokens = output } });
        Event("message_stop", new { type = "message_stop" });
        return new Reply(200, json, StreamBody: sse.ToString());
    }

    /// <summary>An Anthropic error answer (<c>{"type":"error","error":{…}}</c>), with a Retry-After header when given.</summary>
    public static Reply AnthropicError(int status, string type, string message, string? retryAfter = null) => new(
        status,
        JsonSerializer.Serialize(new { type = "error", error = new { type, message } }),
        retryAfter is null ? null : new Dictionary<string, string> { ["Retry-After"] = retryAfter });

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k] ?? string.Empty, StringComparer.OrdinalIgnoreCase);
            var path = context.Request.Url?.AbsolutePath ?? string.Empty;
            Reply reply;
            lock (_gate)
            {
                if (Respond is null && RespondTo is null)
                {
                    Requests.Add((path, headers, body));
                }

                reply = RespondTo?.Invoke(path, body) ?? Respond?.Invoke(body) ?? (_script.TryDequeue(out var next) ? next : new Reply(500, "{\"error\": {\"message\": \"the stub's script is exhausted\"}}"));
            }

            Arrived.Release();

            if (reply.Delay > TimeSpan.Zero)
            {
                await Task.Delay(reply.Delay, _stopping.Token);
            }

            var stream = reply.StreamBody is not null && body.Contains("\"stream\":true", StringComparison.Ordinal);
            context.Response.StatusCode = reply.Status;
            context.Response.ContentType = stream ? "text/event-stream" : reply.ContentType;
            foreach (var (k, v) in reply.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[k] = v;
            }

            var bytes = Encoding.UTF8.GetBytes(stream ? reply.StreamBody! : reply.Body);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or IOException or OperationCanceledException)
        {
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
        }

        _stopping.Dispose();
    }
}
