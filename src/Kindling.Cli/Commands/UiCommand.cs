using System.CommandLine;
using Kindling.Operations;

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
            await UiOperation.RunAsync(new UiOptions
            {
                Environment = environment,
                Application = parse.GetValue(app)!,
                LocalPort = parse.GetValue(port),
                OnReady = (appId, url) =>
                {
                    ctx.Stdout.WriteLine($"Spark UI of {appId}: {url}");
                    ctx.Stdout.WriteLine("Press Ctrl+C to stop.");
                },
            }, ct);
            return ExitCodes.Ok;
        });
        return command;
    }
}
