namespace Memfun.Engine.Tests.Llm;

/// <summary>Points MEMFUN_HOME at a fresh temp folder for one test (tests using it share a collection: the variable is process-wide).</summary>
public sealed class MemfunHome : IDisposable
{
    private readonly string? _previous = Environment.GetEnvironmentVariable("MEMFUN_HOME");

    public MemfunHome()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"memfun-home-{Guid.NewGuid():N}");
        Environment.SetEnvironmentVariable("MEMFUN_HOME", Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("MEMFUN_HOME", _previous);
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    public const string Name = "Process environment";
}
