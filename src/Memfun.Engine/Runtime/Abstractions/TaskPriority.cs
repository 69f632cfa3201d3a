namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>Which tasks of a kind are leased first.</summary>
public enum TaskPriority
{
    /// <summary>Leased before everything else.</summary>
    High = 0,

    /// <summary>The default.</summary>
    Normal = 1,

    /// <summary>Leased when nothing else waits.</summary>
    Low = 2,
}
