using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Memfun.McpServer.Dashboard;

/// <summary>
/// <c>.memfun/dashboard.lock</c>: <c>{port, pid, token}</c>, mode 0600, written by the process that serves a
/// project's dashboard. Other processes of the project read it to forward their events; a lock whose pid is
/// dead is stale and taken over.
/// </summary>
internal sealed record DashboardLock(
    [property: JsonPropertyName("port")] int Port,
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("token")] string Token)
{
    public static string PathFor(string workspace) => System.IO.Path.Combine(workspace, ".memfun", "dashboard.lock");

    /// <summary>Reads the lock; null when missing, unreadable or malformed.</summary>
    public static DashboardLock? Read(string workspace)
    {
        try
        {
            var text = File.ReadAllText(PathFor(workspace));
            var value = JsonSerializer.Deserialize<DashboardLock>(text);
            return value is { Port: > 0 and < 65536, Pid: > 0, Token.Length: > 0 } ? value : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>True when the process that wrote it still runs.</summary>
    public bool IsAlive()
    {
        if (Pid == Environment.ProcessId)
        {
            return true;
        }

        try
        {
            using var p = Process.GetProcessById(Pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Writes the lock atomically with mode 0600.</summary>
    public void Write(string workspace)
    {
        var path = PathFor(workspace);
        Memfun.Tools.Workspace.StateFolder.EnsureFor(path);
        var temp = path + "." + Environment.ProcessId + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(stream, this);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Deletes the lock if it is still this one.</summary>
    public void Release(string workspace)
    {
        if (Read(workspace) is { } current && current.Pid == Pid && current.Port == Port)
        {
            try
            {
                File.Delete(PathFor(workspace));
            }
            catch (IOException)
            {
            }
        }
    }
}
