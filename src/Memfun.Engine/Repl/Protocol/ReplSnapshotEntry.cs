namespace Memfun.Engine.Repl.Protocol;

/// <summary>A variable serialized for a process recycle: its name, its C# type name and its JSON value.</summary>
internal sealed class ReplSnapshotEntry
{
    public string Name { get; set; } = "";

    public string TypeName { get; set; } = "";

    public string RuntimeTypeName { get; set; } = "";

    public string Json { get; set; } = "";
}
