namespace Memfun.Tools.Files;

/// <summary>
/// Serialises writes to the same file inside this process, so two concurrent <c>edit_file</c> calls
/// (say, an agent and the host) cannot both read the old text and lose one of the edits.
/// </summary>
/// <remarks>Striped: 64 locks shared by hash of the full path; a collision only costs some waiting.</remarks>
internal static class PathLocks
{
    private static readonly Lock[] Stripes = [.. Enumerable.Range(0, 64).Select(_ => new Lock())];

    /// <summary>The lock guarding <paramref name="fullPath"/>.</summary>
    public static Lock For(string fullPath) => Stripes[(uint)StringComparer.Ordinal.GetHashCode(fullPath) % (uint)Stripes.Length];
}
