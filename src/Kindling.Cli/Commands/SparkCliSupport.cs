using System.CommandLine;
using Kindling.Cluster;
using Kindling.Configuration;
using Kindling.Operations.Spark;
using Kindling.Spark;

namespace Kindling.Cli.Commands;

/// <summary>The options every Spark command shares (--file, --kubeconfig, --context) and their wiring.</summary>
internal sealed class SparkCliSupport
{
    // `logs -f` means follow (as kubectl), so the config file is --file only everywhere here.
    public Option<string?> File { get; } = new("--file") { Description = "Path to kindling.yaml (default: ./kindling.yaml if it exists, else built-in defaults)" };
    public Option<string?> Kubeconfig { get; } = new("--kubeconfig") { Description = "Path to the kubeconfig (default: KUBECONFIG, then ~/.kube/config)" };
    public Option<string?> Context { get; } = new("--context") { Description = "The kubeconfig context to use (default: its current-context)" };

    public void AddTo(Command command)
    {
        command.Options.Add(File);
        command.Options.Add(Kubeconfig);
        command.Options.Add(Context);
    }

    public SparkEnvironmentOptions Environment(ParseResult parse, CliContext ctx) => new()
    {
        Config = ConfigLoader.LoadOrDefaults(parse.GetValue(File), ctx.WorkingDirectory),
        WorkingDirectory = ctx.WorkingDirectory,
        Connection = new KubeConnectionOptions
        {
            KubeconfigPath = parse.GetValue(Kubeconfig) is { } path ? ctx.ResolvePath(path) : null,
            Context = parse.GetValue(Context),
            KubeconfigVariable = ctx.GetEnvironmentVariable("KUBECONFIG"),
            HomeDirectory = ctx.GetEnvironmentVariable("HOME"),
            Time = ctx.Time,
        },
        SparkUser = ctx.GetEnvironmentVariable("USER") ?? System.Environment.UserName,
        // Progress goes to stderr, so stdout stays the result for scripts.
        Progress = new ProgressRenderer(ctx.ErrorConsole).Report,
    };

    /// <summary>One line per application, for state changes while waiting.</summary>
    public static string Describe(SparkApplication app)
    {
        var reason = app.Reason is null ? "" : $" ({app.Reason}{(app.Message is null ? "" : ": " + app.Message)})";
        return $"{app.AppId}: {app.State}{reason}, executors {app.ExecutorsRunning}/{app.ExecutorsRequested}";
    }

    /// <summary>The JSON shape of an application in <c>-o json</c>.</summary>
    public static object Json(SparkApplication app) => new
    {
        app.Name,
        app.AppId,
        app.Namespace,
        app.DriverPod,
        State = app.State.ToString(),
        app.Reason,
        app.Message,
        app.ExitCode,
        Executors = new { Running = app.ExecutorsRunning, Requested = app.ExecutorsRequested },
        app.CreatedAt,
        Mode = app.ClientMode ? "client" : "cluster",
    };
}
