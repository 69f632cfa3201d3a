using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Memfun.Tools;
using Memfun.Tools.Workspace;

namespace Memfun.Engine.Skills;

/// <summary>
/// Reads one skill directory: parses and validates <c>SKILL.md</c> and lists the directory's files with
/// their sizes and SHA-256 digests. Every problem names the file and, where one is to blame, the field.
/// </summary>
internal static partial class SkillParser
{
    /// <summary>The manifest file every skill directory holds at its root.</summary>
    public const string SkillFileName = "SKILL.md";

    /// <summary>At most this many files per skill (SEP-2640's interoperability limit).</summary>
    public const int MaxFiles = 512;

    /// <summary>At most this many bytes over a skill's files (SEP-2640's interoperability limit, 16 MiB).</summary>
    public const long MaxTotalBytes = 16L * 1024 * 1024;

    private static readonly string[] KnownContext = ["files", "tree", "git-diff", "memory"];

    /// <summary>Loads the skill in <paramref name="directory"/>; returns null and adds problems when it is invalid.</summary>
    public static SkillDefinition? Load(string directory, SkillSource source, List<SkillProblem> problems)
    {
        var folderName = Path.GetFileName(Path.TrimEndingDirectorySeparator(directory));
        var skillFile = Path.Combine(directory, SkillFileName);
        string text;
        try
        {
            // Inside the skill folder after every link, a regular file, capped: a link to /dev/zero or out of the folder is refused.
            text = SafeFile.ReadOwnText(directory, skillFile, MaxTotalBytes, strict: true)
                ?? throw new FileNotFoundException($"{SkillFileName} does not exist.", skillFile);
        }
        catch (SafeFileException ex)
        {
            problems.Add(new(skillFile, null, $"the file is refused: {ex.Message}"));
            return null;
        }
        catch (DecoderFallbackException)
        {
            problems.Add(new(skillFile, null, "the file is not valid UTF-8 text. Save it as UTF-8."));
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add(new(skillFile, null, $"the file cannot be read: {ex.Message}"));
            return null;
        }

        var before = problems.Count;
        var parsed = Parse(text, skillFile, folderName, problems);
        if (parsed is null || problems.Skip(before).Any(p => !p.IsWarning))
        {
            return null;
        }

        var files = ListFiles(directory, skillFile, problems);
        if (files is null)
        {
            return null;
        }

        return parsed with { Directory = directory, Source = source, Files = files };
    }

    /// <summary>
    /// Parses and validates the text of a <c>SKILL.md</c> (no file access). The result's directory, source
    /// and files are placeholders for <see cref="Load"/> to fill in.
    /// </summary>
    public static SkillDefinition? Parse(string text, string skillFile, string folderName, List<SkillProblem> problems)
    {
        if (!SkillFrontmatter.TrySplit(text, out var yaml, out var body, out _))
        {
            problems.Add(new(skillFile, null,
                "the file does not start with YAML front matter. Begin it with a '---' line, then 'name: <folder name>' and 'description: <what it does>' lines, then a closing '---' line."));
            return null;
        }

        IReadOnlyDictionary<string, object?> fm;
        try
        {
            fm = SkillFrontmatter.Parse(yaml);
        }
        catch (FormatException ex)
        {
            problems.Add(new(skillFile, null, ex.Message));
            return null;
        }

        var name = RequiredString(fm, "name", skillFile, problems);
        if (name is not null)
        {
            if (name.Length > 64 || !NamePattern().IsMatch(name))
            {
                problems.Add(new(skillFile, "name",
                    $"'{name}' is not a valid skill name: use 1-64 lowercase letters, digits and single hyphens, not starting or ending with a hyphen (for example 'review-code')."));
            }
            else if (!string.Equals(name, folderName, StringComparison.Ordinal))
            {
                problems.Add(new(skillFile, "name", $"'{name}' does not match the folder name '{folderName}'. Rename the folder or the skill so they are equal."));
            }
        }

        var description = RequiredString(fm, "description", skillFile, problems);
        if (description is not null && description.Length > 1024)
        {
            // Hosts load such skills (Anthropic's own claude-api has 1,068 characters): a warning, not a reason to skip a real skill.
            problems.Add(new(skillFile, "description",
                $"is {description.Length} characters long, over the Agent Skills limit of 1024; the skill is loaded, but shorten the description to 1024 or fewer so every host accepts it.",
                IsWarning: true));
        }

        var version = fm.TryGetValue("version", out var v) ? v switch
        {
            null => null,
            string s => s,
            long or double or bool => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture),
            _ => Bad<string>(skillFile, "version", "must be a single value such as '1.0.0', not a list or mapping.", problems),
        } : null;

        var allowedTools = StringList(fm, "allowed-tools", skillFile, problems, splitText: true);
        var tags = StringList(fm, "tags", skillFile, problems, splitText: true);
        var context = StringList(fm, "context", skillFile, problems, splitText: true);
        foreach (var c in context.Where(c => !KnownContext.Contains(c, StringComparer.Ordinal)))
        {
            problems.Add(new(skillFile, "context", $"'{c}' is not a known context kind; use any of: {string.Join(", ", KnownContext)}."));
        }

        var userInvocable = Bool(fm, "user-invocable", skillFile, problems);
        var modelInvocable = Bool(fm, "model-invocable", skillFile, problems);
        string? hint = null;
        if (fm.TryGetValue("argument-hint", out var h) && h is not null)
        {
            hint = h as string ?? Bad<string>(skillFile, "argument-hint", "must be text such as '<path> [focus]'.", problems);
        }

        if (name is null || description is null)
        {
            return null;
        }

        return new SkillDefinition
        {
            Name = name,
            Description = description,
            Version = version,
            AllowedTools = allowedTools,
            Tags = tags,
            Context = fm.ContainsKey("context") ? context : ["files"],
            UserInvocable = userInvocable ?? true,
            ModelInvocable = modelInvocable ?? true,
            ArgumentHint = hint,
            Arguments = SkillTemplate.ArgumentsFromHint(hint),
            Body = body,
            FrontmatterText = yaml,
            Frontmatter = fm,
            Directory = Path.GetDirectoryName(skillFile) ?? string.Empty,
            Source = SkillSource.BuiltIn,
            Files = [new SkillFile(SkillFileName, skillFile, Encoding.UTF8.GetByteCount(text), string.Empty)],
        };
    }

    /// <summary>Lists the files of a skill directory (hidden entries and links that leave it skipped), <c>SKILL.md</c> first.</summary>
    internal static List<SkillFile>? ListFiles(string directory, string skillFile, List<SkillProblem> problems)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var found = new List<string>();
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            IEnumerable<FileSystemInfo> entries;
            try
            {
                entries = new DirectoryInfo(dir).EnumerateFileSystemInfos().ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problems.Add(new(skillFile, null, $"the folder '{dir}' cannot be listed: {ex.Message}"));
                return null;
            }

            foreach (var entry in entries)
            {
                if (entry.Name.StartsWith('.'))
                {
                    continue;
                }

                if (entry.LinkTarget is not null)
                {
                    // A link may point anywhere; serve it only when its target stays inside the skill.
                    var target = entry.ResolveLinkTarget(returnFinalTarget: true);
                    if (target is null || !target.Exists || !IsUnder(Path.GetFullPath(target.FullName), root))
                    {
                        continue;
                    }
                }

                if (entry is DirectoryInfo)
                {
                    pending.Push(entry.FullName);
                }
                else
                {
                    found.Add(entry.FullName);
                }
            }

            if (found.Count > MaxFiles)
            {
                problems.Add(new(skillFile, null, $"the skill folder holds more than {MaxFiles} files; keep a skill to {MaxFiles} files or fewer."));
                return null;
            }
        }

        var files = new List<SkillFile>(found.Count);
        long total = 0;
        foreach (var full in found.Order(StringComparer.Ordinal))
        {
            byte[] bytes;
            try
            {
                // Checked and opened in one step inside the skill folder: a link through a folder that leaves it, or a special file, is skipped.
                var read = SafeFile.ReadOwnFile(root, full, MaxTotalBytes);
                if (read is null)
                {
                    continue;
                }

                bytes = read;
            }
            catch (SafeFileException ex) when (ex.Error is SafeFileError.Outside or SafeFileError.NotRegular)
            {
                continue;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or MemfunToolException)
            {
                problems.Add(new(skillFile, null, $"the supporting file '{full}' cannot be read: {ex.Message}"));
                return null;
            }

            total += bytes.Length;
            if (total > MaxTotalBytes)
            {
                problems.Add(new(skillFile, null, $"the skill's files add up to more than {MaxTotalBytes} bytes (16 MiB); move large files out of the skill folder."));
                return null;
            }

            var relative = Path.GetRelativePath(root, full).Replace(Path.DirectorySeparatorChar, '/');
            files.Add(new SkillFile(relative, full, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes))));
        }

        var self = files.FindIndex(f => f.RelativePath == SkillFileName);
        if (self < 0)
        {
            problems.Add(new(skillFile, null, "SKILL.md vanished while the skill was being read."));
            return null;
        }

        var skill = files[self];
        files.RemoveAt(self);
        files.Insert(0, skill);
        return files;
    }

    private static bool IsUnder(string full, string root) =>
        full == root || full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string? RequiredString(IReadOnlyDictionary<string, object?> fm, string field, string file, List<SkillProblem> problems)
    {
        if (!fm.TryGetValue(field, out var value) || value is null)
        {
            problems.Add(new(file, field, $"is missing. Add a '{field}:' line to the front matter."));
            return null;
        }

        if (value is not string s)
        {
            problems.Add(new(file, field, $"must be text, but it is {Describe(value)}. Quote it if it is meant as text."));
            return null;
        }

        if (string.IsNullOrWhiteSpace(s))
        {
            problems.Add(new(file, field, "is empty. Give it a value."));
            return null;
        }

        return s;
    }

    private static bool? Bool(IReadOnlyDictionary<string, object?> fm, string field, string file, List<SkillProblem> problems)
    {
        if (!fm.TryGetValue(field, out var value) || value is null)
        {
            return null;
        }

        if (value is bool b)
        {
            return b;
        }

        problems.Add(new(file, field, $"must be true or false, but it is {Describe(value)}."));
        return null;
    }

    private static List<string> StringList(IReadOnlyDictionary<string, object?> fm, string field, string file, List<SkillProblem> problems, bool splitText)
    {
        if (!fm.TryGetValue(field, out var value) || value is null)
        {
            return [];
        }

        if (value is string s && splitText)
        {
            return [.. s.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        if (value is IReadOnlyList<object?> list && list.All(i => i is string))
        {
            return [.. list.Cast<string>()];
        }

        problems.Add(new(file, field, $"must be a list of names (for example [read_file, search]), but it is {Describe(value)}."));
        return [];
    }

    private static T? Bad<T>(string file, string field, string message, List<SkillProblem> problems)
        where T : class
    {
        problems.Add(new(file, field, message));
        return null;
    }

    private static string Describe(object? value) => value switch
    {
        null => "empty",
        string s => $"the text '{s}'",
        bool b => $"the boolean {(b ? "true" : "false")}",
        long or double => $"the number {Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)}",
        IReadOnlyList<object?> => "a list",
        _ => "a mapping",
    };

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex NamePattern();
}
