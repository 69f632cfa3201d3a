using Memfun.Tools.Workspace;

namespace Memfun.Tools.Tests.Workspace;

/// <summary>A real folder tree under the temp directory for walker, search and code-map tests; deleted on dispose.</summary>
public sealed class TestTree : IDisposable
{
    public TestTree()
    {
        Root = Path.Combine(Path.GetTempPath(), $"memfun-tools-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Root);
        Guard = new PathGuard(Root);
        Walker = new WorkspaceWalker(Guard);
    }

    public string Root { get; }

    public PathGuard Guard { get; }

    public WorkspaceWalker Walker { get; }

    /// <summary>Writes files given as (relative path, content) pairs.</summary>
    public TestTree With(params (string Path, string Content)[] files)
    {
        foreach (var (path, content) in files)
        {
            Write(path, content);
        }

        return this;
    }

    public string Write(string relative, string content)
    {
        var full = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public string Full(string relative) => Path.Combine(Root, relative);

    /// <summary>The relative paths the walker lists from <paramref name="path"/>.</summary>
    public List<string> Walk(string? path = null) => [.. Walker.Walk(path).Select(e => e.RelativePath)];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
