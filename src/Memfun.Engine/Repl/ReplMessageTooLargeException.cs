namespace Memfun.Engine.Repl;

/// <summary>A REPL host wrote a protocol line longer than <see cref="ReplOptions.MaxMessageBytes"/>.</summary>
internal sealed class ReplMessageTooLargeException : Exception
{
    public ReplMessageTooLargeException()
        : base("A REPL protocol message is over the size limit.")
    {
    }
}
