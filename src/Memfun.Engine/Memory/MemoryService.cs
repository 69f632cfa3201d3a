using System.Text;
using System.Text.RegularExpressions;
using Memfun.Tools;
using Memfun.Tools.Workspace;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Memfun.Engine.Memory;

/// <summary>
/// Persistent memory in two layers: <c>MEMORY.md</c> in the workspace (for people: readable, editable,
/// and it wins) and SQLite stores with FTS5/BM25 ranking (project: <c>&lt;workspace&gt;/.memfun/memory.db</c>,
/// user: <c>~/.memfun/memory.db</c>) for retrieval at scale.
/// </summary>
/// <remarks>
/// <para>Thread-safe and safe across processes: store writes and edits of <c>MEMORY.md</c> happen under a
/// lock file (<c>.memfun/memory.lock</c>); SQLite runs in WAL mode with a busy timeout and retries.</para>
/// <para>Sync on read: before each operation, when <c>MEMORY.md</c> changed since this process last saw
/// it, its bullets are reconciled with the project store: an edited line updates its entry, a deleted line
/// deletes it, a new bullet (in any section) becomes a project entry. Deleting the whole file forgets nothing
/// (the file is rebuilt from new memories on).</para>
/// <para>The file never writes the user store (<c>~/.memfun/memory.db</c>): a marker such as <c>&lt;!-- mem:u1 --&gt;</c>
/// only addresses an entry this project itself showed in the file, and editing or deleting such a line changes
/// nothing in the user store (<c>forget</c> does). With <see cref="MemoryOptions.UseWorkspaceFile"/> off (an untrusted
/// workspace) the file is neither read into the stores nor put into an agent's context.</para>
/// <para>Memory text is untrusted input: it is stored and shown as one line and logged only at Trace.</para>
/// </remarks>
public sealed partial class MemoryService : IDisposable
{
    private const string FileName = "MEMORY.md";

    /// <summary>The largest <c>MEMORY.md</c> read (4 MiB); a larger one is refused, never truncated and rewritten.</summary>
    private const long MaxFileBytes = 4L * 1024 * 1024;

    private readonly MemoryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lazy<MemoryStore> _project;
    private readonly Lazy<MemoryStore> _user;
    private readonly Lock _gate = new();
    private (long Length, long Ticks)? _seen;

    /// <summary>Creates the service for the workspace of <paramref name="guard"/>.</summary>
    public MemoryService(IOptions<MemoryOptions> options, PathGuard guard, ILogger<MemoryService>? logger = null)
        : this(Configure(options, guard), TimeProvider.System, logger)
    {
    }

    internal MemoryService(MemoryOptions options, TimeProvider time, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.WorkspaceRoot);
        _options = options;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        Root = Path.GetFullPath(options.WorkspaceRoot);
        MemoryFilePath = Path.Combine(Root, FileName);
        _project = new(() => new MemoryStore(Path.Combine(Root, ".memfun", "memory.db"), MemoryScope.Project));
        _user = new(() => new MemoryStore(Path.Combine(options.UserDirectory, "memory.db"), MemoryScope.User));
    }

    /// <summary>The workspace root.</summary>
    public string Root { get; }

    /// <summary>The full path of <c>MEMORY.md</c> (it may not exist yet).</summary>
    public string MemoryFilePath { get; }

    private MemoryStore Project => _project.Value;

    private MemoryStore User => _user.Value;

    /// <summary>Stores <paramref name="text"/> and shows it in <c>MEMORY.md</c>; an entry with the same normalised text is not stored twice.</summary>
    /// <exception cref="MemfunToolException">Empty or too long text, or bad tags.</exception>
    public Task<RememberResult> RememberAsync(string text, MemoryScope scope = MemoryScope.Project, IEnumerable<string>? tags = null, string source = "tool", CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var clean = CleanText(text);
        var tagList = CleanTags(tags);
        using var fileLock = AcquireLock(cancellationToken);
        SyncLocked(force: false);
        var store = Store(scope);
        var existing = store.FindNormalized(MemoryQuery.Normalize(clean));
        if (existing is not null)
        {
            store.Touch([RowId(existing.Id)], _time.GetUtcNow());
            return Task.FromResult(new RememberResult(existing, true));
        }

        var entry = store.Add(clean, tagList, source, _time.GetUtcNow());
        EditFile(file => file.Append(entry));
        Project.SetMirror(entry.Id, entry.Text);
        LogRemembered(_logger, entry.Id, scope);
        return Task.FromResult(new RememberResult(entry, false));
    }

    /// <summary>The <paramref name="k"/> stored memories most relevant to <paramref name="query"/>, best first (both scopes).</summary>
    public Task<IReadOnlyList<MemoryEntry>> RecallAsync(string query, int k = 5, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (k is < 1 or > 100)
        {
            throw new MemfunToolException($"k must be between 1 and 100; got {k}.");
        }

        Sync();
        var phrases = MemoryQuery.ToPhrases(query ?? string.Empty);
        if (phrases.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<MemoryEntry>>([]);
        }

        var budget = Math.Max(100, _options.RecallRowBudget);
        var hits = Project.SearchPruned(phrases, k, budget).Concat(User.SearchPruned(phrases, k, budget)).OrderByDescending(e => e.Score).Take(k).ToList();

        // Last-used times are written in a batch after the recall, not inside it.
        var now = _time.GetUtcNow();
        Project.TouchLater(hits.Where(h => h.Scope == MemoryScope.Project).Select(h => RowId(h.Id)), now);
        User.TouchLater(hits.Where(h => h.Scope == MemoryScope.User).Select(h => RowId(h.Id)), now);
        return Task.FromResult<IReadOnlyList<MemoryEntry>>(hits);
    }

    /// <summary>
    /// Forgets by id (<c>p12</c>, <c>u3</c>) or by text: every entry whose text contains <paramref name="target"/>.
    /// When more than one entry matches and <paramref name="confirm"/> is false, nothing is deleted and a preview is returned.
    /// </summary>
    public Task<ForgetResult> ForgetAsync(string target, bool confirm = false, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (string.IsNullOrWhiteSpace(target))
        {
            throw new MemfunToolException("target is empty. Pass a memory id (like p12) or text that the memories to forget contain.");
        }

        target = target.Trim();
        using var fileLock = AcquireLock(cancellationToken);
        SyncLocked(force: false);
        List<MemoryEntry> matches;
        int total;
        if (IdPattern().IsMatch(target))
        {
            var entry = StoreOf(target).Get(RowId(target))
                ?? throw new MemfunToolException($"No memory has id {target}. Call memory_list or recall to find the id.");
            matches = [entry];
            total = 1;
        }
        else
        {
            var p = Project.List(target, null, 0, 1000);
            var u = User.List(target, null, 0, 1000);
            matches = [.. p.Items, .. u.Items];
            total = p.Total + u.Total;
            if (total == 0)
            {
                throw new MemfunToolException($"No memory contains '{target}'. Call memory_list or recall to find what to forget.");
            }
        }

        if (total > 1 && !confirm)
        {
            return Task.FromResult(new ForgetResult([], [.. matches.Take(20)], total, true));
        }

        if (total > matches.Count)
        {
            throw new MemfunToolException($"{total} memories contain '{target}'; forget deletes at most 1000 at once. Use a more specific text.");
        }

        Project.Delete(matches.Where(m => m.Scope == MemoryScope.Project).Select(m => RowId(m.Id)));
        User.Delete(matches.Where(m => m.Scope == MemoryScope.User).Select(m => RowId(m.Id)));
        var ids = matches.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        EditFile(file => file.RemoveIds(ids));
        foreach (var id in ids)
        {
            Project.SetMirror(id, null);
        }

        LogForgot(_logger, ids.Count);
        return Task.FromResult(new ForgetResult([.. ids], matches, total, false));
    }

    /// <summary>A page of stored memories, newest first, optionally filtered by scope, tag and contained text.</summary>
    public Task<MemoryPage> ListAsync(MemoryScope? scope = null, string? tag = null, string? contains = null, int offset = 0, int limit = 20, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (offset < 0 || limit is < 1 or > 200)
        {
            throw new MemfunToolException($"offset must be 0 or more and limit between 1 and 200; got offset {offset}, limit {limit}.");
        }

        Sync();
        tag = string.IsNullOrWhiteSpace(tag) ? null : tag.Trim();
        contains = string.IsNullOrWhiteSpace(contains) ? null : contains.Trim();
        if (scope is { } only)
        {
            var (items, total) = Store(only).List(contains, tag, offset, limit);
            return Task.FromResult(new MemoryPage(items, total, offset));
        }

        // Project entries first, then user entries.
        var p = Project.List(contains, tag, offset, limit);
        var list = new List<MemoryEntry>(p.Items);
        var userOffset = Math.Max(0, offset - p.Total);
        var u = User.List(contains, tag, userOffset, Math.Max(1, limit - list.Count));
        if (list.Count < limit)
        {
            list.AddRange(u.Items.Take(limit - list.Count));
        }

        return Task.FromResult(new MemoryPage(list, p.Total + u.Total, offset));
    }

    /// <summary>
    /// The memory context for a task, to put at the top of an agent's prompt as high-priority context:
    /// <c>MEMORY.md</c> (without markers, cut at <see cref="MemoryOptions.ContextFileCharacters"/>) and the
    /// stored memories most relevant to <paramref name="task"/> that the file part does not already show.
    /// Empty when there is no memory at all.
    /// </summary>
    public async Task<string> GetContextAsync(string task, int? k = null, CancellationToken cancellationToken = default)
    {
        Sync();
        var fileText = ReadMemoryFileForAgents();
        var recalled = string.IsNullOrWhiteSpace(task)
            ? []
            : await RecallAsync(task, k ?? _options.ContextRecallCount, cancellationToken).ConfigureAwait(false);
        var extra = recalled.Where(r => fileText is null || !fileText.Contains(r.Text, StringComparison.Ordinal)).ToList();
        if (string.IsNullOrWhiteSpace(fileText) && extra.Count == 0)
        {
            return string.Empty;
        }

        var sb = new StringBuilder();
        sb.AppendLine("<memory priority=\"high\">");
        sb.AppendLine("Facts and preferences remembered for this workspace and user. Follow them unless the task says otherwise.");
        if (!string.IsNullOrWhiteSpace(fileText))
        {
            sb.AppendLine().AppendLine(fileText.Trim());
        }

        if (extra.Count > 0)
        {
            sb.AppendLine().AppendLine("## Recalled for this task");
            foreach (var e in extra)
            {
                sb.Append("- ").Append(e.Text).Append(e.Tags.Count > 0 ? $" ({string.Join(", ", e.Tags)})" : string.Empty).AppendLine();
            }
        }

        sb.AppendLine("</memory>");
        return sb.ToString();
    }

    /// <summary>The text of <c>MEMORY.md</c> as it is on disk, or null when the file does not exist.</summary>
    public string? ReadMemoryFile()
    {
        Sync();
        return ReadFileText();
    }

    /// <summary>Total entries in both stores.</summary>
    public int Count() => Project.Count() + User.Count();

    /// <summary>Closes the stores.</summary>
    public void Dispose()
    {
        if (_project.IsValueCreated)
        {
            _project.Value.Dispose();
        }

        if (_user.IsValueCreated)
        {
            _user.Value.Dispose();
        }
    }

    internal MemoryStore Store(MemoryScope scope) => scope == MemoryScope.User ? User : Project;

    /// <summary>Finds a stored entry whose text is a near-duplicate of <paramref name="text"/> (same normalised text, or FTS neighbours with ≥ <paramref name="threshold"/> word overlap).</summary>
    internal MemoryEntry? FindNearDuplicate(string text, MemoryScope scope, double threshold = 0.75)
    {
        var store = Store(scope);
        var exact = store.FindNormalized(MemoryQuery.Normalize(text));
        if (exact is not null)
        {
            return exact;
        }

        var fts = MemoryQuery.ToFts(text, expand: false, prefix: false);
        return fts is null ? null : store.Search(fts, 5).FirstOrDefault(c => MemoryQuery.Similarity(c.Text, text) >= threshold);
    }

    private string? ReadMemoryFileForAgents()
    {
        if (!_options.UseWorkspaceFile || TryReadFileText() is not { } raw)
        {
            return null;
        }

        var text = MemoryFile.Parse(raw).WithoutMarkers();
        var header = MemoryFile.Parse(MemoryFile.Header).ToString();
        if (text.StartsWith(header, StringComparison.Ordinal))
        {
            text = text[header.Length..];
        }

        if (text.Length > _options.ContextFileCharacters)
        {
            text = text[.._options.ContextFileCharacters] + "\n[MEMORY.md continues; recall finds the rest]";
        }

        return text;
    }

    private void Sync()
    {
        if (!_options.UseWorkspaceFile)
        {
            return;
        }

        var stamp = Stamp();
        lock (_gate)
        {
            if (stamp == _seen)
            {
                return;
            }
        }

        using var fileLock = AcquireLock(CancellationToken.None);
        SyncLocked(force: false);
    }

    /// <summary>Reconciles MEMORY.md into the stores. Call under the lock file.</summary>
    private void SyncLocked(bool force)
    {
        if (!_options.UseWorkspaceFile)
        {
            return;
        }

        var stamp = Stamp();
        lock (_gate)
        {
            if (!force && stamp == _seen)
            {
                return;
            }
        }

        if (stamp is null)
        {
            // No file: nothing to reconcile, and the mirror no longer describes anything.
            foreach (var id in Project.Mirror().Keys)
            {
                Project.SetMirror(id, null);
            }

            lock (_gate)
            {
                _seen = null;
            }

            return;
        }

        if (TryReadFileText() is not { } content)
        {
            // Refused (a link out of the workspace, a special file, over the cap): the stores stay as they are.
            return;
        }

        var file = MemoryFile.Parse(content);
        var mirror = Project.Mirror();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var now = _time.GetUtcNow();
        int added = 0, updated = 0, deleted = 0;
        foreach (var e in file.Entries())
        {
            var text = CleanTextOrNull(e.Text);
            if (text is null)
            {
                continue;
            }

            // The file belongs to the workspace, the user store to the user: a line of the file only ever addresses a
            // user entry this process showed in it (the mirror), and even then changes nothing in the user store.
            if (e.Id is { } id && seen.Add(id))
            {
                if (mirror.TryGetValue(id, out var was))
                {
                    if (!string.Equals(was, text, StringComparison.Ordinal))
                    {
                        if (IsProjectId(id))
                        {
                            Project.UpdateText(RowId(id), text);
                            updated++;
                        }

                        Project.SetMirror(id, text);
                    }

                    continue;
                }

                var stored = IsProjectId(id) ? Project.Get(RowId(id)) : null;
                if (stored is not null)
                {
                    if (!string.Equals(stored.Text, text, StringComparison.Ordinal))
                    {
                        Project.UpdateText(RowId(id), text);
                        updated++;
                    }

                    Project.SetMirror(id, text);
                    continue;
                }
            }

            // A bullet a person added (or whose id names nothing of this project): a project entry, whatever its section.
            var entry = Project.FindNormalized(MemoryQuery.Normalize(text)) ?? Project.Add(text, e.Tags, FileName, now);
            if (seen.Add(entry.Id) || e.Id is null)
            {
                file.SetId(e.Line, text, entry.Id);
                Project.SetMirror(entry.Id, text);
                added++;
            }
        }

        foreach (var id in mirror.Keys.Where(id => !seen.Contains(id)))
        {
            // A line a person deleted: the file wins for the project's entries; a user entry stays in the user's store.
            if (IsProjectId(id))
            {
                Project.Delete([RowId(id)]);
                deleted++;
            }

            Project.SetMirror(id, null);
        }

        if (file.Changed)
        {
            WriteFile(file);
        }

        lock (_gate)
        {
            _seen = Stamp();
        }

        if (added + updated + deleted > 0)
        {
            LogSynced(_logger, added, updated, deleted);
        }
    }

    private void EditFile(Action<MemoryFile> edit)
    {
        // A refused file throws: it is never replaced by an edit of an empty one.
        var file = ReadFileText() is { } text ? MemoryFile.Parse(text) : MemoryFile.Empty();
        edit(file);
        if (file.Changed || !File.Exists(MemoryFilePath))
        {
            WriteFile(file);
        }
    }

    /// <summary>
    /// Reads <c>MEMORY.md</c> through <see cref="SafeFile"/>: inside the workspace after every link, a regular
    /// file, at most <see cref="MaxFileBytes"/>; null when it does not exist.
    /// </summary>
    /// <exception cref="SafeFileException">The file is refused (e.g. a link to <c>/proc/self/environ</c>).</exception>
    private string? ReadFileText() => SafeFile.ReadOwnText(Root, MemoryFilePath, MaxFileBytes);

    /// <summary>As <see cref="ReadFileText"/>, but a refused file is logged and read as missing.</summary>
    private string? TryReadFileText()
    {
        try
        {
            return ReadFileText();
        }
        catch (SafeFileException ex)
        {
            LogFileRefused(_logger, ex.Message);
            return null;
        }
    }

    private void WriteFile(MemoryFile file)
    {
        var temp = MemoryFilePath + "." + Environment.ProcessId + ".tmp";
        File.WriteAllText(temp, file.ToString());
        File.Move(temp, MemoryFilePath, overwrite: true);
        lock (_gate)
        {
            _seen = Stamp();
        }
    }

    private (long Length, long Ticks)? Stamp()
    {
        var info = new FileInfo(MemoryFilePath);
        return info.Exists ? (info.Length, info.LastWriteTimeUtc.Ticks) : null;
    }

    private FileStream AcquireLock(CancellationToken cancellationToken)
    {
        var path = Path.Combine(Root, ".memfun", "memory.lock");
        Memfun.Tools.Workspace.StateFolder.EnsureFor(path);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Thread.Sleep(Math.Min(5 + attempt, 25));
            }
            catch (IOException ex)
            {
                throw new MemfunToolException($"The memory is busy (another memfun process holds {path} for over 30 s). Try again.", ex);
            }
        }
    }

    private MemoryStore StoreOf(string id) => IsProjectId(id) ? Project : User;

    private static bool IsProjectId(string id) => id[0] == 'p';

    private static long RowId(string id) => long.Parse(id.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);

    private string CleanText(string text) =>
        CleanTextOrNull(text) is { } clean
            ? clean.Length <= _options.MaxTextLength
                ? clean
                : throw new MemfunToolException($"The memory is {clean.Length} characters; at most {_options.MaxTextLength} fit. Store one short fact per memory.")
            : throw new MemfunToolException("The memory text is empty. Pass one fact or preference in a sentence.");

    private static string? CleanTextOrNull(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // One line: MEMORY.md shows a memory as one bullet; the marker syntax is reserved.
        var clean = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        clean = clean.Replace("<!--", "<!-", StringComparison.Ordinal).Replace("-->", "->", StringComparison.Ordinal);
        return clean.Length == 0 ? null : clean;
    }

    private static List<string> CleanTags(IEnumerable<string>? tags)
    {
        var list = new List<string>();
        foreach (var raw in tags ?? [])
        {
            var tag = raw?.Trim().ToLowerInvariant() ?? string.Empty;
            if (tag.Length == 0)
            {
                continue;
            }

            if (!TagPattern().IsMatch(tag))
            {
                throw new MemfunToolException($"Tag '{raw}' is not allowed: use letters, digits, '-', '_' or '.', up to 40 characters.");
            }

            if (!list.Contains(tag))
            {
                list.Add(tag);
            }
        }

        if (list.Count > 8)
        {
            throw new MemfunToolException($"At most 8 tags per memory; got {list.Count}.");
        }

        list.Sort(StringComparer.Ordinal);
        return list;
    }

    private static MemoryOptions Configure(IOptions<MemoryOptions> options, PathGuard guard)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(guard);
        var o = options.Value;
        o.WorkspaceRoot ??= guard.Root;
        return o;
    }

    [GeneratedRegex(@"^[pu]\d{1,18}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]{0,39}$")]
    private static partial Regex TagPattern();

    [LoggerMessage(EventId = 2409, Level = LogLevel.Warning, Message = "MEMORY.md is not read: {Reason}")]
    private static partial void LogFileRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Debug, Message = "Memory {Id} stored ({Scope})")]
    private static partial void LogRemembered(ILogger logger, string id, MemoryScope scope);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Debug, Message = "Forgot {Count} memories")]
    private static partial void LogForgot(ILogger logger, int count);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Information, Message = "MEMORY.md edits applied: {Added} added, {Updated} updated, {Deleted} deleted")]
    private static partial void LogSynced(ILogger logger, int added, int updated, int deleted);
}
