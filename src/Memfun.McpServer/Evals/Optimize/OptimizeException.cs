namespace Memfun.McpServer.Evals.Optimize;

/// <summary>The optimizer cannot go on (an unreadable proposal answer, no usable candidate); the message says why and what to do.</summary>
internal sealed class OptimizeException(string message, Exception? inner = null) : Exception(message, inner);
