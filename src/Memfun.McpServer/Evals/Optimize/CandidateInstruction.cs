namespace Memfun.McpServer.Evals.Optimize;

/// <summary>An instruction the model proposed, with its reason.</summary>
/// <param name="Instruction">The whole new instruction (the body of the agent's <c>AGENT.md</c>).</param>
/// <param name="Rationale">Why the model expects it to do better (may be empty).</param>
internal sealed record CandidateInstruction(string Instruction, string Rationale);
