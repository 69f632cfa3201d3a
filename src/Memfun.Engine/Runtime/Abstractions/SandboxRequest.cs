namespace Memfun.Engine.Runtime.Abstractions;

/// <summary>What to run and under which limits.</summary>
/// <remarks>Give either <see cref="FileName"/> (+ <see cref="Arguments"/>, no shell) or <see cref="Script"/> (run by
/// <c>/bin/sh -c</c>, or <c>cmd /c</c> on Windows).</remarks>
public sealed record SandboxRequest
{
    /// <summary>The program to start, without a shell.</summary>
    public string? FileName { get; init; }

    /// <summary>Its arguments, passed as they are.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>A shell script, instead of <see cref="FileName"/>.</summary>
    public string? Script { get; init; }

    /// <summary>The working directory (default: the sandbox's root).</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables to set (a <see langword="null"/> value removes one) on top of a minimal environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Text written to standard input, then closed.</summary>
    public string? StandardInput { get; init; }

    /// <summary>Wall-clock limit. Default 60 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Characters kept from stdout and from stderr each. Default 100,000.</summary>
    public int MaxOutputChars { get; init; } = 100_000;
}
