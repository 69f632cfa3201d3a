namespace Memfun.Tools.Workspace;

/// <summary>
/// One walk of the whole workspace (ignore files honoured, hidden files included), taken once and handed to every
/// consumer of one request — the code map, the searches, the reads — so the tree is listed once, not once per step.
/// </summary>
/// <remarks>
/// Immutable and thread-safe. It is a moment's view: sizes and times are those of the walk, and files written after
/// it are not in it. Consumers that take a snapshot still validate what they cache by its size and time (so a file
/// changed since is re-read when its entry is, on the next snapshot); a consumer given a snapshot of another
/// workspace refuses it. Take one with <see cref="WorkspaceWalker.Snapshot"/>.
/// </remarks>
public sealed class WorkspaceSnapshot
{
    internal WorkspaceSnapshot(string root, IReadOnlyList<WorkspaceEntry> entries)
    {
        Root = root;
        Entries = entries;
    }

    /// <summary>The workspace root the walk started from (absolute).</summary>
    public string Root { get; }

    /// <summary>Every file found, sorted by relative path (ordinal).</summary>
    public IReadOnlyList<WorkspaceEntry> Entries { get; }

    /// <summary>The entry of <paramref name="relativePath"/> ('/' separators), found by binary search.</summary>
    /// <returns>False when the walk did not find that file (missing, ignored, or a folder).</returns>
    public bool TryFind(string relativePath, out WorkspaceEntry entry)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        int lo = 0, hi = Entries.Count - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            var c = string.CompareOrdinal(Entries[mid].RelativePath, relativePath);
            if (c == 0)
            {
                entry = Entries[mid];
                return true;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        entry = default;
        return false;
    }

    /// <summary>Throws when this snapshot was not taken of <paramref name="walker"/>'s workspace.</summary>
    internal void EnsureOf(WorkspaceWalker walker)
    {
        if (!string.Equals(Root, walker.Guard.Root, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The snapshot is of '{Root}', not of this workspace '{walker.Guard.Root}'.", nameof(walker));
        }
    }
}
