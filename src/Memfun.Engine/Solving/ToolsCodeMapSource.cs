using Memfun.Tools.CodeMap;

namespace Memfun.Engine.Solving;

/// <summary>
/// The <see cref="ICodeMapSource"/> on the code map tool: Roslyn for C#, the language extractors for the rest,
/// with the service's cache (a file is parsed again only when its size or time changed).
/// </summary>
/// <remarks>Thread-safe (the service serialises maps). The map is rendered most relevant files first within the budget.</remarks>
internal sealed class ToolsCodeMapSource(CodeMapService service) : ICodeMapSource
{
    public async Task<string> GetCodeMapAsync(int maxChars, CancellationToken cancellationToken = default)
    {
        var map = await service.MapAsync(null, null, cancellationToken).ConfigureAwait(false);
        return CodeMapService.Render(map, Math.Max(1024, maxChars));
    }
}
