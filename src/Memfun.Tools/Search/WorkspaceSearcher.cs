using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Memfun.Tools.Workspace;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Memfun.Tools.Search;

/// <summary>
/// Searches file contents in the workspace, in process and in parallel: regular expressions (with a
/// timeout against runaway patterns) or literal text, honouring ignore files, skipping binary and huge
/// files, and keeping the text of unchanged files in memory between calls.
/// </summary>
/// <remarks>
/// Thread-safe; one instance serves the whole server. Every path goes through the
/// <see cref="PathGuard"/>. Results are deterministic: sorted by path, then line. Each call stats every
/// file it considers, so edits made by any process are seen by the next search.
/// </remarks>
public sealed partial class WorkspaceSearcher
{
    private const int MaxLineChars = 300;
    private const int MaxCachedRegexes = 64;

    private readonly WorkspaceWalker _walker;
    private readonly SearchOptions _options;
    private readonly FileContentCache _cache;
    private readonly ConcurrentDictionary<(string, bool, bool), TextMatcher> _matchers = new();
    private readonly ILogger _logger;

    /// <summary>Creates the searcher.</summary>
    public WorkspaceSearcher(WorkspaceWalker walker, IOptions<SearchOptions> options, ILogger<WorkspaceSearcher>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(walker);
        ArgumentNullException.ThrowIfNull(options);
        _walker = walker;
        _options = options.Value;
        _cache = new FileContentCache(_options);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Files read from disk since start; a repeated search over unchanged files adds none (for tests and benchmarks).</summary>
    public long DiskReads => _cache.DiskReads;

    /// <summary>Runs <paramref name="query"/>.</summary>
    /// <exception cref="SearchException">The pattern is invalid or too slow, or a limit is out of range.</exception>
    /// <exception cref="WorkspaceAccessException">The path leaves the workspace.</exception>
    public SearchResult Search(SearchQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.MaxResults < 1 || (query.MaxResults > SearchQuery.MaxResultsLimit && !query.AboveLimit))
        {
            throw new SearchException($"max_results must be between 1 and {SearchQuery.MaxResultsLimit}; it was {query.MaxResults}.");
        }

        if (query.Context is < 0 or > SearchQuery.MaxContext)
        {
            throw new SearchException($"context must be between 0 and {SearchQuery.MaxContext}; it was {query.Context}.");
        }

        var matcher = Matcher(query);
        var filter = PathFilter.Create(query.Glob);
        var entries = _walker.Walk(query.Path, WalkOptions.Default, cancellationToken);
        var baseRelative = BaseRelative(_walker.Guard, query.Path);
        if (string.IsNullOrEmpty(query.Path) && filter is null)
        {
            _cache.RetainIfGrown(entries);
        }

        var perFile = new FileHits?[entries.Count];
        var skippedBinary = 0;
        var skippedLarge = 0;
        var searched = 0;
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        try
        {
            Parallel.For(0, entries.Count, parallel, i =>
            {
                var entry = entries[i];
                if (filter is not null && !filter.Accepts(Relative(entry.RelativePath, baseRelative)))
                {
                    return;
                }

                if (entry.Length > _options.MaxFileBytes)
                {
                    Interlocked.Increment(ref skippedLarge);
                    return;
                }

                var state = new ScanState(matcher, query.MaxResults, query.Context, entry.RelativePath);
                if (_cache.WithText(entry, state, Scan))
                {
                    Interlocked.Increment(ref searched);
                    if (state.Count > 0)
                    {
                        perFile[i] = new FileHits(state.Hits, state.Count);
                    }
                }
                else
                {
                    Interlocked.Increment(ref skippedBinary);
                }
            });
        }
        catch (RegexMatchTimeoutException ex)
        {
            throw new SearchException(
                $"The pattern '{query.Pattern}' took longer than {_options.RegexTimeout.TotalSeconds:0.#} s on one file (catastrophic backtracking): {ex.Message} " +
                "Simplify it (avoid nested quantifiers such as (a+)+), or pass literal=true.", ex);
        }
        catch (AggregateException ex) when (ex.InnerException is RegexMatchTimeoutException timeout)
        {
            throw new SearchException(
                $"The pattern '{query.Pattern}' took longer than {_options.RegexTimeout.TotalSeconds:0.#} s on '{timeout.Input}' (catastrophic backtracking). " +
                "Simplify it (avoid nested quantifiers such as (a+)+), or pass literal=true.", ex);
        }

        var hits = new List<SearchHit>(Math.Min(query.MaxResults, 256));
        var total = 0;
        var files = 0;
        foreach (var f in perFile)
        {
            if (f is null)
            {
                continue;
            }

            files++;
            total += f.Count;
            foreach (var h in f.Hits)
            {
                if (hits.Count < query.MaxResults)
                {
                    hits.Add(h);
                }
            }
        }

        LogSearched(_logger, entries.Count, searched, total);
        return new SearchResult(hits, total, files, searched, skippedBinary, skippedLarge, total > hits.Count);
    }

    private TextMatcher Matcher(SearchQuery query)
    {
        if (query.Literal)
        {
            return TextMatcher.Create(query, _options.RegexTimeout);
        }

        var key = (query.Pattern, query.CaseSensitive, false);
        if (_matchers.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var created = TextMatcher.Create(query, _options.RegexTimeout);
        if (_matchers.Count >= MaxCachedRegexes)
        {
            _matchers.Clear();
        }

        _matchers[key] = created;
        return created;
    }

    /// <summary>The folder searched, relative to the workspace root as entries report it ("" for the root).</summary>
    internal static string BaseRelative(PathGuard guard, string? path)
    {
        if (string.IsNullOrEmpty(path) || path == ".")
        {
            return string.Empty;
        }

        var display = guard.Display(guard.Resolve(path));
        return display == "." ? string.Empty : display;
    }

    internal static ReadOnlySpan<char> Relative(string relative, string baseRelative) =>
        baseRelative.Length > 0 && relative.Length > baseRelative.Length && relative.StartsWith(baseRelative, StringComparison.Ordinal) && relative[baseRelative.Length] == '/'
            ? relative.AsSpan(baseRelative.Length + 1)
            : relative.AsSpan();

    private static void Scan(ReadOnlySpan<char> text, ScanState state)
    {
        var pos = 0;
        var line = 1;
        var counted = 0;
        while (pos <= text.Length)
        {
            var at = state.Matcher.Next(text, pos, out var length);
            if (at < 0)
            {
                break;
            }

            line += text[counted..at].Count('\n');
            counted = at;
            var lineStart = text[..at].LastIndexOf('\n') + 1;
            var rest = text[at..].IndexOf('\n');
            var lineEnd = rest < 0 ? text.Length : at + rest;
            state.Count++;
            if (state.Hits.Count < state.MaxResults)
            {
                state.Hits.Add(MakeHit(text, state, line, lineStart, lineEnd, at - lineStart, length));
            }

            if (lineEnd >= text.Length)
            {
                break;
            }

            line++;
            counted = lineEnd + 1;
            pos = lineEnd + 1;
        }
    }

    private static SearchHit MakeHit(ReadOnlySpan<char> text, ScanState state, int line, int lineStart, int lineEnd, int column, int length)
    {
        var lineText = Clip(text[lineStart..lineEnd], column, length);
        if (state.Context == 0)
        {
            return new SearchHit(state.Path, line, lineText);
        }

        var before = new List<string>(state.Context);
        var start = lineStart;
        for (var i = 0; i < state.Context && start > 0; i++)
        {
            var prevEnd = start - 1;
            var prevStart = text[..prevEnd].LastIndexOf('\n') + 1;
            before.Insert(0, Clip(text[prevStart..prevEnd], 0, 0));
            start = prevStart;
        }

        var after = new List<string>(state.Context);
        var next = lineEnd + 1;
        for (var i = 0; i < state.Context && next <= text.Length && lineEnd < text.Length; i++)
        {
            if (next == text.Length)
            {
                break;
            }

            var rel = text[next..].IndexOf('\n');
            var end = rel < 0 ? text.Length : next + rel;
            after.Add(Clip(text[next..end], 0, 0));
            if (rel < 0)
            {
                break;
            }

            next = end + 1;
        }

        return new SearchHit(state.Path, line, lineText, before, after);
    }

    /// <summary>The line without its '\r', cut to <see cref="MaxLineChars"/> around the match.</summary>
    private static string Clip(ReadOnlySpan<char> line, int column, int length)
    {
        if (line.EndsWith('\r'))
        {
            line = line[..^1];
        }

        if (line.Length <= MaxLineChars)
        {
            return line.ToString();
        }

        var from = Math.Max(0, Math.Min(column - (MaxLineChars / 3), line.Length - MaxLineChars));
        _ = length;
        var slice = line.Slice(from, MaxLineChars);
        return (from > 0 ? "…" : string.Empty) + slice.ToString() + (from + MaxLineChars < line.Length ? "…" : string.Empty);
    }

    private sealed class ScanState(TextMatcher matcher, int maxResults, int context, string path)
    {
        public TextMatcher Matcher { get; } = matcher;

        public int MaxResults { get; } = maxResults;

        public int Context { get; } = context;

        public string Path { get; } = path;

        public List<SearchHit> Hits { get; } = [];

        public int Count { get; set; }
    }

    private sealed record FileHits(List<SearchHit> Hits, int Count);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "Searched {Searched} of {Files} files, {Matches} matching lines")]
    private static partial void LogSearched(ILogger logger, int files, int searched, int matches);
}
