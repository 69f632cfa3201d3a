using Memfun.Tools.Tests.Infrastructure;
using Memfun.Tools.Workspace;

namespace Memfun.Tools.Tests.Files;

/// <summary>Every file tool refuses paths that leave the workspace, and touches nothing outside it.</summary>
public sealed class PathConfinementTests : IDisposable
{
    private readonly WorkspaceFolder _ws = new();

    public PathConfinementTests()
    {
        File.WriteAllText(Path.Combine(_ws.Outside, "secret.txt"), "outside secret\n");
        File.CreateSymbolicLink(_ws.Full("link-to-secret.txt"), Path.Combine(_ws.Outside, "secret.txt"));
        Directory.CreateSymbolicLink(_ws.Full("escape"), _ws.Outside);
    }

    public void Dispose() => _ws.Dispose();

    public static TheoryData<string> Escapes() => new()
    {
        "../outside.txt",
        "sub/../../outside.txt",
        "/etc/passwd",
        "link-to-secret.txt",
        "escape/secret.txt",
        "escape/new.txt",
    };

    [Theory]
    [MemberData(nameof(Escapes))]
    public void Read_refuses_a_path_that_leaves_the_workspace(string path)
    {
        Assert.Throws<WorkspaceAccessException>(() => _ws.Reader.Read(path, null, null, false, null));
    }

    [Theory]
    [MemberData(nameof(Escapes))]
    public void Write_refuses_a_path_that_leaves_the_workspace_and_writes_nothing(string path)
    {
        var ex = Assert.Throws<WorkspaceAccessException>(() => _ws.Writer.Write(path, "pwned\n", allowShrink: true));

        Assert.Contains("workspace", ex.Message, StringComparison.Ordinal);
        Assert.Equal("outside secret\n", File.ReadAllText(Path.Combine(_ws.Outside, "secret.txt")));
        Assert.False(File.Exists(Path.Combine(_ws.Outside, "new.txt")));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_ws.Path)!, "outside.txt")));
    }

    [Theory]
    [MemberData(nameof(Escapes))]
    public void Edit_refuses_a_path_that_leaves_the_workspace(string path)
    {
        Assert.Throws<WorkspaceAccessException>(() => _ws.Editor.Edit(path, "outside", "inside", false, false));
        Assert.Equal("outside secret\n", File.ReadAllText(Path.Combine(_ws.Outside, "secret.txt")));
    }

    [Fact]
    public void An_absolute_path_outside_names_the_path_and_the_root()
    {
        var ex = Assert.Throws<WorkspaceAccessException>(() => _ws.Reader.Read(Path.Combine(_ws.Outside, "secret.txt"), null, null, false, null));

        Assert.Contains(_ws.Outside, ex.Message, StringComparison.Ordinal);
        Assert.Contains(_ws.Guard.Root, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_symlink_that_stays_inside_the_workspace_is_followed()
    {
        _ws.Write("real.txt", "inside\n");
        File.CreateSymbolicLink(_ws.Full("alias.txt"), _ws.Full("real.txt"));

        _ws.Editor.Edit("alias.txt", "inside", "changed", false, false);

        Assert.Equal("changed\n", _ws.Read("real.txt"));
        Assert.NotNull(new FileInfo(_ws.Full("alias.txt")).LinkTarget);
    }
}
