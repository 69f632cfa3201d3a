namespace Memfun.Tools.Workspace;

/// <summary>One file found by the <see cref="WorkspaceWalker"/>.</summary>
/// <param name="RelativePath">The path relative to the primary workspace root, with '/' separators.</param>
/// <param name="FullPath">The absolute path.</param>
/// <param name="Length">The size in bytes when walked.</param>
/// <param name="LastWriteTimeUtc">The modification time when walked.</param>
public readonly record struct WorkspaceEntry(string RelativePath, string FullPath, long Length, DateTime LastWriteTimeUtc);
