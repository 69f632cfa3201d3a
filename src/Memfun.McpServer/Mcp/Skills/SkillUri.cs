namespace Memfun.McpServer.Mcp.Skills;

/// <summary>
/// The <c>skill://</c> URIs of SEP-2640: <c>skill://&lt;name&gt;/SKILL.md</c> for a skill, <c>skill://&lt;name&gt;/&lt;path&gt;</c>
/// for its files and <c>skill://&lt;name&gt;[/&lt;dir&gt;]</c> (no trailing slash) for its directories.
/// Path segments are percent-encoded.
/// </summary>
internal static class SkillUri
{
    public const string Scheme = "skill://";

    public static string ForFile(string skill, string relativePath) =>
        Scheme + skill + "/" + string.Join('/', relativePath.Split('/').Select(Uri.EscapeDataString));

    public static string ForDirectory(string skill, string relativeDirectory) =>
        relativeDirectory.Length == 0 ? Scheme + skill : ForFile(skill, relativeDirectory);

    /// <summary>Splits a <c>skill://</c> URI into the skill name and the '/'-separated path inside it ("" for the root).</summary>
    public static bool TryParse(string? uri, out string skill, out string path)
    {
        skill = path = string.Empty;
        if (uri is null || !uri.StartsWith(Scheme, StringComparison.Ordinal) || uri.Contains('?', StringComparison.Ordinal) || uri.Contains('#', StringComparison.Ordinal))
        {
            return false;
        }

        var rest = uri[Scheme.Length..].TrimEnd('/');
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        skill = slash < 0 ? rest : rest[..slash];
        if (skill.Length == 0)
        {
            return false;
        }

        var segments = slash < 0 ? [] : rest[(slash + 1)..].Split('/');
        if (segments.Any(s => s.Length == 0))
        {
            return false;
        }

        try
        {
            var decoded = segments.Select(Uri.UnescapeDataString).ToList();
            if (decoded.Any(s => s is "." or ".." || s.Contains('/', StringComparison.Ordinal) || s.Contains('\\', StringComparison.Ordinal) || s.Contains('\0', StringComparison.Ordinal)))
            {
                return false;
            }

            path = string.Join('/', decoded);
            return true;
        }
        catch (UriFormatException)
        {
            return false;
        }
    }

    /// <summary>The MIME type served for a skill file, by extension.</summary>
    public static string MimeType(string relativePath) => Path.GetExtension(relativePath).ToLowerInvariant() switch
    {
        ".md" or ".markdown" => "text/markdown",
        ".txt" => "text/plain",
        ".json" => "application/json",
        ".yaml" or ".yml" => "application/yaml",
        ".toml" => "application/toml",
        ".csv" => "text/csv",
        ".html" or ".htm" => "text/html",
        ".xml" => "application/xml",
        ".py" => "text/x-python",
        ".sh" => "application/x-sh",
        ".js" or ".mjs" => "text/javascript",
        ".ts" => "text/x-typescript",
        ".cs" => "text/x-csharp",
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".gif" => "image/gif",
        ".svg" => "image/svg+xml",
        ".pdf" => "application/pdf",
        _ => "application/octet-stream",
    };

    /// <summary>The MIME type SEP-2640 gives directory resources.</summary>
    public const string DirectoryMimeType = "inode/directory";
}
