using Memfun.McpServer.Cli;
using Memfun.McpServer.Hosting;
using Memfun.Tools.Shell;

// First of all: no process of the same user without CAP_SYS_PTRACE reads this process's environment or memory.
ProcessHardening.MakeNonDumpable();
StartupTrace.Begin();
return await MemfunCli.RunAsync(args).ConfigureAwait(false);
