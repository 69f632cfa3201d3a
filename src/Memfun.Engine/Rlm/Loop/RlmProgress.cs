namespace Memfun.Engine.Rlm.Loop;

/// <summary>Where an rlm_run is: iteration <see cref="Iteration"/> of <see cref="MaxIterations"/>, and what it is doing.</summary>
public sealed record RlmProgress(int Iteration, int MaxIterations, string Message);
