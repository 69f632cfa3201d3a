namespace GreeterApp;

public sealed class Greeter
{
    public string Greet(string? name) => $"Hello, {(string.IsNullOrWhiteSpace(name) ? "stranger" : name.Trim())}!";
}
