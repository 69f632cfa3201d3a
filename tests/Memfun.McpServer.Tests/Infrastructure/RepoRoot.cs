namespace Memfun.McpServer.Tests.Infrastructure;

/// <summary>The repository checkout the tests run from (the folder holding <c>Memfun.sln</c>).</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    /// <summary>The build configuration the tests were built with ("Debug" or "Release").</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{System.IO.Path.DirectorySeparatorChar}Release{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Memfun.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Memfun.sln above {AppContext.BaseDirectory}: run the tests from a checkout.");
    }
}
