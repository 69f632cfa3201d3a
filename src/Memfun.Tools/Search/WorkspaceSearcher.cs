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
/// <see cref="PathGuard"/>. Results are deterministic: sorted by path, then line. Each call walks (and so
/// stats) every file it considers, so edits made by any process are seen by the next search; a call given a
/// <see cref="WorkspaceSnapshot"/> uses the snapshot's files, sizes and times instead (one walk shared by the
/// steps of a request), and several queries can share one pass over the files.
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
        _cache = new FileContentCache(_options, walker.Guard);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Files read from disk since start; a repeated search over unchanged files adds none (for tests and benchmarks).</summary>
    public long DiskReads => _cache.DiskReads;

    /// <summary>Runs <paramref name="query"/>.</summary>
    /// <exception cref="SearchException">The pattern is invalid or too slow, or a limit is out of range.</exception>
    /// <exception cref="WorkspaceAccessException">The path leaves the workspace.</exception>
    public SearchResult Search(SearchQuery query, CancellationToken cancellationToken = default) => Search(query, null, cancellationToken);

    /// <summary>Runs <paramref name="query"/> over the files of <paramref name="snapshot"/> (walking the workspace when null).</summary>
    /// <remarks>The snapshot serves queries over the whole workspace; a query with a <see cref="SearchQuery.Path"/> walks that path.</remarks>
    /// <exception cref="SearchException">The pattern is invalid or too slow, or a limit is out of range.</exception>
    /// <exception cref="WorkspaceAccessException">The path leaves the workspace.</exception>
    /// <exception cref="ArgumentException">The snapshot is of another workspace.</exception>
    public SearchResult Search(SearchQuery query, WorkspaceSnapshot? snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Search([query], snapshot, cancellationToken)[0];
    }

    /// <summary>
    /// Runs several queries in one pass over the files: each file's text is fetched once and scanned for every query
    /// that takes it. The files come from <paramref name="snapshot"/> for queries over the whole workspace (walked once
    /// when null); a query with a <see cref="SearchQuery.Path"/> walks that path (one walk per distinct path).
    /// </summary>
    /// <returns>One result per query, in the order given, each as <see cref="Search(SearchQuery, CancellationToken)"/> would return it.</returns>
    /// <exception cref="SearchException">A pattern is invalid or too slow, or a limit is out of range (the first such query fails the call).</exception>
    /// <exception cref="WorkspaceAccessException">A path leaves the workspace.</exception>
    /// <exception cref="ArgumentException">The snapshot is of another workspace.</exception>
    public IReadOnlyList<SearchResult> Search(IReadOnlyList<SearchQuery> queries, WorkspaceSnapshot? snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        snapshot?.EnsureOf(_walker);
        var plans = new QueryPlan[queries.Count];
        for (var q = 0; q < queries.Count; q++)
        {
            var query = queries[q] ?? throw new ArgumentException("A query is null.", nameof(queries));
            if (query.MaxResults < 1 || (query.MaxResults > SearchQuery.MaxResultsLimit && !query.AboveLimit))
            {
                throw new SearchException($"max_results must be between 1 and {SearchQuery.MaxResultsLimit}; it was {query.MaxResults}.");
            }

            if (query.Context is < 0 or > SearchQuery.MaxContext)
            {
                throw new SearchException($"context must be between 0 and {SearchQuery.MaxContext}; it was {query.Context}.");
            }

            plans[q] = new QueryPlan(query, Matcher(query), PathFilter.Create(query.Glob), BaseRelative(_walker.Guard, query.Path));
        }

        var results = new SearchResult[queries.Count];
        foreach (var group in plans.Select(static (p, i) => (p, i)).GroupBy(static x => WholeWorkspace(x.p.Query.Path) ? string.Empty : x.p.Query.Path!, StringComparer.Ordinal))
        {
            IReadOnlyList<WorkspaceEntry> entries;
            if (group.Key.Length == 0)
            {
                entries = (snapshot ?? _walker.Snapshot(cancellationToken)).Entries;
                if (group.Any(static x => x.p.Filter is null))
                {
                    _cache.RetainIfGrown(entries);
                }
            }
            else
            {
                entries = _walker.Walk(group.Key, WalkOptions.Default, cancellationToken);
            }

            var members = group.ToArray();
            Pass(entries, [.. members.Select(static x => x.p)], cancellationToken);
            foreach (var (plan, index) in members)
            {
                results[index] = plan.Result(entries.Count, _logger);
            }
        }

        return results;
    }

    private static bool WholeWorkspace(string? path) => string.IsNullOrEmpty(path) || path == ".";

    /// <summary>Scans <paramref name="entries"/> once for all <paramref name="plans"/>, fetching each file's text at most once.</summary>
    private void Pass(IReadOnlyList<WorkspaceEntry> entries, QueryPlan[] plans, CancellationToken cancellationToken)
    {
        foreach (var p in plans)
        {
            p.PerFile = new FileHits?[entries.Count];
        }

        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(0, entries.Count, parallel, () => new List<QueryPlan>(plans.Length), (i, _, wanting) =>
        {
            var entry = entries[i];
            wanting.Clear();
            foreach (var p in plans)
            {
                if (p.Failure is not null || (p.Filter is not null && !p.Filter.Accepts(Relative(entry.RelativePath, p.BaseRelative))))
                {
                    continue;
                }

                if (entry.Length > _options.MaxFileBytes)
                {
                    Interlocked.Increment(ref p.SkippedLarge);
                    continue;
                }

                wanting.Add(p);
            }

            if (wanting.Count == 0)
            {
                return wanting;
            }

            if (_cache.WithText(entry, new PassState(wanting, i, entry.RelativePath), ScanAll))
            {
                foreach (var p in wanting)
                {
                    Interlocked.Increment(ref p.Searched);
                }
            }
            else
            {
                foreach (var p in wanting)
                {
                    Interlocked.Increment(ref p.SkippedBinary);
                }
            }

            return wanting;
        }, static _ => { });

        foreach (var p in plans)
        {
            if (p.Failure is { } failure)
            {
                throw new SearchException(
                    $"The pattern '{p.Query.Pattern}' took longer than {_options.RegexTimeout.TotalSeconds:0.#} s on '{failure.Path}' (catastrophic backtracking): {failure.Timeout.Message} " +
                    "Simplify it (avoid nested quantifiers such as (a+)+), or pass literal=true.", failure.Timeout);
            }
        }
    }

    private static void ScanAll(ReadOnlySpan<char> text, PassState pass)
    {
        foreach (var p in pass.Plans)
        {
            if (p.Failure is not null)
            {
                continue;
            }

            var state = new ScanState(p.Matcher, p.Query.MaxResults, p.Query.Context, pass.Path);
            try
            {
                Scan(text, state);
            }
            catch (RegexMatchTimeoutException ex)
            {
                Interlocked.CompareExchange(ref p.Failure, new ScanFailure(pass.Path, ex), null);
                continue;
            }

            if (state.Count > 0)
            {
                p.PerFile![pass.Index] = new FileHits(state.Hits, state.Count);
            }
        }
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

    /// <summary>One query of a pass, with its counters and per-file hits.</summary>
    private sealed class QueryPlan(SearchQuery query, TextMatcher matcher, PathFilter? filter, string baseRelative)
    {
        public int Searched;
        public int SkippedBinary;
        public int SkippedLarge;
        public ScanFailure? Failure;

        public SearchQuery Query { get; } = query;

        public TextMatcher Matcher { get; } = matcher;

        public PathFilter? Filter { get; } = filter;

        public string BaseRelative { get; } = baseRelative;

        public FileHits?[]? PerFile { get; set; }

        /// <summary>The hits in path and line order, cut to the query's maximum, with the totals.</summary>
        public SearchResult Result(int considered, ILogger logger)
        {
            var hits = new List<SearchHit>(Math.Min(Query.MaxResults, 256));
            var total = 0;
            var files = 0;
            foreach (var f in PerFile!)
            {
                if (f is null)
                {
                    continue;
                }

                files++;
                total += f.Count;
                foreach (var h in f.Hits)
                {
                    if (hits.Count < Query.MaxResults)
                    {
                        hits.Add(h);
                    }
                }
            }

            PerFile = null;
            LogSearched(logger, considered, Searched, total);
            return new SearchResult(hits, total, files, Searched, SkippedBinary, SkippedLarge, total > hits.Count);
        }
    }

    private sealed record ScanFailure(string Path, RegexMatchTimeoutException Timeout);

    private sealed record PassState(List<QueryPlan> Plans, int Index, string Path);

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
