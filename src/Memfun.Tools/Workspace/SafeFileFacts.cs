namespace Memfun.Tools.Workspace;

/// <summary>What the opened descriptor says about a regular file: its size and modification time.</summary>
internal readonly record struct SafeFileFacts(long Length, DateTime LastWriteTimeUtc);
