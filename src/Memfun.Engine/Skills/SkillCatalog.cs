using System.Globalization;
using System.IO.Enumeration;
using System.Text;
using Memfun.Tools;
using Memfun.Tools.Workspace;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Memfun.Engine.Skills;

/// <summary>
/// Finds the skills (<c>&lt;root&gt;/&lt;name&gt;/SKILL.md</c>) in the built-in folder, the workspace's
/// <c>skills/</c> and its <c>.memfun/skills/</c>, in that order: a later source's skill replaces an
/// earlier one of the same name. Invalid skills are reported in <see cref="SkillCatalogSnapshot.Problems"/>,
/// never thrown.
/// </summary>
/// <remarks>
/// Thread-safe. Each call to <see cref="GetSnapshot"/> checks the folders' file names, sizes and times
/// and re-reads them only when something changed, so edits show up on the next call without a restart.
/// Workspace folders are resolved through <see cref="PathGuard"/>; a <c>skills</c> link leaving the
/// workspace is reported as a problem and skipped.
/// </remarks>
public sealed partial class SkillCatalog
{
    private readonly SkillCatalogOptions _options;
    private readonly PathGuard? _guard;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private string? _fingerprint;
    private SkillCatalogSnapshot _snapshot = SkillCatalogSnapshot.Empty;

    /// <summary>Creates a catalog over the configured built-in folder and the guarded workspace.</summary>
    public SkillCatalog(IOptions<SkillCatalogOptions> options, PathGuard? guard = null, ILogger<SkillCatalog>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _guard = guard;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Raised (outside any lock) when a refresh finds the set of skills or their files changed.</summary>
    public event EventHandler? Changed;

    /// <summary>The default built-in folder: <c>skills/</c> beside the running binary.</summary>
    public static string DefaultBuiltInRoot => Path.Combine(AppContext.BaseDirectory, "skills");

    /// <summary>The folders searched, in precedence order (later wins), with what each is.</summary>
    public IReadOnlyList<(string Path, SkillSource Source)> Roots
    {
        get
        {
            var roots = new List<(string, SkillSource)> { (_options.BuiltInRoot ?? DefaultBuiltInRoot, SkillSource.BuiltIn) };
            if (_options.IncludeWorkspace && _guard is not null)
            {
                roots.Add((Path.Combine(_guard.Root, "skills"), SkillSource.Workspace));
                roots.Add((Path.Combine(_guard.Root, ".memfun", "skills"), SkillSource.WorkspaceMemfun));
            }

            return roots;
        }
    }

    /// <summary>The current skills and problems, re-read when any skill file changed since the last call.</summary>
    public SkillCatalogSnapshot GetSnapshot()
    {
        var problems = new List<SkillProblem>();
        var dirs = SkillDirectories(problems);
        var fingerprint = Fingerprint(dirs, problems);
        bool changed;
        SkillCatalogSnapshot snapshot;
        lock (_gate)
        {
            changed = _fingerprint is not null && _fingerprint != fingerprint;
            if (_fingerprint == fingerprint)
            {
                return _snapshot;
            }

            snapshot = Load(dirs, problems);
            _snapshot = snapshot;
            _fingerprint = fingerprint;
        }

        foreach (var p in snapshot.Problems)
        {
            LogInvalidSkill(_logger, p.ToString());
        }

        if (changed)
        {
            Changed?.Invoke(this, EventArgs.Empty);
        }

        return snapshot;
    }

    /// <summary>The valid skills, ordered by name.</summary>
    public IReadOnlyList<SkillDefinition> Skills => GetSnapshot().Skills;

    /// <summary>The skill named <paramref name="name"/>, or false.</summary>
    public bool TryGet(string name, out SkillDefinition skill)
    {
        skill = GetSnapshot().Find(name)!;
        return skill is not null;
    }

    /// <summary>The skill named <paramref name="name"/>.</summary>
    /// <exception cref="SkillNotFoundException">No valid skill has that name; the message lists those there are and any problem of that name.</exception>
    public SkillDefinition Get(string name)
    {
        var snapshot = GetSnapshot();
        if (snapshot.Find(name) is { } skill)
        {
            return skill;
        }

        var message = new StringBuilder($"There is no skill named '{name}'.");
        var broken = snapshot.Problems.Where(p => p.FilePath.Contains($"{Path.DirectorySeparatorChar}{name}{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).ToList();
        if (broken.Count > 0)
        {
            message.Append(" A skill folder of that name exists but is invalid: ").AppendJoin("; ", broken.Select(b => b.ToString())).Append('.');
        }

        message.Append(snapshot.Skills.Count == 0
            ? " No skills are installed."
            : $" Available skills: {string.Join(", ", snapshot.Skills.Select(s => s.Name))}.");
        throw new SkillNotFoundException(message.ToString());
    }

    private List<(string Dir, SkillSource Source)> SkillDirectories(List<SkillProblem> problems)
    {
        var result = new List<(string, SkillSource)>();
        foreach (var (root, source) in Roots)
        {
            var resolved = root;
            if (source != SkillSource.BuiltIn && _guard is not null)
            {
                try
                {
                    resolved = _guard.Resolve(Path.GetRelativePath(_guard.Root, root));
                }
                catch (MemfunToolException ex)
                {
                    problems.Add(new(root, null, ex.Message));
                    continue;
                }
            }

            if (!Directory.Exists(resolved))
            {
                continue;
            }

            try
            {
                foreach (var dir in Directory.EnumerateDirectories(resolved).Order(StringComparer.Ordinal))
                {
                    if (!Path.GetFileName(dir).StartsWith('.') && File.Exists(Path.Combine(dir, SkillParser.SkillFileName)))
                    {
                        result.Add((dir, source));
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problems.Add(new(resolved, null, $"the skills folder cannot be listed: {ex.Message}"));
            }
        }

        return result;
    }

    private static string Fingerprint(List<(string Dir, SkillSource Source)> dirs, List<SkillProblem> problems)
    {
        var sb = new StringBuilder();
        foreach (var p in problems)
        {
            sb.Append(p).Append('\n');
        }

        foreach (var (dir, source) in dirs)
        {
            sb.Append((int)source).Append(dir).Append('\n');
            try
            {
                // Links to folders are not followed: "sub -> /dev" would walk /dev, and through /dev/fd the whole file system.
                var files = new FileSystemEnumerable<string>(
                    dir,
                    static (ref FileSystemEntry e) => string.Create(CultureInfo.InvariantCulture, $"{e.ToFullPath()}|{(e.IsDirectory ? 0 : e.Length)}|{e.LastWriteTimeUtc.UtcTicks}"),
                    new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 })
                {
                    ShouldIncludePredicate = static (ref FileSystemEntry e) => !e.IsDirectory,
                    ShouldRecursePredicate = static (ref FileSystemEntry e) => (e.Attributes & FileAttributes.ReparsePoint) == 0,
                };
                foreach (var f in files)
                {
                    sb.Append(f).Append('\n');
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                sb.Append(ex.Message).Append('\n');
            }
        }

        return sb.ToString();
    }

    private static SkillCatalogSnapshot Load(List<(string Dir, SkillSource Source)> dirs, List<SkillProblem> rootProblems)
    {
        var problems = new List<SkillProblem>(rootProblems);
        var byName = new Dictionary<string, SkillDefinition>(StringComparer.Ordinal);
        var overridden = new List<SkillDefinition>();
        foreach (var (dir, source) in dirs)
        {
            if (SkillParser.Load(dir, source, problems) is not { } skill)
            {
                continue;
            }

            if (byName.TryGetValue(skill.Name, out var earlier))
            {
                overridden.Add(earlier);
            }

            byName[skill.Name] = skill;
        }

        return new SkillCatalogSnapshot([.. byName.Values.OrderBy(s => s.Name, StringComparer.Ordinal)], problems, overridden);
    }

    [LoggerMessage(EventId = 2400, Level = LogLevel.Warning, Message = "Skipped an invalid skill: {Problem}")]
    private static partial void LogInvalidSkill(ILogger logger, string problem);
}
