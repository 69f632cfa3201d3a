namespace Memfun.Engine.Repl;

/// <summary>The REPL child process is gone; the message carries its exit code and last stderr lines.</summary>
internal sealed class ReplHostExitedException : Exception
{
    public ReplHostExitedException(string message) : base(message) { }

    public ReplHostExitedException(string message, Exception innerException) : base(message, innerException) { }

    public ReplHostExitedException() : base("The REPL process exited.") { }
}
