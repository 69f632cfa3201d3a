using System.Text.Json.Serialization;

namespace Memfun.Tools.Shell;

/// <summary>What <c>run_cmd</c> reports.</summary>
/// <param name="Command">The command as given.</param>
/// <param name="Cwd">The working directory, relative to the workspace root ("." for the root).</param>
/// <param name="ExitCode">The exit code (137 when killed).</param>
/// <param name="Output">Standard output and standard error, interleaved, capped to the tail.</param>
/// <param name="TimedOut">True when the timeout killed the process tree.</param>
/// <param name="OmittedChars">Characters cut from the start of the output.</param>
/// <param name="OutputLines">Lines of output in total.</param>
/// <param name="ElapsedSeconds">Wall time.</param>
public sealed record RunCommandResult(
    [property: JsonPropertyName("command")] string Command,
    [property: JsonPropertyName("cwd")] string Cwd,
    [property: JsonPropertyName("exit_code")] int ExitCode,
    [property: JsonPropertyName("output")] string Output,
    [property: JsonPropertyName("timed_out")] bool TimedOut,
    [property: JsonPropertyName("omitted_chars")] long OmittedChars,
    [property: JsonPropertyName("output_lines")] long OutputLines,
    [property: JsonPropertyName("elapsed_seconds")] double ElapsedSeconds);
