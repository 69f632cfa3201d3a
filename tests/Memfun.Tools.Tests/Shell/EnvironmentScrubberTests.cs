using Memfun.Tools.Shell;

namespace Memfun.Tools.Tests.Shell;

public sealed class EnvironmentScrubberTests
{
    [Theory]
    [InlineData("MEMFUN_HTTP_TOKEN")]
    [InlineData("MEMFUN_ANYTHING")]
    [InlineData("OPENAI_API_KEY")]
    [InlineData("OPENAI_BASE_URL")]
    [InlineData("ANTHROPIC_API_KEY")]
    [InlineData("GEMINI_API_KEY")]
    [InlineData("GITHUB_TOKEN")]
    [InlineData("gh_token")]
    [InlineData("AWS_SECRET_ACCESS_KEY")]
    [InlineData("AWS_PROFILE")]
    [InlineData("DB_PASSWORD")]
    [InlineData("CLIENT_SECRET_VALUE")]
    [InlineData("SSH_PRIVATE_KEY")]
    [InlineData("GOOGLE_APPLICATION_CREDENTIALS")]
    [InlineData("NPM_CONFIG__AUTH")]
    [InlineData("HF_TOKEN_PATH")]
    [InlineData("DEPLOY_KEY_FILE")]
    public void Credentials_are_recognised_by_name(string name) => Assert.True(EnvironmentScrubber.IsSecret(name));

    [Theory]
    [InlineData("PATH")]
    [InlineData("HOME")]
    [InlineData("LANG")]
    [InlineData("DOTNET_ROOT")]
    [InlineData("KEYBOARD_LAYOUT")]
    [InlineData("TERM")]
    public void Ordinary_variables_are_kept(string name) => Assert.False(EnvironmentScrubber.IsSecret(name));
}
