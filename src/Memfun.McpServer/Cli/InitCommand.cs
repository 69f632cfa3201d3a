using System.CommandLine;
using System.Text;
using Memfun.Engine.Llm;
using Tomlyn;
using Tomlyn.Model;

namespace Memfun.McpServer.Cli;

/// <summary>
/// <c>memfun init</c>: chooses the model provider and the runtime backend, writes them to the user's
/// <c>~/.memfun/config.toml</c> (<c>[llm]</c>, <c>[backend]</c>; never a key: a project's memfun.toml may not set where
/// keys go nor the backend, see docs/security.md) and stores the API key in <c>~/.memfun/credentials.json</c> (mode 0600),
/// bound to the endpoint it is for. Asks for what the flags leave open when a terminal is
/// attached; with <c>--non-interactive</c> (or no terminal) it uses the flags and defaults only.
/// </summary>
internal static class InitCommand
{
    /// <summary>The choices, as the original memfun offers them; ollama and custom are OpenAI-compatible endpoints.</summary>
    private static readonly string[] Providers = ["anthropic", "openai", "ollama", "custom", "sampling"];

    /// <summary>Ollama's OpenAI-compatible endpoint on this machine.</summary>
    internal const string OllamaUrl = "http://localhost:11434/v1";
    private static readonly string[] Backends = ["sqlite", "in-process", "redis", "nats"];

    public static Command Create()
    {
        var provider = new Option<string?>("--provider") { Description = "Model provider: anthropic, openai, ollama (OpenAI-compatible at http://localhost:11434/v1, no key), custom (any OpenAI-compatible endpoint: give --base-url) or sampling (the MCP host's own model, no key)." };
        var model = new Option<string?>("--model") { Description = "Model name, e.g. gpt-4o-mini, llama3.1, claude-sonnet-4-5." };
        var baseUrl = new Option<string?>("--base-url") { Description = "Endpoint for OpenAI-compatible servers, e.g. http://localhost:11434/v1 (Ollama)." };
        var keyEnv = new Option<string?>("--api-key-env") { Description = "Environment variable that holds the key (default OPENAI_API_KEY / ANTHROPIC_API_KEY)." };
        var keyStdin = new Option<bool>("--api-key-stdin") { Description = "Read the API key from the first line of stdin and store it in ~/.memfun/credentials.json (mode 0600)." };
        var backend = new Option<string?>("--backend") { Description = "Runtime backend tier: sqlite (default), in-process, redis or nats." };
        var nonInteractive = new Option<bool>("--non-interactive", "-y") { Description = "Never prompt; use the flags and defaults." };
        var workspace = CommonOptions.Workspace();
        var command = new Command("init", "Choose the model provider, API key and backend (writes ~/.memfun/config.toml and ~/.memfun/credentials.json).")
        {
            provider, model, baseUrl, keyEnv, keyStdin, backend, nonInteractive, workspace,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            CommonOptions.ResolveWorkspace(parse.GetValue(workspace));
            var interactive = !parse.GetValue(nonInteractive) && !Console.IsInputRedirected && !parse.GetValue(keyStdin);
            var choice = Normalize(parse.GetValue(provider) ?? (interactive ? Ask($"Model provider ({string.Join(", ", Providers)})", "sampling") : "sampling"), Providers, "--provider");
            // Ollama and custom endpoints speak the OpenAI wire format: they are the openai provider with a base URL.
            var chosenProvider = choice is "ollama" or "custom" ? "openai" : choice;
            string? chosenModel = parse.GetValue(model);
            string? chosenUrl = parse.GetValue(baseUrl) ?? (choice == "ollama" ? OllamaUrl : null);
            string? key = null;
            if (choice == "custom" && string.IsNullOrWhiteSpace(chosenUrl))
            {
                chosenUrl = interactive ? Ask("Base URL of the OpenAI-compatible endpoint (e.g. http://localhost:8000/v1)", string.Empty) : null;
                if (string.IsNullOrWhiteSpace(chosenUrl))
                {
                    throw new CliException("--provider custom needs the endpoint: give --base-url, e.g. --base-url http://localhost:8000/v1.");
                }
            }

            if (chosenProvider != "sampling")
            {
                chosenModel ??= interactive ? Ask("Model", choice switch { "anthropic" => "claude-sonnet-4-5", "ollama" => "llama3.1", _ => "gpt-4o-mini" }) : null;
                if (choice == "openai" && chosenUrl is null && interactive)
                {
                    chosenUrl = Ask("Base URL (empty for api.openai.com)", string.Empty);
                }

                if (choice == "ollama")
                {
                    // A local Ollama needs no key.
                }
                else if (parse.GetValue(keyStdin))
                {
                    key = (await Console.In.ReadLineAsync(cancellationToken))?.Trim();
                    if (string.IsNullOrEmpty(key))
                    {
                        throw new CliException("--api-key-stdin was given but stdin had no key on its first line.");
                    }
                }
                else if (interactive)
                {
                    key = ReadSecret("API key (stored in ~/.memfun/credentials.json, mode 0600; empty to use an environment variable)");
                }
            }

            if (!string.IsNullOrWhiteSpace(chosenUrl) && (!Uri.TryCreate(chosenUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
            {
                throw new CliException($"--base-url '{chosenUrl}' is not an http(s) URL.");
            }

            var chosenBackend = Normalize(parse.GetValue(backend) ?? (interactive ? Ask($"Backend ({string.Join(", ", Backends)})", "sqlite") : "sqlite"), Backends, "--backend");

            var file = Path.Combine(Configuration.MemfunConfiguration.UserDirectory, "config.toml");
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(file)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            var table = File.Exists(file) ? Load(file) : new TomlTable();
            var llm = new TomlTable { ["provider"] = chosenProvider };
            if (!string.IsNullOrWhiteSpace(chosenModel))
            {
                llm["model"] = chosenModel;
            }

            if (!string.IsNullOrWhiteSpace(chosenUrl))
            {
                llm["base_url"] = chosenUrl;
            }

            if (parse.GetValue(keyEnv) is { Length: > 0 } env)
            {
                llm["api_key_env"] = env;
            }

            if (table.TryGetValue("llm", out var existing) && existing is TomlTable old)
            {
                foreach (var (k, v) in old)
                {
                    if (k is not ("provider" or "model" or "base_url" or "api_key_env"))
                    {
                        llm[k] = v;
                    }
                }
            }

            table["llm"] = llm;
            var backendTable = table.TryGetValue("backend", out var b) && b is TomlTable bt ? bt : new TomlTable();
            backendTable["tier"] = chosenBackend;
            table["backend"] = backendTable;
            await File.WriteAllTextAsync(file, TomlSerializer.Serialize(table), new UTF8Encoding(false), cancellationToken);

            if (key is { Length: > 0 })
            {
                CredentialStore.SaveApiKey(chosenProvider, key, string.IsNullOrWhiteSpace(chosenUrl) ? null : new Uri(chosenUrl));
            }

            await Console.Out.WriteLineAsync($"Wrote {file}: provider {chosenProvider}{(choice != chosenProvider ? $" ({choice} at {chosenUrl})" : string.Empty)}{(chosenModel is null ? string.Empty : ", model " + chosenModel)}, backend {chosenBackend}.");
            if (key is { Length: > 0 })
            {
                await Console.Out.WriteLineAsync($"Stored the {chosenProvider} API key in {CredentialStore.FilePath} (readable by you only).");
            }
            else if (chosenProvider != "sampling" && choice != "ollama")
            {
                var variable = parse.GetValue(keyEnv) ?? (chosenProvider == "anthropic" ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY");
                await Console.Out.WriteLineAsync($"No key stored: set {variable}, or run 'memfun init --api-key-stdin' to store one{(chosenUrl is { Length: > 0 } ? " (a local endpoint may need none)" : string.Empty)}.");
            }

            return 0;
        });

        return command;
    }

    private static TomlTable Load(string file)
    {
        try
        {
            return TomlSerializer.Deserialize<TomlTable>(File.ReadAllText(file)) ?? new TomlTable();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new CliException($"The existing {file} is not valid TOML ({ex.Message}); fix or remove it, then run init again.");
        }
    }

    private static string Normalize(string value, string[] allowed, string flag)
    {
        var v = value.Trim().ToLowerInvariant();
        v = v switch { "inprocess" or "in_process" => "in-process", "openai-compatible" or "vllm" or "lmstudio" => "custom", "claude" => "anthropic", _ => v };
        return Array.IndexOf(allowed, v) >= 0 ? v : throw new CliException($"{flag} '{value}' is not one of: {string.Join(", ", allowed)}.");
    }

    private static string Ask(string question, string fallback)
    {
        Console.Out.Write(fallback.Length > 0 ? $"{question} [{fallback}]: " : $"{question}: ");
        var line = Console.ReadLine()?.Trim();
        return string.IsNullOrEmpty(line) ? fallback : line;
    }

    private static string? ReadSecret(string question)
    {
        Console.Out.Write($"{question}: ");
        var sb = new StringBuilder();
        while (true)
        {
            var k = Console.ReadKey(intercept: true);
            if (k.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (k.Key == ConsoleKey.Backspace)
            {
                if (sb.Length > 0)
                {
                    sb.Length--;
                }

                continue;
            }

            sb.Append(k.KeyChar);
        }

        Console.Out.WriteLine();
        return sb.Length == 0 ? null : sb.ToString().Trim();
    }
}
