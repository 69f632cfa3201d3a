using System.Diagnostics;
using System.Text;
using Memfun.Tools.Files;
using Memfun.Tools.Git;
using Memfun.Tools.Shell;
using Memfun.Tools.Workspace;

namespace Memfun.Tools.Tests.Infrastructure;

/// <summary>A real workspace folder under the temp directory with the file, shell and git services over it; deleted on dispose.</summary>
public sealed class WorkspaceFolder : IDisposable
{
    public WorkspaceFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"memfun-files-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
        Outside = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"memfun-outside-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Outside);
        Guard = new PathGuard(Path);
        Cache = new ReadCache();
        Runner = new ProcessRunner();
    }

    /// <summary>The workspace root.</summary>
    public string Path { get; }

    /// <summary>A sibling folder outside the workspace, for escape attempts.</summary>
    public string Outside { get; }

    internal PathGuard Guard { get; }

    internal ReadCache Cache { get; }

    internal ProcessRunner Runner { get; }

    internal FileReader Reader => new(Guard, Cache);

    internal FileWriter Writer => new(Guard, Cache);

    internal FileEditor Editor => new(Guard, Cache);

    internal CommandRunner Commands => new(Guard, Runner);

    internal GitClient Git => new(Guard, Runner);

    public string Full(string relative) => System.IO.Path.Combine(Path, relative);

    public string Write(string relative, string content) => WriteBytes(relative, Encoding.UTF8.GetBytes(content));

    public string WriteBytes(string relative, byte[] content)
    {
        var full = Full(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return full;
    }

    public string Read(string relative) => File.ReadAllText(Full(relative));

    public byte[] ReadBytes(string relative) => File.ReadAllBytes(Full(relative));

    /// <summary>Runs git in the workspace with a fixed identity; throws on failure.</summary>
    public string RunGit(params string[] args)
    {
        var psi = new ProcessStartInfo("git")
        {
            WorkingDirectory = Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in (string[])["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", .. args])
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {stderr}");
        }

        return stdout;
    }

    public void Dispose()
    {
        foreach (var dir in (string[])[Path, Outside])
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
