using System.Text.Json;
using System.Text.Json.Nodes;

namespace Memfun.Engine.Llm;

/// <summary>
/// The user's API keys in <c>~/.memfun/credentials.json</c> (<c>MEMFUN_HOME</c> overrides <c>~/.memfun</c>),
/// one entry per provider, readable by the user only (mode 0600, folder 0700).
/// </summary>
/// <remarks>Keys never go to the project, to configuration, to logs or to child processes.</remarks>
public static class CredentialStore
{
    /// <summary>The user's Memfun folder: <c>MEMFUN_HOME</c>, else <c>~/.memfun</c>.</summary>
    public static string UserDirectory =>
        Environment.GetEnvironmentVariable("MEMFUN_HOME") is { Length: > 0 } home
            ? home
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".memfun");

    /// <summary>The credentials file.</summary>
    public static string FilePath => Path.Combine(UserDirectory, "credentials.json");

    /// <summary>The stored key for <paramref name="provider"/>, or null.</summary>
    public static string? GetApiKey(string provider)
    {
        try
        {
            if (!File.Exists(FilePath))
            {
                return null;
            }

            var root = JsonNode.Parse(File.ReadAllText(FilePath)) as JsonObject;
            return root?[provider]?["api_key"]?.GetValue<string>();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Stores <paramref name="apiKey"/> for <paramref name="provider"/>, keeping other entries; mode 0600.</summary>
    public static void SaveApiKey(string provider, string apiKey)
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

        root[provider] = new JsonObject { ["api_key"] = apiKey.Trim() };
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
