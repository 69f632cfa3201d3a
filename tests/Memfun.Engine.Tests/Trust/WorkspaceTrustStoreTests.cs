using Memfun.Engine.Tests.Llm;
using Memfun.Engine.Trust;

namespace Memfun.Engine.Tests.Trust;

[Collection(EnvironmentCollection.Name)]
public sealed class WorkspaceTrustStoreTests : IDisposable
{
    private readonly MemfunHome _home = new();
    private readonly string? _previousEnv = Environment.GetEnvironmentVariable(WorkspaceTrustStore.EnvironmentVariable);
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"memfun-trust-{Guid.NewGuid():N}");

    public WorkspaceTrustStoreTests()
    {
        Environment.SetEnvironmentVariable(WorkspaceTrustStore.EnvironmentVariable, null);
        Directory.CreateDirectory(Path.Combine(_root, "repo", "sub"));
        Directory.CreateDirectory(Path.Combine(_root, "other"));
    }

    [Fact]
    public void A_folder_is_untrusted_until_trusted_then_it_and_its_subfolders_are_trusted_and_the_file_is_the_users_only()
    {
        var repo = Path.Combine(_root, "repo");
        Assert.False(WorkspaceTrustStore.IsTrusted(repo));

        var stored = WorkspaceTrustStore.Trust(repo + "/");
        WorkspaceTrustStore.Trust(repo);

        Assert.Equal(repo, stored);
        Assert.Equal([repo], WorkspaceTrustStore.List());
        Assert.True(WorkspaceTrustStore.IsTrusted(repo));
        Assert.True(WorkspaceTrustStore.IsTrusted(Path.Combine(repo, "sub")));
        Assert.False(WorkspaceTrustStore.IsTrusted(_root));
        Assert.False(WorkspaceTrustStore.IsTrusted(Path.Combine(_root, "other")));
        Assert.False(WorkspaceTrustStore.IsTrusted(repo + "-sibling"));
        Assert.StartsWith(_home.Path, WorkspaceTrustStore.FilePath, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(WorkspaceTrustStore.FilePath));
        }

        Assert.True(WorkspaceTrustStore.Untrust(repo));
        Assert.False(WorkspaceTrustStore.Untrust(repo));
        Assert.False(WorkspaceTrustStore.IsTrusted(repo));
    }

    [Fact]
    public void Links_are_resolved_so_a_link_inside_a_trusted_folder_to_an_untrusted_one_is_not_trusted_and_vice_versa()
    {
        var repo = Path.Combine(_root, "repo");
        var other = Path.Combine(_root, "other");
        Directory.CreateSymbolicLink(Path.Combine(repo, "escape"), other);
        Directory.CreateSymbolicLink(Path.Combine(_root, "alias"), repo);
        WorkspaceTrustStore.Trust(repo);

        Assert.False(WorkspaceTrustStore.IsTrusted(Path.Combine(repo, "escape")));
        Assert.True(WorkspaceTrustStore.IsTrusted(Path.Combine(_root, "alias")));
        Assert.True(WorkspaceTrustStore.IsTrusted(Path.Combine(_root, "alias", "sub")));
    }

    [Fact]
    public void The_environment_variable_trusts_folders_for_the_process_without_writing_the_file()
    {
        var repo = Path.Combine(_root, "repo");
        Environment.SetEnvironmentVariable(WorkspaceTrustStore.EnvironmentVariable, string.Join(Path.PathSeparator, "relative/ignored", repo));

        Assert.True(WorkspaceTrustStore.IsTrusted(Path.Combine(repo, "sub")));
        Assert.False(WorkspaceTrustStore.IsTrusted(Path.Combine(_root, "other")));
        Assert.Empty(WorkspaceTrustStore.List());
        Assert.False(File.Exists(WorkspaceTrustStore.FilePath));
    }

    [Fact]
    public void A_corrupt_trust_file_trusts_nothing_and_a_missing_folder_cannot_be_trusted()
    {
        Directory.CreateDirectory(_home.Path);
        File.WriteAllText(WorkspaceTrustStore.FilePath, "{ not json");

        Assert.False(WorkspaceTrustStore.IsTrusted(Path.Combine(_root, "repo")));
        Assert.Throws<DirectoryNotFoundException>(() => WorkspaceTrustStore.Trust(Path.Combine(_root, "missing")));
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(WorkspaceTrustStore.EnvironmentVariable, _previousEnv);
        _home.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
