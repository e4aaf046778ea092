using System.CommandLine;
using Kindling.Cli.Commands;

namespace Kindling.Cli;

/// <summary>Builds the command tree and runs it. Exit codes are decided here and in <see cref="ErrorReporter"/>.</summary>
internal static class CliApp
{
    public static RootCommand Build(CliContext ctx)
    {
        var root = new RootCommand("Kindling: Spark and Jupyter on Kubernetes, from one file.");
        foreach (var command in Commands(ctx)) root.Subcommands.Add(command);
        return root;
    }

    private static IEnumerable<Command> Commands(CliContext ctx)
    {
        yield return InitCommand.Create(ctx);
        yield return RenderCommand.Create(ctx);
        yield return InfraCommand.Create(ctx);
        yield return KubeconfigCommand.Create(ctx);
        yield return ImagesCommand.Create(ctx);
        yield return UpCommand.Create(ctx);
        yield return StatusCommand.Create(ctx);
        yield return NotebookCommand.Create(ctx);
        yield return DownCommand.Create(ctx);
        yield return SubmitCommand.Create(ctx);
        yield return AppsCommand.Create(ctx);
        yield return LogsCommand.Create(ctx);
        yield return KillCommand.Create(ctx);
        yield return UiCommand.Create(ctx);
        yield return HistoryCommand.Create(ctx);
        yield return DoctorCommand.Create(ctx);
        yield return VerifyCommand.Create(ctx);
        yield return VersionCommand.Create(ctx);
        yield return CompletionCommand.Create(ctx);
    }

    // The commands that open TLS connections (the API server, AWS, registries). On Linux the first connection of
    // a process stalls on loading the system trust store (see TrustStoreWarmup); these start that load before
    // anything else, so it runs beside parsing, configuration and planning instead of after them.
    internal static readonly HashSet<string> ConnectingCommands = new(StringComparer.Ordinal)
    {
        "infra", "kubeconfig", "images", "up", "status", "notebook", "down", "submit", "apps", "logs", "kill", "ui",
        "history", "doctor", "verify", "version",
    };

    public static async Task<int> RunAsync(string[] args, CliContext ctx, CancellationToken cancellationToken)
    {
        if (args.Length > 0 && ConnectingCommands.Contains(args[0])) Kindling.Cluster.TrustStoreWarmup.Start();
        var root = Build(ctx);
        var parse = root.Parse(SubmitArguments.SeparateApplication(args, root));
        var config = new InvocationConfiguration
        {
            Output = ctx.Stdout,
            Error = ctx.Stderr,
            // Ctrl+C is handled by the caller, which owns the process; commands see it as cancellation.
            ProcessTerminationTimeout = null,
            // Exceptions reach ErrorReporter below, which owns messages and exit codes.
            EnableDefaultExceptionHandler = false,
        };
        // The [suggest:N] directive answers shell completion even for a half-typed (so not yet valid) command line.
        var suggesting = root.Directives.OfType<System.CommandLine.Completions.SuggestDirective>().FirstOrDefault() is { } suggest && parse.GetResult(suggest) is not null;
        if (parse.Errors.Count > 0 && !suggesting)
            return ParseErrorReporter.Report(parse, ctx);
        try
        {
            return await parse.InvokeAsync(config, cancellationToken);
        }
        catch (Exception e)
        {
            return ErrorReporter.Report(e, ctx);
        }
    }
}
