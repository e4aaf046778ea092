using System.CommandLine;
using Kindling.Cluster;
using Kindling.Configuration;
using Kindling.Operations;
using Kindling.Tools;

namespace Kindling.Cli.Commands;

/// <summary>
/// The flags that say which environment a command works on (<c>-f/--file</c>, and for cluster commands
/// <c>--kubeconfig</c> and <c>--context</c>), and the one place that turns them into the
/// <see cref="EnvironmentContext"/> the command passes to its operation.
/// </summary>
internal sealed class EnvironmentOptions
{
    private readonly Option<string?> file;
    private readonly Option<string?>? kubeconfig;
    private readonly Option<string?>? context;
    private readonly Option<string?>? @namespace;

    private EnvironmentOptions(Option<string?> file, Option<string?>? kubeconfig, Option<string?>? context, Option<string?>? @namespace)
    {
        this.file = file;
        this.kubeconfig = kubeconfig;
        this.context = context;
        this.@namespace = @namespace;
    }

    /// <summary>Adds <c>-f/--file</c> to a command that works on local files only.</summary>
    public static EnvironmentOptions AddLocal(Command command, Option<string?>? file = null)
    {
        var options = new EnvironmentOptions(file ?? CommonOptions.ConfigFile(), null, null, null);
        command.Options.Add(options.file);
        return options;
    }

    /// <summary>Adds <c>-f/--file</c>, <c>--kubeconfig</c>, <c>--context</c> and <c>-n/--namespace</c> to a command that talks to a cluster.</summary>
    /// <param name="command">The command.</param>
    /// <param name="fileShortAlias">False where <c>-f</c> means follow, as in <c>kubectl logs -f</c>.</param>
    public static EnvironmentOptions AddCluster(Command command, bool fileShortAlias = true)
    {
        var file = CommonOptions.ConfigFile();
        if (!fileShortAlias) file = new Option<string?>("--file") { Description = file.Description };
        var options = new EnvironmentOptions(
            file,
            new Option<string?>("--kubeconfig")
            {
                Description = "Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster config)",
            },
            new Option<string?>("--context") { Description = "The kubeconfig context to use (default: its current-context)" },
            Namespace());
        command.Options.Add(options.file);
        command.Options.Add(options.kubeconfig!);
        command.Options.Add(options.context!);
        command.Options.Add(options.@namespace!);
        return options;
    }

    /// <summary><c>-n/--namespace</c>, as in kubectl: overrides kindling.yaml's namespace; checked by the parser.</summary>
    private static Option<string?> Namespace()
    {
        var option = new Option<string?>("--namespace", "-n")
        {
            Description = "The namespace to use instead of kindling.yaml's",
            HelpName = "namespace",
        };
        option.Validators.Add(result =>
        {
            // A string option always converts, so reading the value here cannot throw.
            if (result.GetValueOrDefault<string?>() is { } value && NamespaceRules.Problem(value) is { } problem)
                result.AddError($"-n {value}: {problem}");
        });
        return option;
    }

    /// <summary>The <c>--kubeconfig</c> value as given, or null.</summary>
    public string? KubeconfigPath(ParseResult parse) => kubeconfig is null ? null : parse.GetValue(kubeconfig);

    /// <summary>The config named by <c>-f</c>, or ./kindling.yaml, or the built-in defaults.</summary>
    public LoadedConfig LoadConfig(ParseResult parse, CliContext ctx) =>
        ConfigLoader.LoadOrDefaults(parse.GetValue(file), ctx.WorkingDirectory);

    /// <summary>
    /// The environment of this command: the config is loaded (and validated) now; local state, rendering and the
    /// cluster connection happen when the operation first needs them. Dispose it when the command ends.
    /// </summary>
    /// <param name="parse">The parsed flags.</param>
    /// <param name="ctx">The CLI's surroundings.</param>
    /// <param name="progress">Where progress goes (the error console, so stdout stays the result).</param>
    public EnvironmentContext Create(ParseResult parse, CliContext ctx, IProgress<ProgressEvent>? progress = null) =>
        new(new EnvironmentContextOptions
        {
            Config = LoadConfig(parse, ctx),
            WorkingDirectory = ctx.WorkingDirectory,
            Namespace = @namespace is null ? null : parse.GetValue(@namespace),
            Connection = Connection(parse, ctx),
            // The context's environment, not this process's: the CLI host (and tests) decide what PATH, HOME... are.
            Tools = new ToolEnvironment(ctx.GetEnvironmentVariable),
            Progress = progress,
            Time = ctx.Time,
            SparkUser = ctx.GetEnvironmentVariable("USER") ?? Environment.UserName,
        });

    private KubeConnectionOptions? Connection(ParseResult parse, CliContext ctx)
    {
        if (kubeconfig is null || context is null) return null;
        var path = parse.GetValue(kubeconfig);
        return new KubeConnectionOptions
        {
            KubeconfigPath = path is null ? null : ctx.ResolvePath(path),
            Context = parse.GetValue(context),
            KubeconfigVariable = ctx.GetEnvironmentVariable("KUBECONFIG"),
            HomeDirectory = ctx.GetEnvironmentVariable("HOME"),
            Time = ctx.Time,
        };
    }
}
