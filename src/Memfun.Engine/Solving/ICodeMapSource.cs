namespace Memfun.Engine.Solving;

/// <summary>A compact outline of the workspace: files and their top-level symbols.</summary>
public interface ICodeMapSource
{
    /// <summary>The map as text (one file a block, symbols indented with their line numbers), at most <paramref name="maxChars"/> long.</summary>
    Task<string> GetCodeMapAsync(int maxChars, CancellationToken cancellationToken = default);
}
