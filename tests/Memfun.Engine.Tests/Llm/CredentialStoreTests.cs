using Memfun.Engine.Llm;

namespace Memfun.Engine.Tests.Llm;

[Collection(EnvironmentCollection.Name)]
public sealed class CredentialStoreTests
{
    [Fact]
    public void A_stored_key_is_readable_by_the_user_only_and_other_entries_are_kept()
    {
        using var home = new MemfunHome();

        CredentialStore.SaveApiKey("openai", "sk-one");
        CredentialStore.SaveApiKey("anthropic", "sk-two");

        Assert.Equal("sk-one", CredentialStore.GetApiKey("openai"));
        Assert.Equal("sk-two", CredentialStore.GetApiKey("anthropic"));
        Assert.StartsWith(home.Path, CredentialStore.FilePath, StringComparison.Ordinal);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(CredentialStore.FilePath));
    }
}
