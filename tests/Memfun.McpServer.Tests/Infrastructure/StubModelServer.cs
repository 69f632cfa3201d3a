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

    /// <summary>A reply: status, body, extra headers.</summary>
    public sealed record Reply(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null, TimeSpan Delay = default, string ContentType = "application/json");

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

            if (reply.Delay > TimeSpan.Zero)
            {
                await Task.Delay(reply.Delay);
            }

            context.Response.StatusCode = reply.Status;
            context.Response.ContentType = reply.ContentType;
            foreach (var (k, v) in reply.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[k] = v;
            }

            var bytes = Encoding.UTF8.GetBytes(reply.Body);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or IOException)
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
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
        }
    }
}
