using Memfun.Tools.CodeMap;

namespace Memfun.Engine.Solving;

/// <summary>
/// The <see cref="ICodeMapSource"/> on the code map tool: Roslyn for C#, the language extractors for the rest,
/// with the service's cache (a file is parsed again only when its size or time changed).
/// </summary>
/// <remarks>
/// Thread-safe (the service serialises maps). The map is rendered most relevant files first within the budget. Given
/// the request's listing, the map is made from its walk (no second walk: only the listed sizes and times are compared
/// with the cache). The last rendering is kept and served again while no file of the map changed.
/// </remarks>
internal sealed class ToolsCodeMapSource(CodeMapService service) : ICodeMapSource
{
    private Rendered? _last;

    public async Task<string> GetCodeMapAsync(int maxChars, WorkspaceListing? listing = null, CancellationToken cancellationToken = default)
    {
        var map = listing?.Snapshot is { } snapshot
            ? await service.MapSnapshotAsync(snapshot, null, cancellationToken).ConfigureAwait(false)
            : await service.MapAsync(null, null, cancellationToken).ConfigureAwait(false);
        var budget = Math.Max(1024, maxChars);
        var last = Volatile.Read(ref _last);
        if (last is not null && ReferenceEquals(last.Files, map.Files) && last.Budget == budget && last.Root == map.Root && last.Scanned == map.FilesScanned)
        {
            return last.Text;
        }

        var text = CodeMapService.Render(map, budget);
        Volatile.Write(ref _last, new Rendered(map.Files, map.Root, map.FilesScanned, budget, text));
        return text;
    }

    /// <summary>A rendering and what it was made from (the service hands back the same file list while nothing changed).</summary>
    private sealed record Rendered(IReadOnlyList<CodeMapFile> Files, string Root, int Scanned, int Budget, string Text);
}
