namespace Memfun.Tools.CodeMap;

/// <summary>A declaration recognised at the start of a line.</summary>
/// <param name="Kind">The symbol kind.</param>
/// <param name="Name">The declared name.</param>
/// <param name="IsPublic">Part of the public surface.</param>
/// <param name="IsContainer">Its braces hold members to map (class, impl, interface); otherwise its body is skipped.</param>
/// <param name="SpansLines">The signature may continue on the next line outside parentheses (Rust where-clauses, Java throws).</param>
internal readonly record struct Declaration(string Kind, string Name, bool IsPublic, bool IsContainer, bool SpansLines = false);
