using System.Text;
using Memfun.Engine.Skills;
using Memfun.Tools;
using Memfun.Tools.Workspace;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Memfun.McpServer.Mcp.Skills;

/// <summary>
/// Serves every file of every skill as <c>skill://&lt;name&gt;/&lt;path&gt;</c>: one templated resource that reads
/// the live catalog, so a skill added or edited while the server runs is readable at once. Text files
/// are served as text (the exact bytes, BOM and line endings kept, so the SEP-2640 digest matches),
/// other files as blobs.
/// </summary>
internal sealed class SkillFileResource(SkillCatalog catalog) : McpServerResource
{
    public const string UriTemplate = "skill://{skill}/{+path}";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public override ResourceTemplate ProtocolResourceTemplate { get; } = new()
    {
        UriTemplate = UriTemplate,
        Name = "skill-file",
        Title = "Skill files",
        Description = "The files of the skills this server serves (SKILL.md and supporting files). Call skills/list for the skills and their files.",
    };

    public override IReadOnlyList<object> Metadata { get; } = [];

    public override bool IsMatch(string uri) => uri.StartsWith(SkillUri.Scheme, StringComparison.Ordinal);

    public override async ValueTask<ReadResourceResult> ReadAsync(RequestContext<ReadResourceRequestParams> request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.Params?.Uri ?? string.Empty;
        if (!SkillUri.TryParse(uri, out var name, out var path) || !catalog.TryGet(name, out var skill))
        {
            throw new McpProtocolException($"No skill file is served at {uri}. Call skills/list for the skills and their files.", McpErrorCode.ResourceNotFound);
        }

        var file = skill.Files.FirstOrDefault(f => f.RelativePath == path);
        if (file is null)
        {
            var isDirectory = path.Length == 0 || skill.Files.Any(f => f.RelativePath.StartsWith(path + "/", StringComparison.Ordinal));
            throw new McpProtocolException(
                isDirectory
                    ? $"{uri} is a directory; list it with resources/directory/read."
                    : $"The skill '{name}' has no file '{path}'. Its files are: {string.Join(", ", skill.Files.Select(f => f.RelativePath))}.",
                isDirectory ? McpErrorCode.InvalidParams : McpErrorCode.ResourceNotFound);
        }

        byte[] bytes;
        try
        {
            // Checked and opened in one step inside the skill folder: a link through a folder that leaves it, or a special file, is refused.
            bytes = SafeFile.ReadOwnFile(skill.Directory, file.FullPath, SkillParser.MaxTotalBytes)
                ?? throw new FileNotFoundException($"{path} no longer exists.");
        }
        catch (SafeFileException ex) when (ex.Error is SafeFileError.Outside or SafeFileError.NotRegular or SafeFileError.TooLarge)
        {
            throw new McpProtocolException($"The skill file {uri} is refused: {ex.Message}", McpErrorCode.InvalidParams);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or MemfunToolException)
        {
            throw new McpProtocolException($"The skill file {uri} cannot be read right now: {ex.Message}", McpErrorCode.InternalError);
        }

        var mime = SkillUri.MimeType(path);
        ResourceContents contents;
        if (IsText(mime) && TryDecode(bytes, out var text))
        {
            contents = new TextResourceContents { Uri = uri, MimeType = mime, Text = text };
        }
        else
        {
            contents = BlobResourceContents.FromBytes(bytes, uri, mime);
        }

        return new ReadResourceResult { Contents = [contents] };
    }

    /// <summary>The resources/list entries of the current skills: SKILL.md named and described from its front matter.</summary>
    public IEnumerable<Resource> List()
    {
        foreach (var skill in catalog.GetSnapshot().Skills)
        {
            foreach (var f in skill.Files)
            {
                var isSkill = f.RelativePath == SkillParser.SkillFileName;
                yield return new Resource
                {
                    Uri = SkillUri.ForFile(skill.Name, f.RelativePath),
                    Name = isSkill ? skill.Name : $"{skill.Name}/{f.RelativePath}",
                    Title = isSkill ? $"Skill: {skill.Name}" : null,
                    Description = isSkill ? skill.Description : $"Supporting file of the skill '{skill.Name}'.",
                    MimeType = SkillUri.MimeType(f.RelativePath),
                    Size = f.Size,
                };
            }
        }
    }

    private static bool IsText(string mime) =>
        mime.StartsWith("text/", StringComparison.Ordinal) || mime is "application/json" or "application/yaml" or "application/toml" or "application/xml" or "application/x-sh" or "image/svg+xml";

    private static bool TryDecode(byte[] bytes, out string text)
    {
        try
        {
            // GetString keeps a BOM as U+FEFF, so the text re-encodes to exactly these bytes.
            text = StrictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = string.Empty;
            return false;
        }
    }
}
