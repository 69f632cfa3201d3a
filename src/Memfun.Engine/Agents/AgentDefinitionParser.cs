using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Memfun.Engine.Agents;

/// <summary>Parses and validates <c>AGENT.md</c> files: YAML front matter between <c>---</c> lines, then a markdown body.</summary>
/// <remarks>Stateless and thread-safe. The file content is untrusted: every field is type-checked and bounded.</remarks>
public static partial class AgentDefinitionParser
{
    /// <summary>The largest iteration cap an AGENT.md may ask for.</summary>
    public const int MaxIterationCap = 100;

    private static readonly IDeserializer Yaml = new DeserializerBuilder().Build();

    /// <summary>Parses <paramref name="text"/> read from <paramref name="path"/>.</summary>
    /// <exception cref="AgentDefinitionException">The file is invalid; the message names the file and field.</exception>
    public static AgentDefinition Parse(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (normalized.StartsWith('\uFEFF'))
        {
            normalized = normalized[1..];
        }

        if (!normalized.StartsWith("---\n", StringComparison.Ordinal))
        {
            throw new AgentDefinitionException(path, "front matter", "the file must start with a '---' line, then YAML fields (name, description, max_iterations, tools, delegates, code_producing), then '---'.");
        }

        var end = normalized.IndexOf("\n---", 3, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new AgentDefinitionException(path, "front matter", "the closing '---' line is missing.");
        }

        var yaml = normalized[4..end];
        var bodyStart = normalized.IndexOf('\n', end + 1);
        var body = bodyStart < 0 ? string.Empty : normalized[(bodyStart + 1)..].Trim();

        Dictionary<string, object?> fields;
        try
        {
            fields = Yaml.Deserialize<Dictionary<string, object?>>(yaml) ?? [];
        }
        catch (YamlException ex)
        {
            throw new AgentDefinitionException(path, "front matter", $"invalid YAML at line {ex.Start.Line + 1}: {ex.Message}");
        }

        var name = RequiredString(path, fields, "name");
        if (!NamePattern().IsMatch(name))
        {
            throw new AgentDefinitionException(path, "name", $"'{name}' must be 1–40 lowercase letters, digits, '_' or '-', starting with a letter.");
        }

        var description = RequiredString(path, fields, "description");
        var maxIterations = OptionalInt(path, fields, "max_iterations") ?? 10;
        if (maxIterations is < 1 or > MaxIterationCap)
        {
            throw new AgentDefinitionException(path, "max_iterations", $"must be between 1 and {MaxIterationCap}, not {maxIterations}.");
        }

        var tools = StringList(path, fields, "tools");
        var delegates = StringList(path, fields, "delegates");
        var codeProducing = OptionalBool(path, fields, "code_producing") ?? false;
        if (body.Length == 0)
        {
            throw new AgentDefinitionException(path, "body", "the markdown body (the agent's system prompt, with ## Capabilities, ## Constraints and ## Delegation sections) is empty.");
        }

        foreach (var unknown in fields.Keys.Except(KnownFields, StringComparer.Ordinal))
        {
            throw new AgentDefinitionException(path, unknown, $"unknown field; the known fields are {string.Join(", ", KnownFields)}.");
        }

        return new AgentDefinition(name, description, maxIterations, tools, delegates, codeProducing, body, path);
    }

    private static readonly string[] KnownFields = ["name", "description", "max_iterations", "tools", "delegates", "code_producing", "version", "tags"];

    private static string RequiredString(string path, Dictionary<string, object?> fields, string key)
    {
        if (!fields.TryGetValue(key, out var value) || value is null)
        {
            throw new AgentDefinitionException(path, key, "is required.");
        }

        if (value is not string s || string.IsNullOrWhiteSpace(s))
        {
            throw new AgentDefinitionException(path, key, "must be a non-empty string.");
        }

        return s.Trim();
    }

    private static int? OptionalInt(string path, Dictionary<string, object?> fields, string key)
    {
        if (!fields.TryGetValue(key, out var value) || value is null)
        {
            return null;
        }

        return value is string s && int.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new AgentDefinitionException(path, key, $"must be a whole number, not '{value}'.");
    }

    private static bool? OptionalBool(string path, Dictionary<string, object?> fields, string key)
    {
        if (!fields.TryGetValue(key, out var value) || value is null)
        {
            return null;
        }

        return value is string s && bool.TryParse(s, out var b)
            ? b
            : throw new AgentDefinitionException(path, key, $"must be true or false, not '{value}'.");
    }

    private static string[] StringList(string path, Dictionary<string, object?> fields, string key)
    {
        if (!fields.TryGetValue(key, out var value) || value is null)
        {
            return [];
        }

        if (value is not List<object> list)
        {
            throw new AgentDefinitionException(path, key, "must be a list of names, e.g. [read_file, search].");
        }

        var result = new List<string>();
        foreach (var item in list)
        {
            if (item is not string s || !ToolNamePattern().IsMatch(s))
            {
                throw new AgentDefinitionException(path, key, $"'{item}' is not a valid name (letters, digits, '_' or '-').");
            }

            result.Add(s);
        }

        return [.. result.Distinct(StringComparer.Ordinal)];
    }

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,39}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex ToolNamePattern();
}
