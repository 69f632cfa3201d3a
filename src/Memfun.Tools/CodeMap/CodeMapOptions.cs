namespace Memfun.Tools.CodeMap;

/// <summary>Limits of the code map.</summary>
public sealed class CodeMapOptions
{
    /// <summary>Files larger than this are not parsed. Default 2 MB.</summary>
    public long MaxFileBytes { get; set; } = 2L * 1024 * 1024;

    /// <summary>The default output budget of <c>code_map</c>, in bytes of UTF-8. Default 20 000.</summary>
    public int DefaultMaxBytes { get; set; } = 20_000;

    /// <summary>Keep the cache in <c>.memfun/codemap.db</c> under the workspace root. Default true; when false (or the folder is read-only) the cache lives in memory only.</summary>
    public bool PersistCache { get; set; } = true;
}
