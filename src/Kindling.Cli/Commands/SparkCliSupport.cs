using System.CommandLine;
using Kindling.Operations.Spark;
using Kindling.Spark;

namespace Kindling.Cli.Commands;

/// <summary>The wiring every Spark command shares: the cluster options, the Spark environment and progress.</summary>
internal sealed class SparkCliSupport(bool fileShortAlias = true)
{
    private ClusterCommandOptions? cluster;

    public void AddTo(Command command) => cluster = ClusterCommandOptions.AddTo(command, fileShortAlias);

    public SparkEnvironmentOptions Environment(ParseResult parse, CliContext ctx)
    {
        var options = cluster ?? throw new InvalidOperationException("AddTo must run before the command is invoked");
        return new SparkEnvironmentOptions
        {
            Config = options.LoadConfig(parse, ctx),
            WorkingDirectory = ctx.WorkingDirectory,
            Connection = options.Connection(parse, ctx),
            SparkUser = ctx.GetEnvironmentVariable("USER") ?? System.Environment.UserName,
            AwsCredentials = AwsKeys(ctx),
            // Progress goes to stderr, so stdout stays the result for scripts.
            Progress = new ProgressRenderer(ctx.ErrorConsole, labelSubjects: true).Report,
        };
    }

    private static Amazon.Runtime.AWSCredentials? AwsKeys(CliContext ctx) =>
        (ctx.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"), ctx.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY"), ctx.GetEnvironmentVariable("AWS_SESSION_TOKEN")) switch
        {
            ({ Length: > 0 } id, { Length: > 0 } secret, { Length: > 0 } token) => new Amazon.Runtime.SessionAWSCredentials(id, secret, token),
            ({ Length: > 0 } id, { Length: > 0 } secret, _) => new Amazon.Runtime.BasicAWSCredentials(id, secret),
            _ => null,
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
