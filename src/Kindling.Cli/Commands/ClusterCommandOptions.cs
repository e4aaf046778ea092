using System.CommandLine;
using Kindling.Cluster;
using Kindling.Configuration;
using Kindling.Operations;

namespace Kindling.Cli.Commands;

/// <summary>
/// The options every command that talks to a cluster shares: <c>-f/--file</c>, <c>--kubeconfig</c>, <c>--context</c>,
/// and how they become a loaded config and connection settings.
/// </summary>
internal sealed class ClusterCommandOptions
{
    private readonly Option<string?> file;

    private readonly Option<string?> kubeconfig = new("--kubeconfig")
    {
        Description = "Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster config)",
    };

    private readonly Option<string?> context = new("--context")
    {
        Description = "The kubeconfig context to use (default: its current-context)",
    };

    private ClusterCommandOptions(bool fileShortAlias)
    {
        file = CommonOptions.ConfigFile();
        // `logs -f` means follow, as in kubectl, so that command keeps only the long form.
        if (!fileShortAlias) file = new Option<string?>("--file") { Description = file.Description };
    }

    /// <summary>Creates the options and adds them to <paramref name="command"/>.</summary>
    public static ClusterCommandOptions AddTo(Command command, bool fileShortAlias = true)
    {
        var options = new ClusterCommandOptions(fileShortAlias);
        command.Options.Add(options.file);
        command.Options.Add(options.kubeconfig);
        command.Options.Add(options.context);
        return options;
    }

    /// <summary>Loads the config and describes the cluster from the parsed flags and the CLI's environment.</summary>
    public ClusterOptions Resolve(ParseResult parse, CliContext ctx) => new()
    {
        Config = LoadConfig(parse, ctx),
        WorkingDirectory = ctx.WorkingDirectory,
        Time = ctx.Time,
        Connection = Connection(parse, ctx),
    };

    /// <summary>The config named by <c>-f</c>, or ./kindling.yaml, or the built-in defaults.</summary>
    public LoadedConfig LoadConfig(ParseResult parse, CliContext ctx) =>
        ConfigLoader.LoadOrDefaults(parse.GetValue(file), ctx.WorkingDirectory);

    /// <summary>How to reach the cluster, from the flags and the CLI context's environment.</summary>
    public KubeConnectionOptions Connection(ParseResult parse, CliContext ctx)
    {
        var path = parse.GetValue(kubeconfig);
        return new KubeConnectionOptions
        {
            KubeconfigPath = path is null ? null : ctx.ResolvePath(path),
            Context = parse.GetValue(context),
            // The context's environment, not this process's: the CLI host (and tests) decide what KUBECONFIG is.
            KubeconfigVariable = ctx.GetEnvironmentVariable("KUBECONFIG"),
            HomeDirectory = ctx.GetEnvironmentVariable("HOME"),
            Time = ctx.Time,
        };
    }
}
