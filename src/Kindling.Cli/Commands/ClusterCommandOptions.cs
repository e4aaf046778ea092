using System.CommandLine;
using Kindling.Cluster;
using Kindling.Configuration;
using Kindling.Operations;

namespace Kindling.Cli.Commands;

/// <summary>The options every cluster command shares: <c>-f</c>, <c>--kubeconfig</c>, <c>--context</c>.</summary>
internal sealed class ClusterCommandOptions
{
    private readonly Option<string?> file = CommonOptions.ConfigFile();

    private readonly Option<string?> kubeconfig = new("--kubeconfig")
    {
        Description = "Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster config)",
    };

    private readonly Option<string?> context = new("--context")
    {
        Description = "The kubeconfig context to use (default: its current-context)",
    };

    /// <summary>Creates the options and adds them to <paramref name="command"/>.</summary>
    public static ClusterCommandOptions AddTo(Command command)
    {
        var options = new ClusterCommandOptions();
        command.Options.Add(options.file);
        command.Options.Add(options.kubeconfig);
        command.Options.Add(options.context);
        return options;
    }

    /// <summary>Loads the config and describes the cluster from the parsed flags and the CLI's environment.</summary>
    public ClusterOptions Resolve(ParseResult parse, CliContext ctx)
    {
        var config = ConfigLoader.LoadOrDefaults(parse.GetValue(file), ctx.WorkingDirectory);
        var path = parse.GetValue(kubeconfig);
        return new ClusterOptions
        {
            Config = config,
            WorkingDirectory = ctx.WorkingDirectory,
            Time = ctx.Time,
            Connection = new KubeConnectionOptions
            {
                KubeconfigPath = path is null ? null : ctx.ResolvePath(path),
                Context = parse.GetValue(context),
                // The context's environment, not this process's: the CLI host (and tests) decide what KUBECONFIG is.
                KubeconfigVariable = ctx.GetEnvironmentVariable("KUBECONFIG"),
                HomeDirectory = ctx.GetEnvironmentVariable("HOME"),
                Time = ctx.Time,
            },
        };
    }
}
