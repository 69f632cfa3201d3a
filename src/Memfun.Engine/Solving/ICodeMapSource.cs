namespace Memfun.Engine.Solving;

/// <summary>A compact outline of the workspace: files and their top-level symbols.</summary>
public interface ICodeMapSource
{
    /// <summary>The map as text (one file a block, symbols indented with their line numbers), at most <paramref name="maxChars"/> long.</summary>
    /// <param name="maxChars">The most characters of the map.</param>
    /// <param name="listing">The request's listing (<see cref="IWorkspaceReader.ListFiles"/>), mapped without listing the workspace again; null lists it.</param>
    /// <param name="cancellationToken">Cancels the map.</param>
    Task<string> GetCodeMapAsync(int maxChars, WorkspaceListing? listing = null, CancellationToken cancellationToken = default);
}
