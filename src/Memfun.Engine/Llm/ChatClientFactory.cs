using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Server;
using OpenAI;

namespace Memfun.Engine.Llm;

/// <summary>
/// Builds the agents' chat client from <see cref="LlmOptions"/>: an OpenAI-compatible endpoint, Anthropic,
/// or MCP sampling through the calling host; each wrapped (outermost first) in the request budget,
/// token accounting and retries.
/// </summary>
/// <remarks>
/// Thread-safe. The provider client is built once, on first use; the sampling client is built per request
/// because it belongs to the session that made the request. API keys come from the variable named by
/// <c>api_key_env</c>, else from <see cref="CredentialStore"/>, which hands a stored key out only for the endpoint it
/// was stored for; they are never logged.
/// </remarks>
internal sealed partial class ChatClientFactory : IChatClientFactory, IDisposable
{
    private readonly LlmOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly Lazy<IChatClient?> _provider;

    public ChatClientFactory(LlmOptions options, ILoggerFactory? loggers = null)
    {
        _options = options;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger("Memfun.Engine.Llm");
        _provider = new Lazy<IChatClient?>(CreateProvider, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The options in force.</summary>
    public LlmOptions Options => _options;

    public IChatClient GetChatClient(McpServer? requestServer = null)
    {
        if (_options.EffectiveProvider != "sampling")
        {
            return _provider.Value!;
        }

        // MCP9005: sampling is marked obsolete since spec 2026-07-28 (SEP-2577), but it is the zero-configuration
        // path the design asks for: the host that called the tool answers with its own model. The SDK's adapter
        // is exactly that; this is the one place it is used. Revisit when hosts move to its successor.
#pragma warning disable MCP9005
        if (requestServer?.ClientCapabilities?.Sampling is null)
        {
            throw new LlmNotConfiguredException();
        }

        var sampling = requestServer.AsSamplingChatClient();
        LogProvider(_logger, "sampling", _options.Model ?? "(host's choice)");
        // Outside the retries: a host that declined (or lacks tool use) is not asked again.
        return new SamplingChatClientAdapter(Wrap(sampling), requestServer.ClientCapabilities, requestServer.ClientInfo);
#pragma warning restore MCP9005
    }

    public void Dispose()
    {
        if (_provider.IsValueCreated)
        {
            _provider.Value?.Dispose();
        }
    }

    private IChatClient CreateProvider()
    {
        var provider = _options.EffectiveProvider;
        var keyEnv = _options.ApiKeyEnv ?? (provider == "anthropic" ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY");
        var key = Environment.GetEnvironmentVariable(keyEnv) is { Length: > 0 } k ? k : CredentialStore.GetApiKey(provider, _options.BaseUrl);
        IChatClient inner;
        switch (provider)
        {
            case "openai":
            {
                if (key is null && _options.BaseUrl is null)
                {
                    throw new LlmNotConfiguredException(
                        $"[llm] provider is \"openai\" but no API key was found: set {keyEnv} (or [llm] api_key_env to the variable that holds it), " +
                        "or run 'memfun init' to store one; for a local endpoint (Ollama, vLLM, LM Studio) set [llm] base_url.");
                }

                var model = _options.Model ?? "gpt-4o-mini";
                var clientOptions = new OpenAIClientOptions
                {
                    Endpoint = _options.BaseUrl,
                    // Retries are ours (RetryingChatClient), so a 429 is retried once per policy, with our budget.
                    RetryPolicy = new ClientRetryPolicy(0),
                    NetworkTimeout = _options.RequestTimeout > TimeSpan.Zero ? _options.RequestTimeout : TimeSpan.FromMinutes(10),
                };
                inner = new ProviderErrorChatClient(
                    new OpenAIClient(new ApiKeyCredential(key ?? "not-needed"), clientOptions).GetChatClient(model).AsIChatClient(),
                    "the OpenAI-compatible endpoint",
                    _options.BaseUrl ?? new Uri("https://api.openai.com/v1"));
                LogProvider(_logger, "openai", model);
                break;
            }

            case "anthropic":
            {
                if (key is null)
                {
                    throw new LlmNotConfiguredException(
                        $"[llm] provider is \"anthropic\" but no API key was found: set {keyEnv} (or [llm] api_key_env to the variable that holds it), or run 'memfun init' to store one.");
                }

                var model = _options.Model ?? "claude-sonnet-4-5";
                inner = AnthropicProvider.Create(_options, model, key);
                LogProvider(_logger, "anthropic", model);
                break;
            }

            default:
                throw new LlmNotConfiguredException($"[llm] provider '{_options.Provider}' is not known. Use \"openai\", \"anthropic\" or \"sampling\".");
        }

        return Wrap(inner);
    }

    private IChatClient Wrap(IChatClient inner)
    {
        var options = _options;
        IChatClient client = new RetryingChatClient(inner, options.MaxRetries, options.RetryBaseDelay, _logger);
        client = new ConfigureOptionsChatClient(client, o =>
        {
            o.ModelId ??= options.Model;
            o.Temperature ??= options.Temperature;
            o.MaxOutputTokens ??= options.MaxTokens > 0 ? options.MaxTokens : null;
        });
        client = new UsageAccountingChatClient(client, _logger);
        return new BudgetChatClient(client);
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Debug, Message = "Model provider: {Provider}, model {Model}.")]
    private static partial void LogProvider(ILogger logger, string provider, string model);
}
