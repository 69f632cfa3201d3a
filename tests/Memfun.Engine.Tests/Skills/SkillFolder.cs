namespace Memfun.Engine.Tests.Skills;

/// <summary>A real temporary folder holding skill files, deleted on dispose.</summary>
public sealed class SkillFolder : IDisposable
{
    public SkillFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"memfun-skills-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string relative, string content)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    /// <summary>Writes <c>&lt;root&gt;/&lt;name&gt;/SKILL.md</c> with a minimal valid front matter plus <paramref name="extra"/> lines.</summary>
    public string Skill(string root, string name, string description = "Does a thing.", string extra = "", string body = "Do the thing with $ARGUMENTS.\n") =>
        Write($"{root}/{name}/SKILL.md", $"---\nname: {name}\ndescription: {description}\n{extra}---\n{body}");

    /// <summary>The repository's own built-in skills folder (found by walking up to Memfun.sln).</summary>
    public static string RepositorySkills
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Memfun.sln")))
            {
                dir = dir.Parent;
            }

            return System.IO.Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Memfun.sln not found above the test binary."), "skills");
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
