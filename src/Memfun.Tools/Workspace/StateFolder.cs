namespace Memfun.Tools.Workspace;

/// <summary>
/// Creates the folders memfun keeps its state in (<c>.memfun/</c>: databases, locks, caches). A <c>.memfun</c>
/// folder memfun creates gets a <c>.gitignore</c> holding <c>*</c>, so its state never shows up as untracked
/// files in the user's repository.
/// </summary>
public static class StateFolder
{
    /// <summary>The name of memfun's state folder in a workspace (and in the user's home).</summary>
    public const string Name = ".memfun";

    /// <summary>What the <c>.gitignore</c> of a created state folder holds.</summary>
    public const string GitIgnore = "# Created by memfun: its databases, locks and caches are not part of the repository.\n*\n";

    /// <summary>
    /// Creates the folder that will hold <paramref name="filePath"/> (like <c>Directory.CreateDirectory</c> of its
    /// parent); when that creates a <c>.memfun</c> folder, writes its <c>.gitignore</c>. An existing folder is left
    /// as it is. Returns the folder.
    /// </summary>
    public static string EnsureFor(string filePath) => Ensure(Path.GetDirectoryName(Path.GetFullPath(filePath))!);

    /// <summary>Creates <paramref name="folder"/> and any missing parents; a <c>.memfun</c> folder created here gets its <c>.gitignore</c>.</summary>
    public static string Ensure(string folder)
    {
        folder = Path.GetFullPath(folder);
        string? created = null;
        for (var dir = folder; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (Path.GetFileName(dir) == Name)
            {
                created = Directory.Exists(dir) ? null : dir;
                break;
            }
        }

        Directory.CreateDirectory(folder);
        if (created is not null)
        {
            try
            {
                // CreateNew: of two processes creating the folder at once, one writes the file.
                using var stream = new FileStream(Path.Combine(created, ".gitignore"), FileMode.CreateNew, FileAccess.Write);
                stream.Write(System.Text.Encoding.UTF8.GetBytes(GitIgnore));
            }
            catch (IOException)
            {
            }
        }

        return folder;
    }
}
