using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using Memfun.Engine.Skills;
using ModelContextProtocol;

namespace Memfun.McpServer.Mcp.Skills;

/// <summary>
/// The three methods SEP-2640 adds, over the live <see cref="SkillCatalog"/>: <c>skills/list</c>
/// (paginated; a cursor is the last URI of the previous page, so pages stay consistent when skills are
/// added), <c>skills/get</c> and <c>resources/directory/read</c>. Unknown URIs and bad cursors get
/// -32602 (Invalid params) with a message saying what was wrong.
/// </summary>
internal sealed class SkillsProtocolHandlers(SkillCatalog catalog, int skillsPageSize = 50, int directoryPageSize = 100)
{
    public JsonNode ListSkills(JsonNode? parameters)
    {
        var after = DecodeCursor(parameters);
        var skills = catalog.GetSnapshot().Skills;
        var remaining = skills.Select(s => (Skill: s, Uri: SkillUri.ForFile(s.Name, "SKILL.md")))
                              .Where(s => after is null || string.CompareOrdinal(s.Uri, after) > 0)
                              .OrderBy(s => s.Uri, StringComparer.Ordinal)
                              .ToList();
        var page = remaining.Take(skillsPageSize).ToList();
        var result = Complete(new JsonObject { ["skills"] = new JsonArray([.. page.Select(s => (JsonNode)SkillManifest.Entry(s.Skill))]) });
        if (remaining.Count > page.Count)
        {
            result["nextCursor"] = EncodeCursor(page[^1].Uri);
        }

        return result;
    }

    public JsonNode GetSkill(JsonNode? parameters)
    {
        var uri = parameters?["uri"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (string.IsNullOrEmpty(uri))
        {
            throw new McpProtocolException("skills/get needs params.uri, the URI of a skill's SKILL.md (for example skill://review-code/SKILL.md).", McpErrorCode.InvalidParams);
        }

        if (!SkillUri.TryParse(uri, out var name, out var path) || path != "SKILL.md" || !catalog.TryGet(name, out var skill))
        {
            throw new McpProtocolException($"No skill is served at {uri}. Call skills/list for the URIs of the skills this server serves.", McpErrorCode.InvalidParams);
        }

        return Complete(new JsonObject { ["skill"] = SkillManifest.Entry(skill) });
    }

    public JsonNode ReadDirectory(JsonNode? parameters)
    {
        var uri = parameters?["uri"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (string.IsNullOrEmpty(uri))
        {
            throw new McpProtocolException("resources/directory/read needs params.uri, the URI of a directory (for example skill://analyze-code).", McpErrorCode.InvalidParams);
        }

        if (!SkillUri.TryParse(uri, out var name, out var dir) || !catalog.TryGet(name, out var skill))
        {
            throw new McpProtocolException($"{uri} is not a directory resource this server serves. Directories are skill roots (skill://<name>) and the folders inside them.", McpErrorCode.InvalidParams);
        }

        if (skill.Files.Any(f => f.RelativePath == dir))
        {
            throw new McpProtocolException($"{uri} is a file, not a directory resource. Read it with resources/read.", McpErrorCode.InvalidParams);
        }

        var prefix = dir.Length == 0 ? string.Empty : dir + "/";
        var inside = skill.Files.Where(f => f.RelativePath.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        if (inside.Count == 0)
        {
            throw new McpProtocolException($"{uri} is not a directory of the skill '{name}'. Call resources/directory/read on skill://{name} to see its contents.", McpErrorCode.InvalidParams);
        }

        var children = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var f in inside)
        {
            var rest = f.RelativePath[prefix.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                var fileUri = SkillUri.ForFile(name, f.RelativePath);
                children[fileUri] = new JsonObject
                {
                    ["uri"] = fileUri,
                    ["name"] = rest,
                    ["mimeType"] = SkillUri.MimeType(rest),
                    ["size"] = f.Size,
                };
            }
            else
            {
                var sub = rest[..slash];
                var dirUri = SkillUri.ForDirectory(name, prefix + sub);
                children.TryAdd(dirUri, new JsonObject
                {
                    ["uri"] = dirUri,
                    ["name"] = sub,
                    ["mimeType"] = SkillUri.DirectoryMimeType,
                });
            }
        }

        var after = DecodeCursor(parameters);
        var remaining = children.Where(c => after is null || string.CompareOrdinal(c.Key, after) > 0).ToList();
        var page = remaining.Take(directoryPageSize).ToList();
        var result = Complete(new JsonObject { ["resources"] = new JsonArray([.. page.Select(c => (JsonNode)c.Value)]) });
        if (remaining.Count > page.Count)
        {
            result["nextCursor"] = EncodeCursor(page[^1].Key);
        }

        return result;
    }

    /// <summary>Adds the fields every result of these methods carries (SEP-2640 on protocol 2026-07-28).</summary>
    private static JsonObject Complete(JsonObject result)
    {
        result["resultType"] = "complete";
        // Skill files can change on disk at any moment: no caching promise, and a per-server answer.
        result["ttlMs"] = 0;
        result["cacheScope"] = "private";
        return result;
    }

    private static string EncodeCursor(string lastKey) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes("v1|" + lastKey));

    private static string? DecodeCursor(JsonNode? parameters)
    {
        var node = parameters?["cursor"];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.TryGetValue<string>(out var cursor))
        {
            try
            {
                var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
                if (text.StartsWith("v1|", StringComparison.Ordinal))
                {
                    return text[3..];
                }
            }
            catch (FormatException)
            {
            }
        }

        throw new McpProtocolException("The cursor is not one this server issued. Pass back the nextCursor of the previous page unchanged, or omit it to start from the first page.", McpErrorCode.InvalidParams);
    }
}
