using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Memfun.Engine.Llm;

/// <summary>The <c>[llm]</c> settings: which provider the agents use, and the limits of one request.</summary>
/// <remarks>
/// Keys (memfun.toml <c>[llm]</c>, or <c>MEMFUN_LLM__KEY</c>): <c>provider</c> (<c>sampling</c>, <c>openai</c>,
/// <c>anthropic</c>; empty = sampling when the host offers it), <c>model</c>, <c>base_url</c>, <c>api_key_env</c>
/// (the variable that holds the key; the key itself never lives in configuration), <c>temperature</c>,
/// <c>max_tokens</c> (output tokens per call, default 8192), <c>request_token_budget</c> (all calls of one
/// request, default 400000), <c>request_timeout_seconds</c> (default 600), <c>max_retries</c> (default 4),
/// <c>retry_base_delay_ms</c> (default 500).
/// </remarks>
public sealed class LlmOptions
{
    /// <summary>Provider name: <c>sampling</c>, <c>openai</c> (any OpenAI-compatible endpoint) or <c>anthropic</c>; null = sampling.</summary>
    public string? Provider { get; set; }

    /// <summary>The model name sent to the provider (a hint when sampling).</summary>
    public string? Model { get; set; }

    /// <summary>The endpoint, e.g. <c>http://localhost:11434/v1</c> for Ollama; null = the provider's public API.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The environment variable holding the API key; default <c>OPENAI_API_KEY</c> or <c>ANTHROPIC_API_KEY</c>.</summary>
    public string? ApiKeyEnv { get; set; }

    /// <summary>Sampling temperature; null = the provider's default.</summary>
    public float? Temperature { get; set; }

    /// <summary>Maximum output tokens per call; default 8192.</summary>
    public int MaxTokens { get; set; } = 8192;

    /// <summary>Total tokens (prompt + completion, all calls) one request may use; default 400 000.</summary>
    public long RequestTokenBudget { get; set; } = 400_000;

    /// <summary>Wall-clock time one request may take; default 10 minutes.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Retries after a 429 or 5xx answer (or a dropped connection); default 4.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>First retry delay; doubles each time, with jitter; a Retry-After header wins. Default 500 ms.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The normalised provider: <c>sampling</c>, <c>openai</c> or <c>anthropic</c>.</summary>
    public string EffectiveProvider => (Provider ?? string.Empty).Trim().ToLowerInvariant() switch
    {
        "" or "auto" or "sampling" or "mcp" => "sampling",
        "openai" or "openai-compatible" or "ollama" or "vllm" or "lmstudio" => "openai",
        "anthropic" or "claude" => "anthropic",
        var other => other,
    };

    /// <summary>Reads the options from the <c>llm</c> configuration section; bad numbers fail naming the key.</summary>
    public static LlmOptions FromConfiguration(IConfiguration? section)
    {
        var o = new LlmOptions();
        if (section is null)
        {
            return o;
        }

        o.Provider = Text(section["provider"]);
        o.Model = Text(section["model"]);
        o.ApiKeyEnv = Text(section["api_key_env"]);
        if (Text(section["base_url"]) is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new LlmNotConfiguredException($"[llm] base_url '{url}' is not an http(s) URL. Use e.g. base_url = \"http://localhost:11434/v1\".");
            }

            o.BaseUrl = uri;
        }

        if (Number(section, "temperature") is { } t)
        {
            o.Temperature = (float)t;
        }

        o.MaxTokens = (int)(Number(section, "max_tokens") ?? o.MaxTokens);
        o.RequestTokenBudget = (long)(Number(section, "request_token_budget") ?? o.RequestTokenBudget);
        o.MaxRetries = (int)(Number(section, "max_retries") ?? o.MaxRetries);
        if (Number(section, "request_timeout_seconds") is { } s)
        {
            o.RequestTimeout = TimeSpan.FromSeconds(s);
        }

        if (Number(section, "retry_base_delay_ms") is { } ms)
        {
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(ms);
        }

        if (o.EffectiveProvider is not ("sampling" or "openai" or "anthropic"))
        {
            throw new LlmNotConfiguredException($"[llm] provider '{o.Provider}' is not known. Use \"openai\" (any OpenAI-compatible endpoint), \"anthropic\" or \"sampling\".");
        }

        return o;
    }

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static double? Number(IConfiguration section, string key)
    {
        var raw = Text(section[key]);
        if (raw is null)
        {
            return null;
        }

        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            throw new LlmNotConfiguredException($"[llm] {key} = '{raw}' is not a non-negative number.");
        }

        return value;
    }
}
