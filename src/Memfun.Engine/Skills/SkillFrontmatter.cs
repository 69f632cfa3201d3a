using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Memfun.Engine.Skills;

/// <summary>
/// Splits a <c>SKILL.md</c> into its YAML front matter and body, and turns the front matter into plain
/// data (string, bool, long, double, null, lists, ordered maps) with the YAML 1.2 core schema, the way
/// JavaScript hosts read it, so the data served over MCP equals what a host parses from the file.
/// </summary>
internal static partial class SkillFrontmatter
{
    /// <summary>Splits <paramref name="text"/>; returns false when it does not start with a <c>---</c> block.</summary>
    public static bool TrySplit(string text, out string frontmatter, out string body, out int bodyLine)
    {
        frontmatter = string.Empty;
        body = text;
        bodyLine = 1;
        var start = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        var firstEnd = text.IndexOf('\n', start);
        if (firstEnd < 0 || !IsDelimiter(text.AsSpan(start, firstEnd - start)))
        {
            return false;
        }

        var line = 2;
        var pos = firstEnd + 1;
        while (pos <= text.Length)
        {
            var end = text.IndexOf('\n', pos);
            var lineSpan = end < 0 ? text.AsSpan(pos) : text.AsSpan(pos, end - pos);
            if (IsDelimiter(lineSpan))
            {
                var fm = text[(firstEnd + 1)..pos];
                frontmatter = fm.EndsWith("\r\n", StringComparison.Ordinal) ? fm[..^2] : fm.EndsWith('\n') ? fm[..^1] : fm;
                body = end < 0 ? string.Empty : text[(end + 1)..];
                bodyLine = line + 1;
                return true;
            }

            if (end < 0)
            {
                break;
            }

            pos = end + 1;
            line++;
        }

        return false;
    }

    private static bool IsDelimiter(ReadOnlySpan<char> line)
    {
        line = line.TrimEnd('\r');
        return line.StartsWith("---", StringComparison.Ordinal) && line[3..].Trim(" \t").IsEmpty;
    }

    /// <summary>
    /// Parses front matter text into an ordered map. Throws <see cref="FormatException"/> with a message
    /// naming the line (counted in the whole file, the opening <c>---</c> being line 1).
    /// </summary>
    public static IReadOnlyDictionary<string, object?> Parse(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new FormatException($"the YAML front matter is not valid at line {ex.Start.Line + 1}, column {ex.Start.Column}: {Reason(ex)}", ex);
        }
        catch (ArgumentException ex)
        {
            // YamlDotNet reports a repeated key as an ArgumentException from its dictionary.
            throw new FormatException($"the YAML front matter repeats a key: {ex.Message}", ex);
        }

        if (stream.Documents.Count == 0)
        {
            return new OrderedDictionary<string, object?>();
        }

        if (stream.Documents.Count > 1)
        {
            throw new FormatException("the front matter holds more than one YAML document; keep a single mapping between the '---' lines.");
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode map)
        {
            throw new FormatException("the front matter is not a YAML mapping of fields (write 'name: ...' and 'description: ...' lines).");
        }

        return (IReadOnlyDictionary<string, object?>)ToData(map, 0)!;
    }

    private static string Reason(YamlException ex)
    {
        var message = ex.InnerException?.Message ?? ex.Message;
        // YamlDotNet prefixes "(Line: a, Col: b, Idx: c) - (Line: ...): "; keep the reason only.
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 ? message[(cut + 3)..] : message;
    }

    private static object? ToData(YamlNode node, int depth)
    {
        if (depth > 64)
        {
            throw new FormatException("the front matter nests deeper than 64 levels.");
        }

        switch (node)
        {
            case YamlMappingNode map:
                var result = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (key, value) in map.Children)
                {
                    var name = key is YamlScalarNode s ? s.Value ?? string.Empty : throw new FormatException("a front matter key is not a plain string.");
                    if (!result.TryAdd(name, ToData(value, depth + 1)))
                    {
                        throw new FormatException($"the front matter repeats the key '{name}'.");
                    }
                }

                return result;
            case YamlSequenceNode seq:
                return seq.Children.Select(c => ToData(c, depth + 1)).ToList();
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new FormatException("the front matter holds a YAML node of an unsupported kind.");
        }
    }

    private static object? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag is "tag:yaml.org,2002:str" || scalar.Style is not ScalarStyle.Plain and not ScalarStyle.Any)
        {
            return value;
        }

        if (value.Length == 0 || value is "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (value is "true" or "True" or "TRUE")
        {
            return true;
        }

        if (value is "false" or "False" or "FALSE")
        {
            return false;
        }

        if (DecimalInt().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
        {
            return i;
        }

        if (value.StartsWith("0x", StringComparison.Ordinal) && value.Length > 2 &&
            long.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return hex;
        }

        if (value.StartsWith("0o", StringComparison.Ordinal) && value.Length > 2 && value.AsSpan(2).IndexOfAnyExcept("01234567") < 0)
        {
            return Convert.ToInt64(value[2..], 8);
        }

        if (CoreFloat().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return d;
        }

        return value;
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex DecimalInt();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex CoreFloat();
}
