using System.CommandLine;
using Kindling.Operations;
using Kindling.Spark;

namespace Kindling.Cli.Commands;

/// <summary>The wiring every Spark command shares: the cluster options, the Spark environment and progress.</summary>
internal sealed class SparkCliSupport(bool fileShortAlias = true)
{
    private EnvironmentOptions? environment;

    public void AddTo(Command command) => environment = EnvironmentOptions.AddCluster(command, fileShortAlias);

    /// <summary>The command's environment; progress goes to stderr, so stdout stays the result for scripts.</summary>
    public EnvironmentContext Environment(ParseResult parse, CliContext ctx)
    {
        var options = environment ?? throw new InvalidOperationException("AddTo must run before the command is invoked");
        return options.Create(parse, ctx, new ProgressRenderer(ctx.ErrorConsole, labelSubjects: true));
    }

    /// <summary>One line per application, for state changes while waiting.</summary>
    public static string Describe(SparkApplication app)
    {
        var reason = app.Reason is null ? "" : $" ({app.Reason}{(app.Message is null ? "" : ": " + app.Message)})";
        return $"{app.AppId}: {app.State}{reason}, executors {app.ExecutorsRunning}/{app.ExecutorsRequested}";
    }
}
