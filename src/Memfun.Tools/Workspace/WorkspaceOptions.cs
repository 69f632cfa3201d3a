namespace Memfun.Tools.Workspace;

/// <summary>Where the workspace tools may read and write.</summary>
public sealed class WorkspaceOptions
{
    /// <summary>
    /// The primary workspace root: relative paths resolve against it, and <c>.memfun/</c> lives in it.
    /// Default: the process's current directory.
    /// </summary>
    public string Root { get; set; } = Directory.GetCurrentDirectory();

    /// <summary>Further roots (from configuration) that paths may also resolve into.</summary>
    public IList<string> AdditionalRoots { get; } = new List<string>();
}
