using System.Text.Json.Nodes;
using Memfun.Engine.Skills;

namespace Memfun.McpServer.Mcp.Skills;

/// <summary>
/// Builds SEP-2640 skill entries: the <c>SKILL.md</c> URI, the front matter as JSON (every field, typed as
/// YAML's core schema types them) and the complete file manifest with sha256 digests and sizes.
/// </summary>
internal static class SkillManifest
{
    public static JsonObject Entry(SkillDefinition skill) => new()
    {
        ["uri"] = SkillUri.ForFile(skill.Name, "SKILL.md"),
        ["frontmatter"] = ToJson(skill.Frontmatter),
        ["resources"] = new JsonArray([.. skill.Files.Select(f => (JsonNode)new JsonObject
        {
            ["uri"] = SkillUri.ForFile(skill.Name, f.RelativePath),
            ["digest"] = "sha256:" + f.Sha256,
            ["size"] = f.Size,
        })]),
    };

    /// <summary>Converts front matter data (string, bool, long, double, null, lists, maps) to JSON.</summary>
    public static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        long l => JsonValue.Create(l),
        double d when double.IsFinite(d) => JsonValue.Create(d),
        double d => JsonValue.Create(d.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        IReadOnlyDictionary<string, object?> map => new JsonObject(map.Select(kv => KeyValuePair.Create(kv.Key, ToJson(kv.Value)))),
        IReadOnlyList<object?> list => new JsonArray([.. list.Select(ToJson)]),
        _ => JsonValue.Create(value.ToString()),
    };
}
