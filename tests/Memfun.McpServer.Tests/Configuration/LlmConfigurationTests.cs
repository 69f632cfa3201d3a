using Memfun.Engine.Llm;
using Memfun.Engine.Solving;
using Memfun.McpServer.Configuration;
using Memfun.McpServer.Tests.Infrastructure;

namespace Memfun.McpServer.Tests.Configuration;

public sealed class LlmConfigurationTests
{
    [Fact]
    public void The_llm_and_verify_tables_are_read_with_their_snake_case_keys_from_the_user_config_and_memfun_toml()
    {
        using var ws = new TempWorkspace();
        using var home = new TempWorkspace("memfun-home");
        home.Write("config.toml", """
            [llm]
            provider = "ollama"
            base_url = "http://localhost:11434/v1"
            api_key_env = "MY_KEY"

            [verify]
            commands = ["make lint", "make test"]
            timeout_seconds = 30
            """);
        ws.Write("memfun.toml", """
            [llm]
            model = "llama3.1"
            temperature = 0.2
            max_tokens = 1024
            request_token_budget = 5000
            """);
        var config = MemfunConfiguration.Build(ws.Path, userDirectory: home.Path);

        var o = LlmOptions.FromConfiguration(config.GetSection("llm"));
        var s = SolverOptions.FromConfiguration(config);

        Assert.Equal("openai", o.EffectiveProvider);
        Assert.Equal("llama3.1", o.Model);
        Assert.Equal(new Uri("http://localhost:11434/v1"), o.BaseUrl);
        Assert.Equal("MY_KEY", o.ApiKeyEnv);
        Assert.Equal(0.2f, o.Temperature);
        Assert.Equal(1024, o.MaxTokens);
        Assert.Equal(5000, o.RequestTokenBudget);
        Assert.Equal(["make lint", "make test"], s.VerifyCommands);
        Assert.Equal(TimeSpan.FromSeconds(30), s.CommandTimeout);
    }

    [Fact]
    public void An_unknown_provider_is_refused_naming_the_choices()
    {
        using var ws = new TempWorkspace();
        using var home = new TempWorkspace("memfun-home");
        home.Write("config.toml", "[llm]\nprovider = \"gemini\"\n");

        var ex = Assert.Throws<LlmNotConfiguredException>(() => LlmOptions.FromConfiguration(MemfunConfiguration.Build(ws.Path, userDirectory: home.Path).GetSection("llm")));

        Assert.Contains("\"anthropic\"", ex.Message, StringComparison.Ordinal);
    }
}
