using System.Text;

namespace Memfun.Engine.Repl.Host;

/// <summary>Console.Out and Console.Error of the REPL host: forwards to the current step's capture.</summary>
/// <remarks>The protocol stream is never reachable through Console, so nothing a script prints can corrupt it.</remarks>
internal sealed class ForwardingWriter : TextWriter
{
    private volatile TextWriter _target = Null;

    public override Encoding Encoding => Encoding.UTF8;

    public TextWriter Target
    {
        get => _target;
        set => _target = value;
    }

    public override void Write(char value) => _target.Write(value);

    public override void Write(string? value) => _target.Write(value);

    public override void Write(char[] buffer, int index, int count) => _target.Write(buffer, index, count);

    public override void WriteLine(string? value) => _target.WriteLine(value);
}
