namespace Memfun.Tools.Shell;

/// <summary>A progress report while a process runs (about once a second).</summary>
/// <param name="Elapsed">Time since start.</param>
/// <param name="OutputLines">Lines of output so far.</param>
public sealed record ProcessProgress(TimeSpan Elapsed, long OutputLines);
