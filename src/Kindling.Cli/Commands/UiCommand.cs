using System.CommandLine;
using Kindling.Operations;

namespace Kindling.Cli.Commands;

/// <summary>
/// <c>kindling ui &lt;app&gt; [--port N]</c>: the Spark UI of a running driver on localhost, or a finished
/// application's page on the History Server. Maps flags to <see cref="UiOptions"/> and prints; <see cref="UiOperation"/> does the work.
/// </summary>
internal static class UiCommand
{
    public static Command Create(CliContext ctx)
    {
        var support = new SparkCliSupport();
        var app = new Argument<string>("app") { Description = "App id, driver pod or application name" };
        var port = NumberOption.Create("--port", [], "Local port on 127.0.0.1 (default 4040; 0 picks a free one)", 4040, 0, 65535);
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
                OnReady = ready =>
                {
                    ctx.Stdout.WriteLine(ready.FromHistory
                        ? $"{ready.AppId} has finished; its History Server page: {ready.Url}"
                        : $"Spark UI of {ready.AppId}: {ready.Url}");
                    ctx.Stdout.WriteLine("Press Ctrl+C to stop.");
                },
            }, ct);
            return ExitCodes.Ok;
        });
        return command;
    }
}
