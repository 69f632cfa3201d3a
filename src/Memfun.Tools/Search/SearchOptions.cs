namespace Memfun.Tools.Search;

/// <summary>Limits of listing and content search, shared by every call of the server.</summary>
public sealed class SearchOptions
{
    /// <summary>Files larger than this are not searched (reported as skipped). Default 20 MB; at least 1 KB.</summary>
    public long MaxFileBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>
    /// Files up to this size keep their decoded text in memory between searches (invalidated by size and
    /// modification time). Default 16 MB; 0 disables the cache.
    /// </summary>
    public long MaxCachedFileBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>
    /// The most memory the content cache may hold, in bytes of text (UTF-16, so about twice the size of
    /// ASCII files). Default 256 MB; once full, further files are searched from disk on every call.
    /// </summary>
    public long CacheBudgetBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>How long one regular expression may run on one file before the search is refused. Default 2 s.</summary>
    public TimeSpan RegexTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The most entries list_files returns. Default 1000.</summary>
    public int MaxListEntries { get; set; } = 1000;
}
