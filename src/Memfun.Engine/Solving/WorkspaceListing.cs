using System.Collections;
using Memfun.Tools.Workspace;

namespace Memfun.Engine.Solving;

/// <summary>
/// The files of the workspace as one request sees them: listed once, then handed to the code map, the searches and
/// the size check, so the tree is walked once per request rather than once per step.
/// </summary>
/// <remarks>
/// Immutable and thread-safe; a moment's view (files written after it are not in it). The adapters over the workspace
/// tools keep the walk it came from, so the code map and the searches reuse it; a listing built from a plain file list
/// (another <see cref="IWorkspaceReader"/>) is accepted everywhere and simply makes them list the files themselves.
/// </remarks>
public sealed class WorkspaceListing : IReadOnlyList<WorkspaceFile>
{
    private readonly IReadOnlyList<WorkspaceFile> _files;

    /// <summary>A listing of <paramref name="files"/>.</summary>
    public WorkspaceListing(IReadOnlyList<WorkspaceFile> files)
        : this(files, null)
    {
    }

    internal WorkspaceListing(IReadOnlyList<WorkspaceFile> files, WorkspaceSnapshot? snapshot)
    {
        ArgumentNullException.ThrowIfNull(files);
        _files = files;
        Snapshot = snapshot;
        long total = 0;
        foreach (var f in files)
        {
            total += f.Size;
        }

        TotalBytes = total;
    }

    /// <summary>The size of all listed files together, in bytes.</summary>
    public long TotalBytes { get; }

    /// <summary>The number of files.</summary>
    public int Count => _files.Count;

    /// <summary>The walk the listing was made from (every file, before the solver's own filters), when there is one.</summary>
    internal WorkspaceSnapshot? Snapshot { get; }

    /// <summary>The file at <paramref name="index"/>.</summary>
    public WorkspaceFile this[int index] => _files[index];

    /// <inheritdoc/>
    public IEnumerator<WorkspaceFile> GetEnumerator() => _files.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
