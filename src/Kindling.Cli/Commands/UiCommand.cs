using System.CommandLine;
using Kindling.Cluster;
using Kindling.Operations.Spark;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling ui &lt;app&gt; [--port N]</c>: the Spark UI of a running driver on localhost.</summary>
internal static class UiCommand
{
    public static Command Create(CliContext ctx)
    {
        var support = new SparkCliSupport();
        var app = new Argument<string>("app") { Description = "App id, driver pod or application name" };
        var port = new Option<int>("--port") { Description = "Local port (default 4040)", DefaultValueFactory = _ => 4040 };
        var command = new Command("ui", "Port-forward to the driver's Spark UI (4040) and print its URL; Ctrl+C stops");
        command.Arguments.Add(app);
        command.Options.Add(port);
        support.AddTo(command);

        CommandAction.Set(command, ctx, async (parse, ct) =>
        {
            using var environment = support.Environment(parse, ctx);
            var apps = SparkEnvironment.Open(environment);
            var name = parse.GetValue(app)!;
            var found = await apps.GetAsync(name, ct);
            if (found is null)
            {
                // No pods left: a finished application is served by the History Server.
                var finished = environment.Spec.History is { Enabled: false } ? null : await TryFinishedAsync(apps, name, ct);
                return finished is null
                    ? throw new InvalidInputException("app", $"no Spark application '{name}'; see 'kindling apps --all'")
                    : await HistoryCommand.OpenApplicationAsync(ctx, environment.Connection, apps, environment.Namespace, finished, parse.GetValue(port), ct);
            }
            if (found.ClientMode || found.DriverPod is null)
                throw new InvalidInputException("app", $"{found.AppId} is a notebook session: its UI is served by the notebook pod {found.DriverPod}");
            if (found.IsFinished)
                return await HistoryCommand.OpenApplicationAsync(ctx, environment.Connection, apps, environment.Namespace, found.AppId, parse.GetValue(port), ct);
            await using var forwarder = PortForwarder.Start(environment.Connection,
                new PortForwardTarget(environment.Namespace, found.DriverPod, environment.Spec.Spark.UiPort, parse.GetValue(port)));
            ctx.Stdout.WriteLine($"Spark UI of {found.AppId}: http://127.0.0.1:{forwarder.LocalPort}/");
            ctx.Stdout.WriteLine("Press Ctrl+C to stop.");
            await forwarder.RunAsync(ct);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<string?> TryFinishedAsync(SparkApplications apps, string name, CancellationToken ct)
    {
        try
        {
            return (await apps.GetFinishedAsync(name, ct))?.Id;
        }
        catch (KindlingException)
        {
            return null; // no History Server: the "no such application" message applies
        }
    }
}
