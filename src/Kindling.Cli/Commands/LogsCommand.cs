using System.CommandLine;
using Kindling.Operations.Spark;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling logs &lt;app&gt; [--executor N] [-f] [--tail N]</c>.</summary>
internal static class LogsCommand
{
    public static Command Create(CliContext ctx)
    {
        var support = new SparkCliSupport(fileShortAlias: false);
        var app = new Argument<string>("app") { Description = "App id, driver pod or application name" };
        var executor = new Option<int?>("--executor") { Description = "Read executor N instead of the driver" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Stream until the container exits" };
        var tail = new Option<int?>("--tail") { Description = "Only the last N lines" };
        var command = new Command("logs", "Print the driver (or an executor) log, and how the container ended");
        command.Arguments.Add(app);
        command.Options.Add(executor);
        command.Options.Add(follow);
        command.Options.Add(tail);
        support.AddTo(command);

        CommandAction.Set(command, ctx, async (parse, ct) =>
        {
            var name = parse.GetValue(app)!;
            using var environment = support.Environment(parse, ctx);
            var apps = SparkEnvironment.Open(environment);
            var options = new SparkLogOptions { Executor = parse.GetValue(executor), Follow = parse.GetValue(follow), TailLines = parse.GetValue(tail) };
            await foreach (var line in apps.GetLogsAsync(name, options, ct)) ctx.Stdout.WriteLine(line);
            if (await apps.GetTerminationAsync(name, options.Executor, ct) is { } end)
                ctx.Stderr.WriteLine($"{end.Pod}: terminated, reason {end.Reason}, exit code {end.ExitCode}{(end.Message is null ? "" : ": " + end.Message)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
