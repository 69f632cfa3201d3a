using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Memfun.Tools.Workspace;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Memfun.Tools.CodeMap;

/// <summary>
/// The structural index of the workspace: per source file, its types, functions and methods with
/// full signatures and line numbers (C# through Roslyn; Python, JavaScript/TypeScript, Go, Rust and
/// Java through lexical extraction), cached per file so that a re-map parses only what changed.
/// </summary>
/// <remarks>
/// <para>Thread-safe; calls are serialised (one map at a time), parsing is parallel on all cores.</para>
/// <para>Cache: in memory and in SQLite at <c>&lt;workspace&gt;/.memfun/codemap.db</c>. A file is reused
/// when its size and modification time are unchanged, else when its SHA-256 is unchanged; otherwise
/// it is parsed again. Files above <see cref="CodeMapOptions.MaxFileBytes"/> and minified files are skipped.</para>
/// <para>Every path goes through the <see cref="PathGuard"/>; ignore files are honoured.</para>
/// </remarks>
public sealed partial class CodeMapService : IDisposable
{
    private const int MinifiedLineLength = 1000;

    private readonly WorkspaceWalker _walker;
    private readonly CodeMapOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, CachedFile> _memory = new(StringComparer.Ordinal);
    private CodeMapStore? _store;
    private IReadOnlyList<CodeMapFile>? _lastRootFiles;
    private bool _loaded;
    private long _filesParsed;

    /// <summary>Creates the service.</summary>
    public CodeMapService(WorkspaceWalker walker, IOptions<CodeMapOptions> options, ILogger<CodeMapService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(walker);
        ArgumentNullException.ThrowIfNull(options);
        _walker = walker;
        _options = options.Value;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Files parsed since start, over all calls (a re-map of unchanged files adds none). For tests and benchmarks.</summary>
    public long FilesParsed => Interlocked.Read(ref _filesParsed);

    /// <summary>The default output budget of <see cref="Render"/>.</summary>
    public int DefaultMaxBytes => _options.DefaultMaxBytes;

    /// <summary>Maps the source files under <paramref name="path"/> (the workspace root when null).</summary>
    /// <param name="path">A folder or file relative to the workspace root; untrusted.</param>
    /// <param name="progress">Receives (files done, files to parse) while parsing; may be null.</param>
    /// <param name="cancellationToken">Stops the map; nothing is saved for an interrupted map.</param>
    /// <exception cref="WorkspaceAccessException">The path leaves the workspace.</exception>
    public async Task<WorkspaceCodeMap> MapAsync(string? path = null, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() => Map(path, null, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Maps the whole workspace from the files of <paramref name="snapshot"/>, without walking it again.</summary>
    /// <remarks>
    /// Only the snapshot's sizes and times are compared with the cache; a file is read (and parsed, when its hash changed)
    /// only when they differ. When no file changed since the last map of the whole workspace, the returned map's
    /// <see cref="WorkspaceCodeMap.Files"/> is the very list returned last time, so a caller may reuse what it rendered from it.
    /// </remarks>
    /// <param name="snapshot">A walk of this workspace (<see cref="WorkspaceWalker.Snapshot"/>).</param>
    /// <param name="progress">Receives (files done, files to parse) while parsing; may be null.</param>
    /// <param name="cancellationToken">Stops the map; nothing is saved for an interrupted map.</param>
    /// <exception cref="ArgumentException">The snapshot is of another workspace.</exception>
    public async Task<WorkspaceCodeMap> MapSnapshotAsync(WorkspaceSnapshot snapshot, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        snapshot.EnsureOf(_walker);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() => Map(null, snapshot, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Renders <paramref name="map"/> as Markdown within <paramref name="maxBytes"/> bytes of UTF-8, most relevant files first.</summary>
    /// <remarks>
    /// Files are ranked by the size of their public surface, shallow paths and non-test code first. The
    /// best files are shown with every member; when the budget runs short, further files are shown with
    /// their top-level declarations only, then not at all; the last line always says what was omitted.
    /// </remarks>
    public static string Render(WorkspaceCodeMap map, int maxBytes) => CodeMapRenderer.Render(map, maxBytes);

    private WorkspaceCodeMap Map(string? path, WorkspaceSnapshot? snapshot, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        EnsureLoaded();
        var parsedBefore = FilesParsed;
        var entries = snapshot?.Entries ?? _walker.Walk(path, WalkOptions.Default, cancellationToken);
        var root = string.IsNullOrEmpty(path) || path == "." ? string.Empty : _walker.Guard.Display(_walker.Guard.Resolve(path));
        var files = new CodeMapFile?[entries.Count];
        var work = new List<int>();
        var scanned = 0;
        var skipped = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (LanguageRegistry.For(e.RelativePath) is null)
            {
                continue;
            }

            scanned++;
            if (e.Length > _options.MaxFileBytes)
            {
                skipped++;
                continue;
            }

            if (_memory.TryGetValue(e.RelativePath, out var hit) && hit.Size == e.Length && hit.MTimeTicks == e.LastWriteTimeUtc.Ticks)
            {
                files[i] = hit.Map;
            }
            else
            {
                work.Add(i);
            }
        }

        var changed = new ConcurrentBag<CachedFile>();
        var done = 0;
        var skippedMinified = 0;
        Parallel.ForEach(
            work,
            new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
            i =>
            {
                var e = entries[i];
                var result = Parse(e);
                if (result is null)
                {
                    Interlocked.Increment(ref skippedMinified);
                }
                else
                {
                    files[i] = result.Map;
                    _memory[e.RelativePath] = result;
                    changed.Add(result);
                }

                var d = Interlocked.Increment(ref done);
                if (progress is not null && (d % 256 == 0 || d == work.Count))
                {
                    progress.Report((d, work.Count));
                }
            });

        var removed = new List<string>();
        if (root.Length == 0 && _memory.Count > scanned - skipped - skippedMinified)
        {
            // Only when the cache holds more files than this walk can account for is there something to drop.
            var alive = new HashSet<string>(entries.Select(static e => e.RelativePath), StringComparer.Ordinal);
            foreach (var key in _memory.Keys)
            {
                if (!alive.Contains(key) && _memory.TryRemove(key, out _))
                {
                    removed.Add(key);
                }
            }
        }

        try
        {
            _store?.Save(changed, removed);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            LogStoreFailed(_logger, ex.Message);
        }

        IReadOnlyList<CodeMapFile> list = files.OfType<CodeMapFile>().Where(static f => f.Symbols.Count > 0).ToList();
        if (root.Length == 0)
        {
            // Unchanged since the last whole map: hand back the same list, so renders made from it stay valid.
            var last = _lastRootFiles;
            if (last is not null && last.Count == list.Count && Enumerable.Range(0, list.Count).All(i => ReferenceEquals(last[i], list[i])))
            {
                list = last;
            }

            _lastRootFiles = list;
        }

        LogMapped(_logger, scanned, work.Count, list.Count);
        return new WorkspaceCodeMap(root, list, scanned, (int)(FilesParsed - parsedBefore), skipped + skippedMinified);
    }

    /// <summary>Reads, hashes and (when the hash changed) parses one file; null when it is minified or unreadable.</summary>
    private CachedFile? Parse(WorkspaceEntry e)
    {
        byte[] bytes;
        try
        {
            // Beneath the workspace in one step, regular files only (a FIFO is skipped at once), capped at the map's size limit.
            bytes = SafeFile.ReadAllBytes(_walker.Guard.Roots, e.FullPath, e.RelativePath, _options.MaxFileBytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or MemfunToolException)
        {
            return null;
        }

        var hash = Convert.ToHexString(SHA256.HashData(bytes));
        if (_memory.TryGetValue(e.RelativePath, out var old) && old.Hash == hash)
        {
            return old with { Size = e.Length, MTimeTicks = e.LastWriteTimeUtc.Ticks };
        }

        if (bytes.AsSpan(0, Math.Min(bytes.Length, 8000)).Contains((byte)0))
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(bytes);
        var lines = text.AsSpan().Count('\n') + 1;
        if (text.Length / lines > MinifiedLineLength)
        {
            return null;
        }

        var extractor = LanguageRegistry.For(e.RelativePath)!;
        IReadOnlyList<CodeSymbol> symbols;
        try
        {
            symbols = extractor.Extract(text);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // An extractor bug must not sink the whole map: the file maps empty and the failure is logged.
            LogExtractFailed(_logger, e.RelativePath, ex);
            symbols = [];
        }

        Interlocked.Increment(ref _filesParsed);
        return new CachedFile(e.RelativePath, e.Length, e.LastWriteTimeUtc.Ticks, hash, new CodeMapFile(e.RelativePath, extractor.Language, lines, symbols));
    }

    private void EnsureLoaded()
    {
        if (_loaded)
        {
            return;
        }

        _loaded = true;
        if (!_options.PersistCache)
        {
            return;
        }

        _store = CodeMapStore.TryOpen(Path.Combine(_walker.Guard.Root, ".memfun", "codemap.db"));
        if (_store is null)
        {
            LogStoreFailed(_logger, "cannot open .memfun/codemap.db; the code map is cached in memory only");
            return;
        }

        try
        {
            foreach (var f in _store.LoadAll())
            {
                _memory[f.Path] = f;
            }
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or System.Text.Json.JsonException)
        {
            LogStoreFailed(_logger, ex.Message);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _store?.Dispose();
        _gate.Dispose();
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Debug, Message = "Code map: {Scanned} source files, {Parsed} parsed, {Mapped} with declarations")]
    private static partial void LogMapped(ILogger logger, int scanned, int parsed, int mapped);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Code map cache unavailable: {Reason}")]
    private static partial void LogStoreFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Code map extraction failed for {Path}")]
    private static partial void LogExtractFailed(ILogger logger, string path, Exception exception);
}
