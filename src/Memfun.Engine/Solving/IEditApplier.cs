namespace Memfun.Engine.Solving;

/// <summary>
/// Applies a batch of file operations (write, edit) all or nothing: every operation is validated first
/// (path inside the workspace, edit text found exactly once, allowing whitespace differences), and only
/// then are files written; if a write fails, the files already written are restored.
/// </summary>
/// <remarks>Thread-safe per batch; two batches on the same files at once are the caller's problem.</remarks>
public interface IEditApplier
{
    /// <summary>Applies <paramref name="operations"/> (run operations are not allowed here).</summary>
    /// <returns>The files changed, with their text before and after.</returns>
    /// <exception cref="OperationsRejectedException">Some operation is invalid; nothing was written.</exception>
    Task<IReadOnlyList<FileChange>> ApplyAsync(IReadOnlyList<FileOperation> operations, CancellationToken cancellationToken = default);
}

/// <summary>One file changed by a batch.</summary>
/// <param name="Path">Relative path.</param>
/// <param name="Before">Text before, or null when the file was created.</param>
/// <param name="After">Text after.</param>
public sealed record FileChange(string Path, string? Before, string After);
