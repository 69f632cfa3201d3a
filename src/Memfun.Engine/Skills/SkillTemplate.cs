using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Memfun.Engine.Skills;

/// <summary>
/// Expands a skill body: <c>$ARGUMENTS</c> becomes the whole argument text and <c>$ARGUMENTS[N]</c> the
/// N-th argument (0-based, split like a shell: spaces separate, quotes group). A body without any
/// <c>$ARGUMENTS</c> gets the arguments appended as an <c>ARGUMENTS:</c> line, so none are lost.
/// </summary>
public static partial class SkillTemplate
{
    /// <summary>The argument a skill takes when its hint names none.</summary>
    public const string DefaultArgumentName = "arguments";

    /// <summary>Renders the body of <paramref name="skill"/> with <paramref name="arguments"/> (null or empty: none).</summary>
    public static string Render(SkillDefinition skill, string? arguments)
    {
        ArgumentNullException.ThrowIfNull(skill);
        return Render(skill.Body, arguments);
    }

    /// <summary>Renders <paramref name="body"/> with <paramref name="arguments"/>.</summary>
    public static string Render(string body, string? arguments)
    {
        ArgumentNullException.ThrowIfNull(body);
        var args = (arguments ?? string.Empty).Trim();
        var positional = Split(args);
        var used = false;
        var text = Placeholder().Replace(body, m =>
        {
            used = true;
            if (!m.Groups[1].Success)
            {
                return args;
            }

            var index = int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
            return index < positional.Count ? positional[index] : string.Empty;
        });

        if (!used && args.Length > 0)
        {
            text = text.TrimEnd() + "\n\nARGUMENTS: " + args + "\n";
        }

        return text;
    }

    /// <summary>
    /// Joins named argument values (as a host passes them to an MCP prompt) into one argument text, in the
    /// order of the skill's arguments; values with spaces are quoted so <c>$ARGUMENTS[N]</c> still works.
    /// </summary>
    public static string Join(SkillDefinition skill, IReadOnlyDictionary<string, string?>? values)
    {
        ArgumentNullException.ThrowIfNull(skill);
        if (values is null || values.Count == 0)
        {
            return string.Empty;
        }

        if (skill.Arguments is [{ Name: DefaultArgumentName }] && values.TryGetValue(DefaultArgumentName, out var all))
        {
            return all ?? string.Empty;
        }

        var parts = new List<string>();
        foreach (var arg in skill.Arguments)
        {
            if (values.TryGetValue(arg.Name, out var v) && !string.IsNullOrWhiteSpace(v))
            {
                var value = v.Trim();
                parts.Add(value.Contains(' ', StringComparison.Ordinal) && !value.Contains('"', StringComparison.Ordinal) && skill.Arguments.Count > 1 ? $"\"{value}\"" : value);
            }
        }

        return string.Join(' ', parts);
    }

    /// <summary>Splits argument text like a shell: whitespace separates, single or double quotes group.</summary>
    public static IReadOnlyList<string> Split(string arguments)
    {
        var result = new List<string>();
        var current = new StringBuilder();
        char quote = '\0';
        var any = false;
        foreach (var c in arguments ?? string.Empty)
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                any = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (current.Length > 0 || any)
                {
                    result.Add(current.ToString());
                    current.Clear();
                    any = false;
                }
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length > 0 || any)
        {
            result.Add(current.ToString());
        }

        return result;
    }

    /// <summary>
    /// Derives named arguments from a hint such as <c>&lt;path&gt; [focus]</c>: angle brackets mark required
    /// arguments, square brackets optional ones. Any other hint yields one optional <c>arguments</c>.
    /// </summary>
    public static IReadOnlyList<SkillArgument> ArgumentsFromHint(string? hint)
    {
        var fallback = new SkillArgument[]
        {
            new(DefaultArgumentName, string.IsNullOrWhiteSpace(hint) ? "Optional text passed to the skill as $ARGUMENTS." : $"Passed to the skill as $ARGUMENTS: {hint}", false),
        };
        if (string.IsNullOrWhiteSpace(hint))
        {
            return fallback;
        }

        var tokens = hint.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var args = new List<SkillArgument>();
        foreach (var token in tokens)
        {
            var m = HintToken().Match(token);
            if (!m.Success)
            {
                return fallback;
            }

            var required = token[0] == '<';
            var name = m.Groups["name"].Value;
            if (args.Any(a => a.Name == name))
            {
                return fallback;
            }

            args.Add(new SkillArgument(name, $"{(required ? "Required" : "Optional")} argument {args.Count} of '{hint}' ($ARGUMENTS[{args.Count}]).", required));
        }

        return args;
    }

    [GeneratedRegex(@"\$ARGUMENTS(?:\[(\d{1,3})\])?")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^(?:<(?<name>[A-Za-z][A-Za-z0-9_-]{0,40})(?:\.\.\.)?>|\[(?<name>[A-Za-z][A-Za-z0-9_-]{0,40})(?:\.\.\.)?\])$")]
    private static partial Regex HintToken();
}
