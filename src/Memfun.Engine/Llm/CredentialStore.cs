using System.Text.Json;
using System.Text.Json.Nodes;

namespace Memfun.Engine.Llm;

/// <summary>
/// The user's API keys in <c>~/.memfun/credentials.json</c> (<c>MEMFUN_HOME</c> overrides <c>~/.memfun</c>),
/// one entry per provider, readable by the user only (mode 0600, folder 0700). Each key is bound to the endpoint it
/// was stored for and is only ever handed out for that endpoint.
/// </summary>
/// <remarks>
/// Keys never go to the project, to configuration, to logs or to child processes. An entry written before keys were
/// bound (no <c>base_url</c>) is bound to its provider's public API.
/// </remarks>
public static class CredentialStore
{
    /// <summary>The user's Memfun folder: <c>MEMFUN_HOME</c>, else <c>~/.memfun</c>; always an absolute path.</summary>
    /// <remarks>
    /// The home folder is taken as <c>HOME</c> names it even when it does not exist (services, CI): verified, .NET
    /// returns an empty path for it, and <c>.memfun</c> relative to the working directory is the workspace's own
    /// folder, which made the user store the project store (every memory listed twice). Without any home, the
    /// system's temporary folder stands in.
    /// </remarks>
    public static string UserDirectory =>
        Environment.GetEnvironmentVariable("MEMFUN_HOME") is { Length: > 0 } home
            ? Path.GetFullPath(home)
            : Path.Combine(
                Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify) is { Length: > 0 } profile && Path.IsPathRooted(profile)
                    ? profile
                    : Path.Combine(Path.GetTempPath(), "memfun-" + Environment.UserName),
                ".memfun");

    /// <summary>The credentials file.</summary>
    public static string FilePath => Path.Combine(UserDirectory, "credentials.json");

    /// <summary>The public API a provider's key goes to when no <c>base_url</c> is set.</summary>
    public static Uri DefaultEndpoint(string provider) =>
        new(provider == "anthropic" ? "https://api.anthropic.com" : "https://api.openai.com/v1");

    /// <summary>The stored key for <paramref name="provider"/> whatever its endpoint, or null (for listings and tests; never to send).</summary>
    public static string? GetApiKey(string provider) => Read(provider)?.Key;

    /// <summary>
    /// The stored key for <paramref name="provider"/>, for a request to <paramref name="endpoint"/> (null = the provider's public API);
    /// null when none is stored.
    /// </summary>
    /// <exception cref="LlmNotConfiguredException">A key is stored, but for another endpoint: it is not sent anywhere else.</exception>
    public static string? GetApiKey(string provider, Uri? endpoint)
    {
        if (Read(provider) is not { } entry)
        {
            return null;
        }

        var wanted = Normalize(endpoint ?? DefaultEndpoint(provider));
        return string.Equals(entry.BoundTo, wanted, StringComparison.Ordinal)
            ? entry.Key
            : throw new LlmNotConfiguredException(
                $"The stored {provider} API key belongs to {entry.BoundTo}, but the configured endpoint is {wanted}: a stored key is only " +
                $"ever sent to the endpoint it was stored for. Run 'memfun init --provider {provider} --base-url {wanted}' to store a key for this " +
                "endpoint, or put the key in the variable named by [llm] api_key_env.");
    }

    /// <summary>The endpoint as keys are bound to it: scheme, lower-case host, port when not the default, path without a trailing slash.</summary>
    public static string Normalize(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var port = endpoint.IsDefaultPort ? string.Empty : ":" + endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"{endpoint.Scheme.ToLowerInvariant()}://{endpoint.IdnHost.ToLowerInvariant()}{port}{endpoint.AbsolutePath.TrimEnd('/')}";
    }

    private static (string Key, string BoundTo)? Read(string provider)
    {
        try
        {
            if (!File.Exists(FilePath))
            {
                return null;
            }

            var root = JsonNode.Parse(File.ReadAllText(FilePath)) as JsonObject;
            var key = root?[provider]?["api_key"]?.GetValue<string>();
            if (key is null)
            {
                return null;
            }

            var bound = root?[provider]?["base_url"]?.GetValue<string>() is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri)
                ? Normalize(uri)
                : Normalize(DefaultEndpoint(provider));
            return (key, bound);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Stores <paramref name="apiKey"/> for <paramref name="provider"/>, bound to <paramref name="endpoint"/> (null = the provider's
    /// public API), keeping other entries; mode 0600.
    /// </summary>
    public static void SaveApiKey(string provider, string apiKey, Uri? endpoint = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        var dir = UserDirectory;
        if (!Directory.Exists(dir))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(dir);
            }
            else
            {
                Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        JsonObject root;
        try
        {
            root = File.Exists(FilePath) ? JsonNode.Parse(File.ReadAllText(FilePath)) as JsonObject ?? [] : [];
        }
        catch (JsonException)
        {
            root = [];
        }

        root[provider] = new JsonObject { ["api_key"] = apiKey.Trim(), ["base_url"] = Normalize(endpoint ?? DefaultEndpoint(provider)) };
        var tmp = FilePath + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(tmp, options))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            root.WriteTo(writer);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(tmp, FilePath, overwrite: true);
    }
}
